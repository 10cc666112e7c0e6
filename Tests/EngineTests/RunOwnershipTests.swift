import Foundation
import Journal
import Runbook
import Synchronization
import TestSupport
import Testing

@testable import Engine

/// Issue 16, item 2: the engine owns runs — one start, one resume (reading each run's journal
/// stream once), lookups, and eviction of finished runs — with one run-ID format.
@Suite struct RunOwnershipTests {
    static func quickPlan() -> RunbookPlan {
        var plan = TestPlan()
        plan.add("create")
        return plan.build(name: "quick")
    }

    static func gatedPlan() -> RunbookPlan {
        var plan = TestPlan()
        plan.add("create")
        plan.add("gate", type: "approval")
        return plan.build(name: "gated")
    }

    /// Counts the registries the engine asks for, by run.
    final class RegistryCalls: Sendable {
        private let runs = Mutex<[String]>([])
        func called(_ runId: String) { runs.withLock { $0.append(runId) } }
        var all: [String] { runs.withLock { $0 } }
    }

    @Test func aFinishedRunLeavesMemoryYetItsStatusIsAnswered() async throws {
        let fixture = try EngineFixture()
        let run = try await fixture.start(Self.quickPlan())
        #expect(await fixture.engine.held(run.runId) === run)

        #expect(await fixture.engine.drive(run) == .idle(nextWake: nil, status: .completed))

        #expect(await fixture.engine.held(run.runId) == nil, "the finished run's executor is still held")
        #expect(await fixture.engine.active().isEmpty)
        let kept = try await fixture.engine.snapshot(of: run.runId)
        #expect(kept.status == .completed)
        #expect(kept.done == 1)
        #expect(await fixture.engine.snapshots().map(\.runId) == [run.runId])

        // A lookup rebuilds a view from the journal; it refuses what the live executor refused,
        // and nothing keeps it.
        let view = try await fixture.engine.executor(for: run.runId)
        #expect(view !== run)
        #expect(await view.state.status == .completed)
        #expect(await view.snapshot() == kept)
        await #expect(throws: EngineError.self) { try await view.cancel(by: TestPeople.alice) }
        #expect(await fixture.engine.held(run.runId) == nil)
    }

    @Test func anUnfinishedRunIsNotEvicted() async throws {
        let fixture = try EngineFixture()
        let run = try await fixture.start(Self.gatedPlan())
        #expect(await fixture.driver.drive(run) == .waitingForOperator)
        await fixture.engine.evict(run.runId)
        #expect(await fixture.engine.held(run.runId) === run)
        #expect(try await fixture.engine.executor(for: run.runId) === run)
        #expect(await fixture.engine.active().map(\.runId) == [run.runId])
    }

    @Test func newRunIdsHaveOneFormat() async throws {
        #expect(RunID.make(at: EngineFixture.epoch, suffix: 0x1a) == "r-20261201-000000-001a")
        #expect(RunID.make(at: EngineFixture.epoch.addingTimeInterval(3723.9), suffix: 0xbeef) == "r-20261201-010203-beef")
        let fixture = try EngineFixture()
        let pattern = /r-\d{8}-\d{6}-[0-9a-f]{4}/
        for _ in 0..<20 {
            let run = try await fixture.start(Self.quickPlan())
            #expect(run.runId.wholeMatch(of: pattern) != nil, "\(run.runId)")
            #expect(run.runId.hasPrefix("r-20261201-000000-"))
        }
    }

    @Test func runsJournaledWithTheOlderUnpaddedIdStillResume() async throws {
        let fixture = try EngineFixture()
        let old = "r-20261130-160008-a86"
        _ = try await fixture.engine.start(
            plan: Self.gatedPlan(), runbookSource: "# test", parameters: [:],
            initiator: TestPeople.initiator, runId: old)
        try fixture.reopen()
        let resumed = try await fixture.engine.resumeAll()
        #expect(resumed.map(\.runId) == [old])
        #expect(await fixture.driver.drive(try #require(resumed.first)) == .waitingForOperator)
        #expect(try await fixture.engine.snapshot(of: old).status == .running)
    }

    @Test func resumeReadsEachRunOnceAndBuildsStepsOnlyForUnfinishedRuns() async throws {
        let fixture = try EngineFixture()
        let done = try await fixture.start(Self.quickPlan())
        #expect(await fixture.driver.drive(done) == .finished(.completed))
        let open = try await fixture.start(Self.gatedPlan())
        #expect(await fixture.driver.drive(open) == .waitingForOperator)

        let calls = RegistryCalls()
        let registry = fixture.registry
        let engine = Engine(journal: try Journal(path: fixture.journal.path), clock: fixture.clock) { _, runId in
            calls.called(runId)
            return registry
        }
        let resumed = try await engine.resumeAll()
        #expect(resumed.map(\.runId) == [open.runId])
        #expect(await engine.streamReads == 2, "each run's stream is read once")
        #expect(calls.all == [open.runId], "step executors (AWS sessions in cutoverd) only for the unfinished run")
        #expect(await engine.held(done.runId) == nil)
        #expect(try await engine.snapshot(of: done.runId).status == .completed)
        #expect(await engine.streamReads == 2, "the finished run's status comes from what resume kept")

        // A second resume reads nothing again and returns the same executor.
        let again = try await engine.resumeAll()
        #expect(again.count == 1 && again.first === resumed.first)
        #expect(await engine.streamReads == 2)
    }

    @Test func theDaemonStreamIsNeverARun() async throws {
        let fixture = try EngineFixture()
        try fixture.journal.append(stream: "daemon", kind: "daemon.started", event: ["version": "test"], at: fixture.clock.now())
        #expect(try await fixture.engine.resumeAll().isEmpty)
        await #expect(throws: EngineError(.runNotFound, "no run daemon; `cutoverctl runs` lists them")) {
            try await fixture.engine.executor(for: "daemon")
        }
        await #expect(throws: EngineError.self) { try await fixture.engine.snapshot(of: "r-nothing") }
    }
}
