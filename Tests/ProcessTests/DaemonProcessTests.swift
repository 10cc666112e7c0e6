import ControlProtocol
import Foundation
import TestSupport
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// The real cutoverd and cutoverctl over a real unix socket, with a real NOTIFY_SOCKET: what
/// systemd and operators see. The runbooks here use only the engine's own step types (approval,
/// wait), so no AWS stand-in is needed; the admin-console run against the simulator is the demo
/// (scripts/demo), which scripts/test runs too.
final class DaemonProcessTests: XCTestCase {
    /// An approval, then a 30-minute durable wait (3 s real at ×600), then done.
    static let runbook = """
        apiVersion: cutover/v1
        name: process-test
        region: us-east-1
        approvals: { approvers: ["group:cutover-approvers"], required: 1, allowInitiator: false }
        steps:
          - id: maintenance-on
            uses: approval
            message: Put the service into maintenance mode, then approve.
          - id: hold
            uses: wait
            with: { for: 30m }
          - id: after-hold
            uses: wait
            with: { for: 1m }
        """

    override func setUpWithError() throws {
        try TestUsers.ensure()
    }

    private func startRun(_ daemon: DaemonHarness, as user: String? = nil) throws -> String {
        let file = try daemon.writeRunbook(Self.runbook)
        let started = try daemon.ctl(["start", file, "--yes"], as: user, output: true)
        XCTAssertEqual(started.status, 0, started.stderr)
        let view = try JSONSerialization.jsonObject(with: Data(started.stdout.utf8)) as? [String: Any]
        let run = view?["run"] as? [String: Any]
        return try XCTUnwrap(run?["runId"] as? String, "start printed no run id: \(started.stdout)")
    }

    private static func status(_ view: [String: Any]) -> String { (view["run"] as? [String: Any])?["status"] as? String ?? "" }

    private static func stepStatus(_ view: [String: Any], _ id: String) -> String {
        let steps = (view["run"] as? [String: Any])?["steps"] as? [[String: Any]] ?? []
        return steps.first { $0["id"] as? String == id }?["status"] as? String ?? ""
    }

    func testReadyComesAfterTheSocketListensAndStatusAnswers() throws {
        let daemon = try DaemonHarness()
        let toReady = try daemon.start()
        // READY=1 promised a listening socket and a verified journal.
        XCTAssertTrue(FileManager.default.fileExists(atPath: daemon.socket))
        var info = stat()
        XCTAssertEqual(stat(daemon.socket, &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o660, "socket mode")
        XCTAssertEqual(info.st_gid, getgrnam(TestUsers.approvers).pointee.gr_gid, "socket group")
        let health = try daemon.ctl(["health"], output: true)
        XCTAssertEqual(health.status, 0, health.stderr)
        XCTAssertTrue(daemon.notify.all.contains { $0.contains("STATUS=") }, "STATUS= sent: \(daemon.notify.all)")
        XCTAssertTrue(daemon.log.contains("<5>cutoverd ready"), "journald-format log line: \(daemon.log)")
        // The figures the issue asks for, printed (measured, not asserted).
        var roundTrips: [TimeInterval] = []
        for _ in 0..<10 { roundTrips.append(try daemon.ctl(["runs"], output: true).elapsed) }
        print(
            "FIGURE exec→READY \(String(format: "%.3f", toReady)) s; cutoverctl runs round-trip median "
                + "\(String(format: "%.1f", roundTrips.sorted()[5] * 1000)) ms; idle RSS \(Self.rss(daemon)) KiB")
        XCTAssertEqual(try daemon.stop(), 0)
        XCTAssertTrue(daemon.notify.count(of: "STOPPING=1") >= 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: daemon.socket), "a socket the daemon created is removed at stop")
    }

    func testApprovalThroughCutoverctlAsAnApproverCompletesTheRun() throws {
        let daemon = try DaemonHarness()
        try daemon.start()
        let runId = try startRun(daemon)
        _ = try daemon.waitFor(runId, "the approval gate") { Self.stepStatus($0, "maintenance-on") == "awaiting-approval" }
        let approved = try daemon.ctl(["approve", runId, "maintenance-on", "--comment", "maintenance page is up"], as: TestUsers.approver)
        XCTAssertEqual(approved.status, 0, approved.stdout + approved.stderr)
        let done = try daemon.waitFor(runId, "completion") { Self.status($0) == "completed" }
        XCTAssertEqual(Self.status(done), "completed")
        let approvals = try daemon.ctl(["audit", "show", runId, "--state-dir", daemon.state])
        XCTAssertTrue(approvals.stdout.contains(TestUsers.approver), "the audit names the approver: \(approvals.stdout)\(approvals.stderr)")
        XCTAssertEqual(try daemon.stop(), 0)
    }

    func testTheInitiatorIsRefusedAsApproverAndToldWhy() throws {
        let daemon = try DaemonHarness()
        try daemon.start()
        // The SRE is an approver too, but started this run: the runbook does not allow the initiator.
        let runId = try startRun(daemon, as: TestUsers.sre)
        _ = try daemon.waitFor(runId, "the approval gate") { Self.stepStatus($0, "maintenance-on") == "awaiting-approval" }
        let refused = try daemon.ctl(["approve", runId, "maintenance-on"], as: TestUsers.sre)
        XCTAssertEqual(refused.status, 6, refused.stdout + refused.stderr)
        XCTAssertTrue(refused.stderr.contains("initiator-may-not-approve"), refused.stderr)
        // Someone else may.
        XCTAssertEqual(try daemon.ctl(["approve", runId, "maintenance-on"], as: TestUsers.approver).status, 0)
        let again = try daemon.ctl(["approve", runId, "maintenance-on"], as: TestUsers.approver)
        XCTAssertEqual(again.status, 6, "a second approval of a passed gate is refused: \(again.stderr)")
        XCTAssertEqual(try daemon.stop(), 0)
    }

