import ControlProtocol
import Engine
import Foundation
import Synchronization
import XCTest

/// `cutoverctl` against a stand-in daemon (`CLIFakeDaemon`): what it sends, how it shows the
/// answers, and the exit codes the daemon's errors map to. The real daemon's side of the same
/// conversations is in DaemonProcessTests.
final class CLIDaemonAnswerTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws { directory = try CLIProcess.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    /// A run in the middle of a cutover: a copy in progress, a forced wait, an approval nobody has
    /// given yet, and a decision. The daemon's clock says 02:00Z; the window ends 04:30Z.
    static func runView(status: String = "running", reason: String = "started") -> String {
        """
        {"now":"2026-12-01T02:00:00.000Z",
         "pendingApprovals":[{"step":"delete-source","title":"Delete the source bucket","message":"Check the staging copy first.",
           "required":2,"approvedBy":["alice"],"approvers":["group:cutover-approvers"],"initiatorMayApprove":false,
           "distinct":true,"deadline":"2026-12-01T02:30:00Z","irreversible":true}],
         "pendingDecisions":[{"step":"recreate","title":"Re-create admin-images","reason":"the name is still held after 5m",
           "options":["retry","slow-retry","rollback"]}],
         "run":{"runId":"r-7","runbook":"admin-console-cutover","planHash":"0123456789abcdef0123","status":"\(status)",
           "reason":"\(reason)","initiator":"ivan","createdAt":"2026-12-01T01:00:00Z",
           "windowStart":"2026-12-01T01:00:00Z","windowEnd":"2026-12-01T04:30:00Z",
           "steps":[
             {"id":"copy","type":"s3.copy","title":"Copy","status":"running","attempts":1,"approvedBy":[],
              "progress":"1200/5000 objects, 3.1 GiB/12 GiB, 120 MiB/s, ETA 2m","irreversible":false},
             {"id":"forced-wait","type":"wait","title":"Wait","status":"waiting","attempts":0,"approvedBy":[],
              "nextAt":"2026-12-01T02:45:30Z","irreversible":false},
             {"id":"delete-source","type":"approval","title":"Delete","status":"awaiting-approval","attempts":0,
              "approvedBy":["alice"],"approvalsRequired":2,"irreversible":true},
             {"id":"recreate","type":"s3.create","title":"Re-create","status":"awaiting-decision","attempts":30,
              "approvedBy":[],"decisionOptions":["retry","slow-retry","rollback"],"decisionReason":"the name is still held after 5m",
              "lastError":{"code":"OperationAborted","message":"A conflicting conditional operation is in progress","retryable":true,
                "account":"product","requestId":"REQ123"},"irreversible":false},
             {"id":"done","type":"approval","title":"Done","status":"succeeded","attempts":1,"approvedBy":["bob"],
              "finishedAt":"2026-12-01T01:30:00Z","irreversible":false}]}}
        """
    }

