import Foundation
import XCTest

/// `cutoverctl` offline: validate, plan, usage errors, help, completions — no daemon involved.
final class CLIRunbookTests: XCTestCase {
    func testValidateAcceptsTheEngineDemo() throws {
        let result = try CLIProcess.run(["validate", CLIProcess.repositoryFile("Runbooks/examples/engine-demo.yaml")])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("engine-demo.yaml: ok (engine-demo"), result.stdout)
        XCTAssertEqual(result.stderr, "")
    }

    func testValidateReportsEveryErrorAsFileLineColumnAndExitsOne() throws {
        let directory = try CLIProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("broken.yaml").path
        try """
        apiVersion: cutover/v1
        name: broken
        region: ap-northeast-1
        steps:
          - id: first
            uses: s3.teleport
          - id: second
            uses: wait
            with: { for: 5 parsecs }
        """.write(toFile: file, atomically: true, encoding: .utf8)
        let result = try CLIProcess.run(["validate", file])
        XCTAssertEqual(result.status, 1)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 3, result.stderr)
        XCTAssertTrue(lines[0].hasPrefix("\(file):6:11: error: "), lines[0])
        XCTAssertTrue(lines[0].contains("s3.teleport"), lines[0])
        XCTAssertTrue(lines[1].hasPrefix("\(file):9:"), lines[1])
        // The summary comes after the errors, on the same stream, and ends its line.
        XCTAssertEqual(lines[2], "\(file): 2 errors")
        XCTAssertTrue(result.stderr.hasSuffix("2 errors\n"), result.stderr)
        XCTAssertEqual(result.stdout, "")
    }

    func testValidateJSONListsDiagnosticsWithLocations() throws {
        let directory = try CLIProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("broken.yaml").path
        try "apiVersion: cutover/v1\nname: x\nregion: ap-northeast-1\nsteps:\n  - id: a\n    uses: nope\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        let result = try CLIProcess.run(["validate", file, "--output", "json"])
        XCTAssertEqual(result.status, 1)
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let files = try XCTUnwrap(document["files"] as? [[String: Any]])
        XCTAssertEqual(files.first?["valid"] as? Bool, false)
        let diagnostic = try XCTUnwrap((files.first?["diagnostics"] as? [[String: Any]])?.first)
        XCTAssertEqual(diagnostic["line"] as? Int, 6)
        XCTAssertEqual(diagnostic["code"] as? String, "unknown-step-type")
    }

    func testPlanJSONIsTheRenderersDocument() throws {
        let result = try CLIProcess.run([
            "plan", CLIProcess.repositoryFile("Runbooks/examples/engine-demo.yaml"), "--param", "settle=30s", "--output", "json",
        ])
        XCTAssertEqual(result.status, 0, result.stderr)
        let plan = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((plan["hash"] as? String)?.count, 64)
        let steps = try XCTUnwrap(plan["steps"] as? [[String: Any]])
        XCTAssertEqual(steps.count, 7)
        XCTAssertEqual((plan["parameters"] as? [String: String])?["settle"], "30s")
    }

    func testPlanTextShowsTheHashAndProjection() throws {
        let result = try CLIProcess.run(["plan", CLIProcess.repositoryFile("Runbooks/examples/engine-demo.yaml")])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("plan hash"), result.stdout)
        XCTAssertTrue(result.stdout.contains("Projection"), result.stdout)
    }

    func testUndeclaredParameterFailsThePlanWithItsLocation() throws {
        let file = CLIProcess.repositoryFile("Runbooks/examples/engine-demo.yaml")
        let result = try CLIProcess.run(["plan", file, "--param", "nope=1"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("\(file):1:1: error:"), result.stderr)
    }

    func testUsageErrorsExitTwo() throws {
        let malformed = try CLIProcess.run(["plan", "x.yaml", "--param", "no-equals-sign"])
        XCTAssertEqual(malformed.status, 2)
        XCTAssertTrue(malformed.stderr.contains("NAME=VALUE"), malformed.stderr)
        XCTAssertEqual(try CLIProcess.run(["validate"]).status, 2)
        XCTAssertEqual(try CLIProcess.run(["status"]).status, 2)
        XCTAssertEqual(try CLIProcess.run(["frobnicate"]).status, 2)
        XCTAssertEqual(try CLIProcess.run(["reject", "r-1", "step"]).status, 2, "reject needs --comment")
        XCTAssertEqual(try CLIProcess.run(["runs", "--output", "yaml"]).status, 2)
    }

    func testHelpDocumentsTheExitCodes() throws {
        let result = try CLIProcess.run(["--help"])
        XCTAssertEqual(result.status, 0)
        for line in ["EXIT CODES", "3   cutoverd is not running", "10  status --watch: the run was rolled back"] {
            XCTAssertTrue(result.stdout.contains(line), "missing \(line) in\n\(result.stdout)")
        }
    }

    func testCompletionScriptsAreGenerated() throws {
        for shell in ["bash", "zsh", "fish"] {
            let result = try CLIProcess.run(["--generate-completion-script", shell])
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertTrue(result.stdout.contains("cutoverctl"), shell)
        }
        let bash = try CLIProcess.run(["--generate-completion-script", "bash"]).stdout
        XCTAssertTrue(bash.contains("complete -o filenames -F _cutoverctl cutoverctl"), bash.suffix(300).description)
        XCTAssertTrue(bash.contains("approve"))
    }

    func testStartupIsFast() throws {
        // The CLI must feel instant during a cutover: no event loop, no daemon round-trip for help.
        let began = Date()
        for _ in 0..<5 { _ = try CLIProcess.run(["--version"]) }
        let average = Date().timeIntervalSince(began) / 5
        print("FIGURE cutoverctl --version average \(String(format: "%.3f", average)) s")
        XCTAssertLessThan(average, 1.0)
    }
}
