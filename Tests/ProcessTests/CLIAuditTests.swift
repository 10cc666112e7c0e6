import Audit
import Engine
import Foundation
import Journal
import TestSupport
import XCTest

/// `cutoverctl audit …` offline, on a state directory written the way cutoverd writes it: a run
/// driven to completion on the real engine and SQLite journal (`journal.db`), checkpointed and
/// signed with the state directory's `audit.key`, anchors in `checkpoints.jsonl`.
final class CLIAuditTests: XCTestCase {
    private var state: URL!
    private var runId = ""
    private var publicKey: AuditPublicKey!

    override func setUp() async throws {
        state = try CLIProcess.temporaryDirectory()
        (runId, publicKey) = try await Self.writeFinishedRun(into: state)
    }

    override func tearDown() async throws { try? FileManager.default.removeItem(at: state) }

    /// Runs a three-step plan (a mutation, an approval by alice, a forced wait) to completion.
    static func writeFinishedRun(into state: URL) async throws -> (String, AuditPublicKey) {
        let clock = ManualClock(now: EngineFixture.epoch)
        let journal = try Journal(path: state.appendingPathComponent("journal.db").path)
        let engine = Engine(journal: journal, registry: .testing(FakeWorld()), clock: clock)
        let key = try AuditKey.loadOrCreate(stateDirectory: state.path)
        let checkpointer = Checkpointer(
            journal: journal, key: key, anchors: CheckpointAnchorLog(stateDirectory: state.path), interval: 3,
            now: { clock.now() })
        var plan = TestPlan()
        plan.add("copy-objects")
        plan.add("delete-source", type: "approval", message: "Staging verified?")
        plan.add("forced-wait", type: "wait", inputs: [("for", .number(3600))])
        let run = try await engine.start(
            plan: plan.build(name: "cli-audit"), runbookSource: "# test", parameters: [:], initiator: TestPeople.initiator)
        try checkpointer.catchUp()
        for _ in 0..<100 {
            let outcome = await run.settle()
            try checkpointer.catchUp()
            guard case let .idle(nextWake, status) = outcome else { throw CLIFakeDaemon.Failure("run stopped: \(outcome)") }
            if status.isTerminal {
                try checkpointer.checkpointAll()
                journal.close()
                return (run.runId, key.publicKey)
            }
            if (try? await run.approve(step: "delete-source", by: TestPeople.alice, comment: "checked")) != nil { continue }
            guard let nextWake else { throw CLIFakeDaemon.Failure("the run waits for nobody") }
            clock.advance(to: nextWake)
        }
        throw CLIFakeDaemon.Failure("the run did not finish")
    }

    private func ctl(_ arguments: [String]) throws -> CLIResult {
        try CLIProcess.run(arguments + ["--state-dir", state.path])
    }

    func testVerifyTheWholeJournalWithTheDaemonsKeyFile() throws {
        let result = try ctl(["audit", "verify"])
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("Verified the whole journal"), result.stdout)
        XCTAssertTrue(result.stdout.hasSuffix("VALID\n"), result.stdout)
    }

    func testVerifyOneRunAgainstAPinnedKeyAndTheEnvironmentsStateDirectory() throws {
        let result = try CLIProcess.run(
            ["audit", "verify", runId, "--key", publicKey.base64], environment: ["CUTOVER_STATE_DIRECTORY": state.path])
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("signatures checked against the pinned key \(publicKey.keyId)"), result.stdout)
    }

    func testKeyExportBundleAndVerifyTheBundleElsewhere() throws {
        let key = try ctl(["audit", "key"])
        XCTAssertEqual(key.status, 0, key.stderr)
        XCTAssertTrue(key.stdout.hasPrefix("-----BEGIN PUBLIC KEY-----"), key.stdout)
        XCTAssertTrue(key.stderr.contains(publicKey.keyId), key.stderr)
        let pub = state.appendingPathComponent("daemon.pub").path
        try key.stdout.write(toFile: pub, atomically: true, encoding: .utf8)

        let bundle = state.appendingPathComponent("run.jsonl").path
        let export = try ctl(["audit", "export", runId, "-o", bundle])
        XCTAssertEqual(export.status, 0, export.stderr)
        XCTAssertTrue(export.stdout.contains("Exported run \(runId)"), export.stdout)

        // Elsewhere: no state directory, only the bundle and the pinned key file.
        let verify = try CLIProcess.run(["audit", "verify", bundle, "--key", pub, "--output", "json"])
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(verify.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(document["valid"] as? Bool, true)
        XCTAssertEqual(document["keySource"] as? String, "pinned")

        // An edited record is found and named, exit 1.
        var lines = try String(contentsOfFile: bundle, encoding: .utf8).components(separatedBy: "\n")
        let index = try XCTUnwrap(lines.firstIndex { $0.contains("approval.decided") })
        lines[index] = lines[index].replacingOccurrences(of: "checked", with: "unchecked")
        try lines.joined(separator: "\n").write(toFile: bundle, atomically: true, encoding: .utf8)
        let tampered = try CLIProcess.run(["audit", "verify", bundle, "--key", pub])
        XCTAssertEqual(tampered.status, 1, tampered.stdout)
        XCTAssertTrue(tampered.stdout.contains("HashMismatch"), tampered.stdout)
        XCTAssertTrue(tampered.stdout.hasSuffix("INVALID\n"), tampered.stdout)
    }

    func testVerifyWithAnotherKeyFails() throws {
        let other = try AuditKey.generate().publicKey
        let result = try ctl(["audit", "verify", runId, "--key", other.hex])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stdout.contains("UnknownKey"), result.stdout)
    }

    func testShowTextJSONAndHTML() throws {
        let text = try ctl(["audit", "show", runId])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("Run \(runId): runbook cli-audit"), text.stdout)
        XCTAssertTrue(text.stdout.contains("alice"), text.stdout)

        let json = try ctl(["audit", "show", runId, "--output", "json"])
        let timeline = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(timeline["runId"] as? String, runId)
        XCTAssertEqual(timeline["status"] as? String, "completed")

        let html = state.appendingPathComponent("report.html").path
        let report = try ctl(["audit", "show", runId, "--html", html])
        XCTAssertEqual(report.status, 0, report.stderr)
        XCTAssertTrue(report.stderr.contains("(verified)"), report.stderr)
        let page = try String(contentsOfFile: html, encoding: .utf8)
        XCTAssertTrue(page.hasPrefix("<!DOCTYPE html>"))
    }

    func testUnknownRunAndMissingJournalExitFive() throws {
        let unknown = try ctl(["audit", "show", "r-nope"])
        XCTAssertEqual(unknown.status, 5, unknown.stderr)
        let missing = try CLIProcess.run(["audit", "verify", "--state-dir", "/tmp/no-cutover-state"])
        XCTAssertEqual(missing.status, 5)
        XCTAssertTrue(missing.stderr.contains("no journal at /tmp/no-cutover-state/journal.db"), missing.stderr)
    }

    func testTheJournalIsOpenedReadOnly() throws {
        let journal = state.appendingPathComponent("journal.db").path
        let before = try FileManager.default.attributesOfItem(atPath: journal)[.modificationDate] as? Date
        XCTAssertEqual(try ctl(["audit", "verify", runId]).status, 0)
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: journal)[.modificationDate] as? Date, before)
    }
}