    func testAPeerOutsideTheGroupsIsRefused() throws {
        // Mode 0666 lets the outsider reach the daemon, so the daemon's own check is what refuses.
        let daemon = try DaemonHarness(socketMode: "0666", socketGroup: nil)
        try daemon.start()
        let refused = try daemon.ctl(["runs"], as: TestUsers.outsider)
        XCTAssertEqual(refused.status, 4, refused.stdout + refused.stderr)
        XCTAssertTrue(refused.stderr.contains(TestUsers.outsider), "names who was refused: \(refused.stderr)")
        XCTAssertTrue(daemon.log.contains("control request refused"), daemon.log)
        XCTAssertEqual(try daemon.stop(), 0)

        // With the shipped 0660 and group, the kernel refuses before the daemon hears anything.
        let guarded = try DaemonHarness()
        try guarded.start()
        let denied = try guarded.ctl(["runs"], as: TestUsers.outsider)
        XCTAssertEqual(denied.status, 4, denied.stdout + denied.stderr)
        XCTAssertTrue(denied.stderr.contains(TestUsers.approvers), "says which group to join: \(denied.stderr)")
        XCTAssertEqual(try guarded.stop(), 0)
    }

    /// The daemon's services run in a ServiceGroup; a stop signal that arrives as soon as READY=1
    /// is sent must still stop it cleanly, not kill it with the default action.
    func testSIGTERMRightAfterReadyStopsCleanly() throws {
        let daemon = try DaemonHarness()
        try daemon.start()
        XCTAssertEqual(try daemon.stop(), 0, daemon.log)
        XCTAssertTrue(daemon.log.contains("<5>cutoverd stopping reason=SIGTERM"), daemon.log)
        XCTAssertTrue(daemon.log.contains("<5>cutoverd stopped"), daemon.log)
    }

    func testSIGHUPReloadsAndTheDaemonKeepsServing() throws {
        let daemon = try DaemonHarness()
        try daemon.start()
        kill(try XCTUnwrap(daemon.process).processIdentifier, SIGHUP)
        let deadline = Date().addingTimeInterval(10)
        while !daemon.log.contains("configuration reloaded"), Date() < deadline { usleep(20_000) }
        XCTAssertTrue(daemon.log.contains("<5>configuration reloaded by=\"SIGHUP"), daemon.log)
        XCTAssertEqual(try daemon.ctl(["health"], output: true).status, 0)
        XCTAssertEqual(try daemon.stop(), 0, daemon.log)
    }

    func testSIGTERMMidRunThenRestartResumesTheRun() throws {
        try resumeAfterStop(signal: SIGTERM)
    }

    func testKill9MidRunThenRestartResumesTheRun() throws {
        try resumeAfterStop(signal: SIGKILL)
    }

    private func resumeAfterStop(signal number: Int32) throws {
        let daemon = try DaemonHarness(scale: 300)  // the 30-minute hold takes 6 s real
        try daemon.start()
        let runId = try startRun(daemon)
        _ = try daemon.waitFor(runId, "the approval gate") { Self.stepStatus($0, "maintenance-on") == "awaiting-approval" }
        XCTAssertEqual(try daemon.ctl(["approve", runId, "maintenance-on"], as: TestUsers.approver).status, 0)
        _ = try daemon.waitFor(runId, "the hold") { Self.stepStatus($0, "hold") == "waiting" }
        let code = try daemon.stop(signal: number)
        if number == SIGTERM {
            XCTAssertEqual(code, 0, "SIGTERM is a clean stop: \(daemon.log)")
            XCTAssertTrue(daemon.log.contains("cutoverd stopped"), daemon.log)
        }
        try daemon.start()
        XCTAssertTrue(daemon.log.contains("run resumed"), daemon.log)
        let done = try daemon.waitFor(runId, timeout: 90, "completion after restart") { Self.status($0) == "completed" }
        XCTAssertEqual(Self.status(done), "completed")
        // The journal still verifies end to end after the stop and restart.
        XCTAssertEqual(try daemon.stop(), 0)
        let verify = try CommandResult.run([
            try BuiltProducts.executable("cutoverctl").path, "audit", "verify", runId, "--state-dir", daemon.state,
        ])
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
    }

    func testWatchdogPingsAtHalfTheInterval() throws {
        let daemon = try DaemonHarness()
        daemon.watchdogUsec = 1_000_000
        try daemon.start()
        Thread.sleep(forTimeInterval: 2.3)
        let pings = daemon.notify.count(of: "WATCHDOG=1")
        XCTAssertGreaterThanOrEqual(pings, 3, "expected a ping every 0.5 s: \(daemon.notify.all)")
        XCTAssertLessThanOrEqual(pings, 8)
        XCTAssertEqual(try daemon.stop(), 0)
    }

    func testABadConfigRefusesToStartNamingLineAndColumn() throws {
        let daemon = try DaemonHarness()
        try "socket:\n  path: /tmp/x.sock\n  sokcet: 1\n".write(toFile: daemon.configFile, atomically: true, encoding: .utf8)
        let result = try CommandResult.run([try BuiltProducts.executable("cutoverd").path, "--config", daemon.configFile])
        XCTAssertEqual(result.status, 78, result.stderr)
        XCTAssertTrue(result.stderr.contains("cutoverd.yaml:3:3"), result.stderr)
    }

    static func rss(_ daemon: DaemonHarness) -> String {
        guard let pid = daemon.process?.processIdentifier,
            let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return "?" }
        return line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.map(String.init) ?? "?"
    }
}