    func testStatusShowsProgressCountdownsWindowAndWhoMustAct() throws {
        let daemon = try CLIFakeDaemon(directory: directory) { request in
            request.path == "/v1/runs/r-7" ? .json(200, Self.runView()) : .json(404, #"{"error":{"code":"not-found","message":"no"}}"#)
        }
        defer { daemon.stop() }
        let result = try CLIProcess.run(["status", "r-7", "--socket", daemon.path], environment: ["TZ": "UTC"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let text = result.stdout
        for expected in [
            "Run r-7  admin-console-cutover  RUNNING",
            "1 of 5 steps done",
            "window closes in 2h 30m (at 2026-12-01 04:30:00 +00:00)",
            "1200/5000 objects, 3.1 GiB/12 GiB, 120 MiB/s, ETA 2m",
            "waits in 45m 30s (at 02:45:30)",
            "1 of 2 approvals · approved by alice",
            "OperationAborted: A conflicting conditional operation is in progress [account product, request REQ123]",
            "needs 2 approvals from group:cutover-approvers, each by a different person; not by the run's initiator",
            "approved so far: alice (1 of 2)",
            "times out in 30m 00s (at 02:30:00)",
            "approve: cutoverctl approve r-7 delete-source",
            "options: retry, slow-retry, rollback",
            "decide: cutoverctl decide r-7 recreate retry",
        ] {
            XCTAssertTrue(text.contains(expected), "missing \"\(expected)\" in\n\(text)")
        }
        XCTAssertFalse(text.contains("\u{1B}["), "no colour when stdout is not a terminal")
    }

    func testStatusJSONIsTheRunView() throws {
        let daemon = try CLIFakeDaemon(directory: directory) { _ in .json(200, Self.runView()) }
        defer { daemon.stop() }
        let result = try CLIProcess.run(["status", "r-7", "--socket", daemon.path, "--output", "json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let view = try ControlJSON.decoder().decode(RunView.self, from: Data(result.stdout.utf8))
        XCTAssertEqual(view.run.runId, "r-7")
        XCTAssertEqual(view.pendingApprovals.first?.approvedBy, ["alice"])
    }

    func testUnknownRunExitsFive() throws {
        let daemon = try CLIFakeDaemon(directory: directory) { _ in
            .json(404, #"{"error":{"code":"run-not-found","message":"no run r-9; `cutoverctl runs` lists the runs"}}"#)
        }
        defer { daemon.stop() }
        let result = try CLIProcess.run(["status", "r-9", "--socket", daemon.path])
        XCTAssertEqual(result.status, 5)
        XCTAssertEqual(result.stderr, "cutoverctl: error: no run r-9; `cutoverctl runs` lists the runs [run-not-found]\n")
    }

    func testApprovalTheEngineRefusesExitsSixWithItsMessage() throws {
        let daemon = try CLIFakeDaemon(directory: directory) { _ in
            .json(403, #"{"error":{"code":"initiator-may-not-approve","message":"ivan started run r-7 and may not approve its steps"}}"#)
        }
        defer { daemon.stop() }
        let result = try CLIProcess.run(["approve", "r-7", "delete-source", "--comment", "looks good", "--socket", daemon.path])
        XCTAssertEqual(result.status, 6)
        XCTAssertTrue(result.stderr.contains("ivan started run r-7 and may not approve its steps"), result.stderr)
        let request = try XCTUnwrap(daemon.requests.first)
        XCTAssertEqual(request.method, "POST")
        XCTAssertEqual(request.path, "/v1/runs/r-7/approvals")
        let body = try ControlJSON.decoder().decode(ApprovalRequest.self, from: request.body)
        XCTAssertEqual(body, ApprovalRequest(step: "delete-source", verdict: .approve, comment: "looks good"))
    }

    func testPeerNotAuthorizedExitsFour() throws {
        let daemon = try CLIFakeDaemon(directory: directory) { _ in
            .json(
                403, #"{"error":{"code":"peer-not-authorized","message":"mallory is in neither cutover-operators nor cutover-approvers"}}"#)
        }
        defer { daemon.stop() }
        XCTAssertEqual(try CLIProcess.run(["runs", "--socket", daemon.path]).status, 4)
    }

    func testOperatorActionsPostTheirRoute() throws {
        let daemon = try CLIFakeDaemon(directory: directory) { request in
            let action = request.path.split(separator: "/").last.map(String.init) ?? "?"
            return .json(200, #"{"runId":"r-7","action":"\#(action)","status":"paused","message":"run r-7 \#(action) by root"}"#)
        }
        defer { daemon.stop() }
        for (arguments, path) in [
            (["pause", "r-7", "--comment", "hold"], "/v1/runs/r-7/pause"),
            (["resume", "r-7"], "/v1/runs/r-7/resume"),
            (["cancel", "r-7"], "/v1/runs/r-7/cancel"),
            (["rollback", "r-7"], "/v1/runs/r-7/rollback"),
            (["retry", "r-7", "recreate"], "/v1/runs/r-7/retry"),
            (["decide", "r-7", "recreate", "slow-retry"], "/v1/runs/r-7/decide"),
            (["reject", "r-7", "delete-source", "--comment", "copy incomplete"], "/v1/runs/r-7/approvals"),
        ] {
            let result = try CLIProcess.run(arguments + ["--socket", daemon.path])
            XCTAssertEqual(result.status, 0, "\(arguments): \(result.stderr)")
            XCTAssertEqual(daemon.requests.last?.path, path)
            XCTAssertTrue(result.stdout.contains("by root"), result.stdout)
        }
        let retry = try ControlJSON.decoder().decode(ActionRequest.self, from: daemon.requests[4].body)
        XCTAssertEqual(retry.step, "recreate")
        let decide = try ControlJSON.decoder().decode(DecideRequest.self, from: daemon.requests[5].body)
        XCTAssertEqual(decide.option, "slow-retry")
    }

    static let planResponse = """
        {"text":"Plan for demo\\n  plan hash   abcdef123456\\n","json":"{\\"hash\\":\\"abcdef1234567890\\"}","hash":"abcdef1234567890",
         "preflight":null}
        """

    func testStartSendsThePlanHashItShowed() throws {
        let daemon = try CLIFakeDaemon(directory: directory) { request in
            switch (request.method, request.path) {
            case ("POST", "/v1/plan"): return .json(200, Self.planResponse)
            case ("POST", "/v1/runs"): return .json(201, Self.runView())
            default: return .json(404, #"{"error":{"code":"not-found","message":"no"}}"#)
            }
        }
        defer { daemon.stop() }
        let runbook = CLIProcess.repositoryFile("Runbooks/examples/engine-demo.yaml")
        let result = try CLIProcess.run(["start", runbook, "--param", "settle=1m", "--yes", "-q", "--socket", daemon.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "r-7\n")
        let plan = try ControlJSON.decoder().decode(PlanRequest.self, from: daemon.requests[0].body)
        XCTAssertFalse(plan.preflight)
        XCTAssertEqual(plan.parameters, ["settle": "1m"])
        let start = try ControlJSON.decoder().decode(StartRunRequest.self, from: daemon.requests[1].body)
        XCTAssertEqual(start.expectPlanHash, "abcdef1234567890")
        XCTAssertEqual(start.runbook, try String(contentsOfFile: runbook, encoding: .utf8))
    }

    func testStartWithoutConfirmationAndNoTerminalRefusesAndStartsNothing() throws {
        let daemon = try CLIFakeDaemon(directory: directory) { _ in .json(200, Self.planResponse) }
        defer { daemon.stop() }
        let runbook = CLIProcess.repositoryFile("Runbooks/examples/engine-demo.yaml")
        let result = try CLIProcess.run(["start", runbook, "--socket", daemon.path])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("pass --yes"), result.stderr)
        XCTAssertTrue(result.stdout.contains("Plan hash abcdef1234567890"), result.stdout)
        XCTAssertEqual(daemon.requests.map(\.path), ["/v1/plan"])
    }

    func testChangedPlanIsRefusedWithExitSix() throws {
        let daemon = try CLIFakeDaemon(directory: directory) { request in
            request.path == "/v1/plan"
                ? .json(200, Self.planResponse)
                : .json(409, #"{"error":{"code":"plan-changed","message":"the plan is now 99ff…, not abcdef…; review it again"}}"#)
        }
        defer { daemon.stop() }
        let runbook = CLIProcess.repositoryFile("Runbooks/examples/engine-demo.yaml")
        XCTAssertEqual(try CLIProcess.run(["start", runbook, "--yes", "--socket", daemon.path]).status, 6)
    }

    func testInvalidRunbookDiagnosticsFromTheDaemonArePrintedAndExitOne() throws {
        let daemon = try CLIFakeDaemon(directory: directory) { _ in
            .json(
                422,
                """
                {"error":{"code":"runbook-invalid","message":"x.yaml has 1 error; nothing was started",
                 "details":[{"code":"unknown-step-type","message":"x.yaml:6:11: error: step `a` uses `nope`"}]}}
                """)
        }
        defer { daemon.stop() }
        let runbook = CLIProcess.repositoryFile("Runbooks/examples/engine-demo.yaml")
        let result = try CLIProcess.run(["plan", runbook, "--preflight", "--socket", daemon.path])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("\nx.yaml:6:11: error: step `a` uses `nope`\n"), result.stderr)
    }

    func testPreflightFailureExitsOneAfterShowingTheChecks() throws {
        let response = """
            {"text":"Plan for demo\\n","json":"{\\"hash\\":\\"h\\"}","hash":"h",
             "preflight":[{"account":"legacy","check":"sts.identity","outcome":"ok","detail":"111111111111"},
                          {"account":"product","check":"kms.key-shareable","outcome":"failed","detail":"aws/rds cannot be shared"}]}
            """
        let daemon = try CLIFakeDaemon(directory: directory) { _ in .json(200, response) }
        defer { daemon.stop() }
        let runbook = CLIProcess.repositoryFile("Runbooks/examples/engine-demo.yaml")
        let result = try CLIProcess.run(["plan", runbook, "--preflight", "--socket", daemon.path])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stdout.contains("FAILED   product  kms.key-shareable  aws/rds cannot be shared"), result.stdout)
        let json = try CLIProcess.run(["plan", runbook, "--preflight", "--output", "json", "--socket", daemon.path])
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((document["plan"] as? [String: Any])?["hash"] as? String, "h")
        XCTAssertEqual((document["preflight"] as? [Any])?.count, 2)
    }

    static func event(_ sequence: Int, _ kind: String, step: String? = nil, summary: String) -> String {
        let stepField = step.map { #","step":"\#($0)""# } ?? ""
        return
            #"{"sequence":\#(sequence),"kind":"\#(kind)","time":"2026-12-01T02:00:0\#(sequence % 10)Z"\#(stepField),"summary":"\#(summary)"}"#
    }

    func testEventsReassembleLinesAcrossChunks() throws {
        let lines = [
            Self.event(1, "run.created", summary: "run created by ivan"),
            Self.event(2, "step.succeeded", step: "warm-up", summary: "warm-up succeeded"),
            Self.event(3, "approval.decided", step: "maintenance-on", summary: "approved by alice"),
            #"{"sequence":0,"kind":"end","time":"2026-12-01T02:00:09Z","summary":"end of stream"}"#,
        ]
        let daemon = try CLIFakeDaemon(directory: directory) { _ in .stream(lines, delay: 0.01) }
        defer { daemon.stop() }
        let result = try CLIProcess.run(["events", "r-7", "--follow", "--after", "0", "--socket", daemon.path], environment: ["TZ": "UTC"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(daemon.requests.first?.path, "/v1/runs/r-7/events?follow=true")
        let printed = result.stdout.split(separator: "\n")
        XCTAssertEqual(printed.count, 3, result.stdout)
        XCTAssertEqual(printed[2], "2026-12-01 02:00:03 +00:00  #3  approval.decided  maintenance-on  approved by alice")
        let json = try CLIProcess.run(["events", "r-7", "--output", "json", "--socket", daemon.path])
        XCTAssertEqual(json.stdout.split(separator: "\n").map(String.init), lines)
    }

    /// `status --watch` redraws as events arrive and exits with the code of the status the run
    /// ends in: here rolled back, 10.
    func testWatchExitsWithTheTerminalStatusCode() throws {
        let ended = Mutex(false)
        let daemon = try CLIFakeDaemon(directory: directory) { request in
            if request.path.contains("/events") {
                defer { ended.withLock { $0 = true } }
                return .stream(
                    [
                        Self.event(5, "step.succeeded", step: "copy", summary: "copy succeeded"),
                        Self.event(6, "run.status", summary: "rolled back"),
                        #"{"sequence":0,"kind":"end","time":"2026-12-01T02:00:09Z","summary":"end of stream"}"#,
                    ], delay: 0.05)
            }
            let status = ended.withLock { $0 } ? "rolled-back" : "rolling-back"
            return .json(200, Self.runView(status: status, reason: "rollback by alice"))
        }
        defer { daemon.stop() }
        let result = try CLIProcess.run(["status", "r-7", "--watch", "--socket", daemon.path])
        XCTAssertEqual(result.status, 10, result.stderr)
        XCTAssertTrue(result.stdout.contains("ROLLING-BACK"), result.stdout)
        XCTAssertTrue(result.stdout.hasSuffix("Run r-7 is rolled-back (rollback by alice).\n"), result.stdout)
    }

    func testWatchOfAPausedRunExitsTwelveAtOnce() throws {
        let daemon = try CLIFakeDaemon(directory: directory) { _ in .json(200, Self.runView(status: "paused", reason: "step copy failed")) }
        defer { daemon.stop() }
        let result = try CLIProcess.run(["status", "r-7", "--watch", "--socket", daemon.path])
        XCTAssertEqual(result.status, 12, result.stderr)
        XCTAssertTrue(result.stdout.contains("cutoverctl resume r-7"), result.stdout)
    }

    func testHealthShowsWhoTheDaemonThinksYouAre() throws {
        let daemon = try CLIFakeDaemon(directory: directory) { _ in
            .json(
                200,
                """
                {"status":"ok","version":"0.6.0","pid":42,"now":"2026-12-01T02:00:00Z","startedAt":"2026-12-01T01:00:00Z",
                 "journalRecords":1234,"activeRuns":1,"you":{"user":"root","uid":0,"groups":["root"],"loginUser":"alice","loginUid":1002}}
                """)
        }
        defer { daemon.stop() }
        let result = try CLIProcess.run(["health", "--socket", daemon.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("you          root (uid 0) via alice, groups root"), result.stdout)
        XCTAssertTrue(result.stdout.contains("journal      1234 records"), result.stdout)
    }

    /// The client directly: a Content-Length answer, a non-2xx stream, and a stream stopped by its callback.
    func testControlClientReadsAnswersAndStopsStreamsOnRequest() throws {
        let daemon = try CLIFakeDaemon(directory: directory) { request in
            switch request.path {
            case "/v1/health": return .json(200, #"{"ok":true}"#)
            case "/v1/runs/gone/events?follow=true": return .json(404, #"{"error":{"code":"run-not-found","message":"no run gone"}}"#)
            default: return .stream((1...5).map { Self.event($0, "k", summary: "s\($0)") }, delay: 0.01)
            }
        }
        defer { daemon.stop() }
        let client = ControlClient(socketPath: daemon.path, timeout: 5)
        let answer = try client.send(method: "GET", path: "/v1/health")
        XCTAssertEqual(answer.status, 200)
        XCTAssertEqual(String(decoding: answer.body, as: UTF8.self), #"{"ok":true}"#)

        var seen: [Int64] = []
        try client.stream(path: ControlRoute.eventsPath("r-1", follow: true)) { line in
            seen.append((try? ControlJSON.decoder().decode(EventLine.self, from: line))?.sequence ?? -1)
            return seen.count < 3
        }
        XCTAssertEqual(seen, [1, 2, 3])

        XCTAssertThrowsError(try client.stream(path: ControlRoute.eventsPath("gone", follow: true)) { _ in true }) { error in
            let failure = error as? ControlClientError
            XCTAssertEqual(failure?.kind, .rejected)
            XCTAssertEqual(failure?.status, 404)
            XCTAssertEqual(failure?.apiError?.code, "run-not-found")
        }
    }
}
