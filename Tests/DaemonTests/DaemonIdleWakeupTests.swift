import Audit
import ControlProtocol
import Engine
import Foundation
import Journal
import TestSupport
import Testing

@testable import Daemon

/// Issue 16, item 6: an idle cutoverd sets no timers of its own, and busy runs are checkpointed
/// every N records rather than only on a timer.
@Suite(.serialized) struct DaemonIdleWakeupTests {
    static func waitUntil(_ condition: @Sendable () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(120)
        while try await !condition() {
            try #require(ContinuousClock.now < deadline, "condition not reached within 120 s")
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    static func checkpoints(_ journal: Journal, _ stream: String) throws -> [AuditCheckpoint] {
        try journal.records(stream: stream).filter { $0.kind == AuditCheckpoint.kind }.map { try AuditCheckpoint(record: $0) }
    }

    /// The follower with a timer that never fires within the test: whatever it checkpoints, it
    /// checkpoints because of what was journaled. The caller keeps the hub (the journal holds it
    /// weakly).
    static func follow(_ journal: Journal, directory: String, interval: Int) throws -> (Task<Void, Never>, RunEventHub) {
        let hub = RunEventHub()
        hub.attach(to: journal)
        let checkpointer = Checkpointer(
            journal: journal, key: try AuditKey.loadOrCreate(stateDirectory: directory), anchors: nil,
            interval: interval)
        let records = hub.subscribe(stream: nil)
        let task = Task { await CheckpointFollower(checkpointer: checkpointer, within: .seconds(3600)) { _ in }.follow(records) }
        return (task, hub)
    }

    @Test func aBusyStreamIsCheckpointedEveryNRecordsWithoutWaitingForTheTimer() async throws {
        let directory = try JournalFullTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let journal = try Journal(path: directory + "/journal.db")
        let (task, hub) = try Self.follow(journal, directory: directory, interval: 5)
        defer { withExtendedLifetime(hub) { task.cancel() } }

        for index in 1...4 {
            try journal.append(stream: "r-busy", kind: "test.record", event: ["n": index], at: Date())
        }
        try await Task.sleep(for: .milliseconds(50))
        #expect(try Self.checkpoints(journal, "r-busy").isEmpty, "fewer than N records: the timer's business")
        try journal.append(stream: "r-busy", kind: "test.record", event: ["n": 5], at: Date())
        try await Self.waitUntil { try Self.checkpoints(journal, "r-busy").count == 1 }
        let first = try #require(try Self.checkpoints(journal, "r-busy").first)
        #expect(first.streamSequence == 5)
        for index in 6...10 {
            try journal.append(stream: "r-busy", kind: "test.record", event: ["n": index], at: Date())
        }
        try await Self.waitUntil { try Self.checkpoints(journal, "r-busy").count == 2 }
        #expect(try Self.checkpoints(journal, "r-busy").last?.streamSequence == 11, "the five records after the first checkpoint")
        #expect(try journal.verify().valid)
    }

    @Test func aRunIsCheckpointedWhenItOpensAndWhenItEnds() async throws {
        let directory = try JournalFullTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let journal = try Journal(path: directory + "/journal.db")
        let (task, hub) = try Self.follow(journal, directory: directory, interval: 1000)
        defer { withExtendedLifetime(hub) { task.cancel() } }
        let clock = ManualClock(now: EngineFixture.epoch)
        let engine = Engine(journal: journal, registry: StepRegistry(), clock: clock)
        var plan = TestPlan()
        plan.add("settle", type: "wait", inputs: [("for", .number(60))])
        let run = try await engine.start(plan: plan.build(), runbookSource: "# test", parameters: [:], initiator: TestPeople.initiator)

        try await Self.waitUntil { try Self.checkpoints(journal, run.runId).map(\.reason) == [.opening] }
        #expect(await EngineDriver(clock: clock).drive(run) == .finished(.completed))
        try await Self.waitUntil { try Self.checkpoints(journal, run.runId).map(\.reason) == [.opening, .final] }
    }

    @Test func windowWarningsSetNoTimerUntilARunHasAWindow() async throws {
        let directory = try JournalFullTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let clock = ManualClock(now: Date(timeIntervalSince1970: 1_796_000_000))
        let daemon = try await JournalFullTests.Daemon(directory: directory, clock: clock)
        let observer = RunObserver(
            runs: daemon.runs, metrics: daemon.metrics,
            notifier: Notifier(
                targets: [JournalFullTests.RecordingTarget(delivered: daemon.delivered)],
                log: DaemonLog(level: .warning), metrics: daemon.metrics),
            systemd: SystemdNotifier(environment: [:]), log: DaemonLog(level: .warning))
        let warnings = Task { await WindowWarnings(runs: daemon.runs, clock: clock, observer: observer, warning: 1800).run() }
        defer { warnings.cancel() }

        try await Task.sleep(for: .milliseconds(100))
        #expect(clock.sleeperCount == 0, "with no runs, the warnings need no timer")

        // A run whose window ends in two hours: the run waits for its approval (no timer of its
        // own), the warnings sleep until 30 minutes before the end.
        let now = clock.now()
        let runbook = """
            apiVersion: cutover/v1
            name: windowed
            region: us-east-1
            window: { start: "\(ControlJSON.format(now.addingTimeInterval(-3600)))", end: "\(ControlJSON.format(now.addingTimeInterval(7200)))", onOverrun: pause }
            approvals: { approvers: ["user:nobody"], required: 1 }
            steps:
              - id: gate
                uses: approval
            """
        let (status, data) = try await daemon.call(
            "POST", "/v1/runs", json: try ControlJSON.encoder().encode(StartRunRequest(file: "windowed.yaml", runbook: runbook)))
        try #require(status == 201, "start: \(String(decoding: data, as: UTF8.self))")
        let runId = try ControlJSON.decoder().decode(RunView.self, from: data).run.runId
        let runs = daemon.runs
        try await Self.waitUntil { await (try? runs.snapshot(of: runId).steps.first?.status) == .awaitingApproval }
        try await Self.waitUntil { clock.sleeperCount >= 1 }

        clock.advance(to: now.addingTimeInterval(7200 - 1800))
        try await Self.waitUntil { daemon.delivered.notifications.contains { $0.kind == .windowEnding && $0.runId == runId } }
    }
}
