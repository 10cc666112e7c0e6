import Foundation
import Runbook

/// Paths into the repository and small helpers shared by the runbook suites.
enum RunbookFixtures {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let corpusDirectory = testsDirectory.appendingPathComponent("Corpus")
    static let repositoryRoot = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()
    static let engineDemo = repositoryRoot.appendingPathComponent("Runbooks/examples/engine-demo.yaml").path

    static let header = """
        apiVersion: cutover/v1
        name: test
        region: ap-northeast-1

        """

    /// Loads runbook text with the test catalog; records the diagnostics if it fails.
    static func load(_ text: String, file: String = "test.yaml") throws -> Runbook {
        do {
            return try RunbookLoader(catalog: TestCatalog.catalog).load(text: text, file: file)
        } catch {
            throw LoadFailure(description: error.description)
        }
    }

    static func plan(_ text: String, parameters: [String: String] = [:]) throws -> RunbookPlan {
        let runbook = try load(text)
        do {
            return try RunbookPlanner(catalog: TestCatalog.catalog).plan(runbook, parameters: parameters)
        } catch {
            throw LoadFailure(description: error.description)
        }
    }

    /// The diagnostics loading `text` reports (empty when it loads).
    static func diagnostics(_ text: String, file: String = "test.yaml") -> [RunbookDiagnostic] {
        do {
            _ = try RunbookLoader(catalog: TestCatalog.catalog).load(text: text, file: file)
            return []
        } catch {
            return error.diagnostics
        }
    }

    struct LoadFailure: Error, CustomStringConvertible {
        var description: String
    }
}
