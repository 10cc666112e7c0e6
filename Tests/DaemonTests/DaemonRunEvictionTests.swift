import ControlProtocol
import Foundation
import Testing

@testable import Daemon
@testable import Engine

/// Issue 16, item 2: cutoverd drives the engine's runs and keeps no executor of its own; a
/// finished run leaves memory (the soak showed ≈ 0.2 MiB kept per finished cutover), yet the
/// control API answers everything about it from what the engine kept or the journal.
@Suite(.serialized) struct DaemonRunEvictionTests {
    static let runbook = """
        apiVersion: cutover/v1
        name: short
        region: us-east-1
        steps:
          - id: settle
            uses: wait
            with: { for: 1m }
        """

    static func start(_ daemon: JournalFullTests.Daemon) async throws -> String {
        let (status, data) = try await daemon.call(
            "POST", "/v1/runs", json: try ControlJSON.encoder().encode(StartRunRequest(file: "short.yaml", runbook: runbook)))
        try #require(status == 201, "start: \(String(decoding: data, as: UTF8.self))")
        return try ControlJSON.decoder().decode(RunView.self, from: data).run.runId
    }

    /// Nothing else (driver task, observer, routes) keeps the executor, its state or its sessions.
    static func waitUntilReleased(_ released: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while !released() {
            try #require(ContinuousClock.now < deadline, "the finished run's executor is still referenced")
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    @Test func aFinishedRunIsEvictedAndTheControlAPIStillAnswersForIt() async throws {
        let directory = try JournalFullTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let daemon = try await JournalFullTests.Daemon(
            directory: directory, clock: ManualClock(now: Date(timeIntervalSince1970: 1_796_000_000)))
        let runId = try await Self.start(daemon)
        #expect(runId.wholeMatch(of: /r-\d{8}-\d{6}-[0-9a-f]{4}/) != nil, "the daemon's run IDs are the engine's: \(runId)")
        let engine = daemon.runs.engine
        weak let executor = await engine.held(runId)
        #expect(executor != nil)

        try await daemon.drive { await engine.held(runId) == nil }
        #expect(await daemon.runs.active().isEmpty)
        try await Self.waitUntilReleased { executor == nil }

        let view = try await daemon.get(RunView.self, "/v1/runs/\(runId)")
        #expect(view.run.status == .completed)
        #expect(view.run.done == 1)
        let list = try await daemon.get(RunList.self, "/v1/runs")
        #expect(list.runs.map(\.runId) == [runId])
        #expect(list.runs.first?.status == .completed)
        let approvals = try await daemon.get(ApprovalsView.self, "/v1/runs/\(runId)/approvals")
        #expect(approvals.pending.isEmpty)
        let (planStatus, _) = try await daemon.call("GET", "/v1/runs/\(runId)/plan")
        #expect(planStatus == 200)
        let (metricsStatus, metrics) = try await daemon.call("GET", "/metrics")
        #expect(metricsStatus == 200)
        #expect(String(decoding: metrics, as: UTF8.self).contains("cutover_runs{state=\"completed\"} 1"))

        // Actions on it are refused as before, and do not bring its executor back.
        let (cancel, refusal) = try await daemon.call("POST", "/v1/runs/\(runId)/cancel")
        #expect(cancel == 409, "\(String(decoding: refusal, as: UTF8.self))")
        #expect(await engine.held(runId) == nil)

        let (missing, _) = try await daemon.call("GET", "/v1/runs/r-20991231-000000-0000")
        #expect(missing == 404)
    }

    /// `status` of a finished run is answered from the snapshot the engine kept: repeated calls
    /// read no journal stream, and the view is the one the rebuilt state gives.
    @Test func theStatusOfAFinishedRunReadsNoJournal() async throws {
        let directory = try JournalFullTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let clock = ManualClock(now: Date(timeIntervalSince1970: 1_796_000_000))
        let daemon = try await JournalFullTests.Daemon(directory: directory, clock: clock)
        let runId = try await Self.start(daemon)
        let engine = daemon.runs.engine
        try await daemon.drive { await engine.held(runId) == nil }

        let reads = await engine.streamReads
        var views: [RunView] = []
        for _ in 0..<3 { views.append(try await daemon.get(RunView.self, "/v1/runs/\(runId)")) }
        #expect(await engine.streamReads == reads, "status rebuilt the finished run from the journal")
        #expect(views.allSatisfy { $0 == views[0] })

        let rebuilt = try await engine.executor(for: runId)
        let longWay = RunViews.view(state: await rebuilt.state, snapshot: try await engine.snapshot(of: runId), now: clock.now())
        #expect(views[0] == longWay)
        #expect(views[0].run.status == .completed)
    }

    /// A run cancelled while a gate was asking still shows that gate's message and approvers: they
    /// live only in the run's state, so its status takes the long way.
    @Test func aFinishedRunWithAGateStillAskingShowsTheGate() async throws {
        let directory = try JournalFullTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let daemon = try await JournalFullTests.Daemon(
            directory: directory, clock: ManualClock(now: Date(timeIntervalSince1970: 1_796_000_000)))
        let gated = """
            apiVersion: cutover/v1
            name: gated
            region: us-east-1
            steps:
              - id: go-no-go
                uses: approval
                message: "Is the maintenance page up?"
            """
        let (status, data) = try await daemon.call(
            "POST", "/v1/runs", json: try ControlJSON.encoder().encode(StartRunRequest(file: "gated.yaml", runbook: gated)))
        try #require(status == 201, "start: \(String(decoding: data, as: UTF8.self))")
        let runId = try ControlJSON.decoder().decode(RunView.self, from: data).run.runId
        let engine = daemon.runs.engine
        try await daemon.drive {
            (try? await daemon.get(RunView.self, "/v1/runs/\(runId)"))?.pendingApprovals.isEmpty == false
        }
        let (cancel, body) = try await daemon.call("POST", "/v1/runs/\(runId)/cancel")
        try #require(cancel == 200, "\(String(decoding: body, as: UTF8.self))")
        try await daemon.drive { await engine.held(runId) == nil }

        let view = try await daemon.get(RunView.self, "/v1/runs/\(runId)")
        #expect(view.run.status == .cancelled)
        #expect(view.run.steps.first?.status == .awaitingApproval)
        #expect(view.pendingApprovals.map(\.message) == ["Is the maintenance page up?"])
    }

    @Test func theEventsOfAFinishedRunAreStillServed() async throws {
        let directory = try JournalFullTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let daemon = try await JournalFullTests.Daemon(
            directory: directory, clock: ManualClock(now: Date(timeIntervalSince1970: 1_796_000_000)))
        let runId = try await Self.start(daemon)
        let engine = daemon.runs.engine
        try await daemon.drive { await engine.held(runId) == nil }
        let response = await daemon.routes.handle(
            ControlRequest(method: "GET", path: "/v1/runs/\(runId)/events"),
            peer: PeerCredentials(pid: getpid(), uid: getuid(), gid: getgid()))
        guard case let .stream(status, _, chunks) = response else {
            Issue.record("events answered without a stream")
            return
        }
        #expect(status == 200)
        var text = ""
        for await chunk in chunks { text += String(decoding: chunk, as: UTF8.self) }
        #expect(text.contains("\"kind\":\"run.created\""))
        #expect(text.contains("\"kind\":\"end\""))
    }
}
