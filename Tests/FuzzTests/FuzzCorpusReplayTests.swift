import Foundation
import FuzzTargets
import Testing

/// Every committed fuzz input (Tests/Fuzz/<target>/) replayed through its target in a normal
/// build: a corpus input that now traps, or breaks an invariant, fails here without libFuzzer.
@Suite struct FuzzCorpusReplayTests {
    @Test(arguments: FuzzTarget.allCases)
    func corpusInputsAreHandledWithoutAFinding(_ target: FuzzTarget) async throws {
        let inputs = try FuzzInputs.files(in: FuzzInputs.corpus(target))
        // A corpus that went missing must fail, not pass by replaying nothing.
        #expect(!inputs.isEmpty, "no corpus inputs for \(target.rawValue) under \(FuzzInputs.corpus(target).path)")
        for input in inputs {
            await target.run(try Data(contentsOf: input))
        }
    }
}

/// Where the committed fuzz inputs live.
enum FuzzInputs {
    /// `Tests/Fuzz`, from this file's location (`Tests/FuzzTests/FuzzCorpusReplayTests.swift`).
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // FuzzTests
        .deletingLastPathComponent()  // Tests
        .appendingPathComponent("Fuzz")

    static func corpus(_ target: FuzzTarget) -> URL { root.appendingPathComponent(target.rawValue) }

    static func regression(_ target: FuzzTarget, _ name: String) -> URL {
        root.appendingPathComponent("regressions").appendingPathComponent(target.rawValue).appendingPathComponent(name)
    }

    /// The regular files of `directory`, sorted by name; none when it does not exist.
    static func files(in directory: URL) throws -> [URL] {
        guard FileManager.default.fileExists(atPath: directory.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { !$0.hasDirectoryPath && !$0.lastPathComponent.hasPrefix(".") }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }
}
