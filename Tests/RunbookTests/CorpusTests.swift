import Foundation
import Runbook
import Testing

/// Every file in `Corpus/` is a broken runbook whose leading `# expect: LINE:COL CODE` comments
/// list every problem the loader must report — all of them, in one pass.
@Suite struct CorpusTests {
    struct Expectation: Hashable, CustomStringConvertible {
        var line: Int
        var column: Int
        var code: String
        var description: String { "\(line):\(column) \(code)" }
    }

    static let files: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: RunbookFixtures.corpusDirectory.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted()
    }()

    static func expectations(in text: String) -> [Expectation] {
        text.split(separator: "\n").compactMap { line -> Expectation? in
            guard line.hasPrefix("# expect: ") else { return nil }
            let parts = line.dropFirst("# expect: ".count).split(separator: " ")
            let position = parts[0].split(separator: ":")
            return Expectation(line: Int(position[0])!, column: Int(position[1])!, code: String(parts[1]))
        }
    }

    @Test func corpusHasAtLeastFifteenBrokenRunbooks() {
        #expect(Self.files.count >= 15)
    }

    @Test(arguments: files)
    func reportsExactlyTheExpectedProblems(_ name: String) throws {
        let path = RunbookFixtures.corpusDirectory.appendingPathComponent(name).path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let expected = Self.expectations(in: text)
        #expect(!expected.isEmpty, "\(name) has no `# expect:` lines")

        var diagnostics: [RunbookDiagnostic] = []
        do {
            _ = try RunbookLoader(catalog: TestCatalog.catalog).load(file: path)
            Issue.record("\(name) loaded without problems")
        } catch {
            diagnostics = error.diagnostics
        }
        let actual = diagnostics.map { Expectation(line: $0.location.line, column: $0.location.column, code: $0.code) }
        #expect(
            actual.sorted { $0.description < $1.description } == expected.sorted { $0.description < $1.description },
            "\(name):\n\(diagnostics.map(\.description).joined(separator: "\n"))")
        for diagnostic in diagnostics {
            #expect(diagnostic.message.contains(name), "message does not name the file: \(diagnostic.message)")
            #expect(diagnostic.location.file == path)
        }
    }
}
