import Engine
import Foundation
import Journal
import Runbook
import TestSupport
import Testing

/// Invariants 1–3 under crashes: the representative run below is stopped at every journal write
/// (before the write lands, and just after it), the journal and engine are abandoned, new ones are
/// opened on the same file, and the run is driven to its end. Every crash point must end in the
/// same final state, with each irreversible effect performed exactly once and no due time reset.
@Suite struct CrashHarnessTests {
    /// Shaped like the admin-console cutover: a pre-copy and a polled snapshot in parallel, an
    /// approval, the irreversible delete, the forced wait, the re-create loop (failing 3 times), a
    /// restore in a parallel branch, verification, and a final approval.
    static func representativePlan() -> RunbookPlan {
        var plan = TestPlan()
        plan.add("precopy", after: [])
        plan.add(
            "snapshot", type: "test.poll", after: [], retry: RetryPolicy(backoff: .fixed(interval: .seconds(30))),
            inputs: [("polls", .number(3))])
        plan.add("maintenance-on", type: "approval", after: ["precopy", "snapshot"])
        plan.add(
            "delete-source", type: "test.delete", after: ["maintenance-on"], irreversible: true,
            inputs: [("resource", .string("source")), ("deletes", .bool(true))])
        plan.add(
            "forced-wait", type: "wait", after: ["delete-source"],
            inputs: [("for", .number(3600)), ("after", .string("delete-source"))])
        plan.add(
            "recreate", after: ["forced-wait"],
            retry: RetryPolicy(backoff: .fixed(interval: .seconds(10)), maxElapsed: .seconds(300)))
        plan.add("restore", after: ["maintenance-on"])
        plan.add("verify", after: ["recreate", "restore"])
        plan.add("maintenance-off", type: "approval", after: ["verify"])
        return plan.build(name: "crash-harness")
    }

    static let effects = ["precopy", "delete-source", "recreate", "restore", "verify"]

    /// Approves whatever waits for approval, as an on-call approver would.
    static let approver: @Sendable (RunExecutor) async -> Bool = { run in
        let waiting = await run.snapshot().steps.filter { $0.status == .awaitingApproval }.map(\.id)
        var acted = false
        for step in waiting where (try? await run.approve(step: step, by: TestPeople.alice)) != nil { acted = true }
        return acted
    }

    static func prepare(_ fixture: EngineFixture) {
        fixture.world.perform("seed", creating: "source", at: fixture.clock.now())
        fixture.world.script("recreate", ["OperationAborted", "OperationAborted", "OperationAborted"])
    }

    /// One clean run: how many journal writes it makes, and its final step states.
    static func cleanRun() async throws -> (writes: Int64, final: [String: StepState.Status]) {
        let fixture = try EngineFixture(inMemoryFilesystem: true)
        prepare(fixture)
        let run = try await fixture.start(representativePlan())
        let stop = await fixture.driver.drive(run, onIdle: approver)
        #expect(stop == .finished(.completed))
        let final = await run.snapshot().steps.reduce(into: [String: StepState.Status]()) { $0[$1.id] = $1.status }
        return (fixture.journal.faults.appendsAttempted, final)
    }

    enum CrashKind: CaseIterable { case beforeWrite, afterWrite }

    @Test func everyJournalWritePointRecoversToTheSameEnd() async throws {
        let clean = try await Self.cleanRun()
        #expect(clean.writes > 30)
        var covered = 0
        for write in 2...clean.writes {
            for kind in CrashKind.allCases {
                try await crashAndRecover(at: write, kind: kind, expected: clean.final)
                covered += 1
            }
        }
        // Write 1 is the run's creation: a crash there means the run never started (tested below).
        #expect(covered == Int(clean.writes - 1) * 2)
        print("crash harness: \(covered) crash points over \(clean.writes) journal writes, all recovered")
    }

    func crashAndRecover(at write: Int64, kind: CrashKind, expected: [String: StepState.Status]) async throws {
        let fixture = try EngineFixture(inMemoryFilesystem: true)
        Self.prepare(fixture)
        switch kind {
        case .beforeWrite: fixture.journal.faults.crash(atAppend: write)
        case .afterWrite: fixture.journal.faults.crash(afterAppend: write)
        }
        let first = try await fixture.start(Self.representativePlan())
        let runId = first.runId
        let stop = await fixture.driver.drive(first, onIdle: Self.approver)
        if kind == .beforeWrite || write < fixture.journal.faults.appendsAttempted {
            // A crash on an approval's write fails the approver's command instead of the loop.
            #expect(stop == .halted || stop == .waitingForOperator, "write \(write) \(kind): the crash did not stop the engine")
            #expect(await first.isHalted, "write \(write) \(kind): the engine went on after the journal failed")
        }

        try fixture.reopen()
        _ = try await fixture.engine.resumeAll()
        let run = try await fixture.engine.executor(for: runId)
        let end = await fixture.driver.drive(run, onIdle: Self.approver)

        let context = "crash \(kind) write \(write)"
        #expect(end == .finished(.completed), "\(context)")
        let final = await run.snapshot().steps.reduce(into: [String: StepState.Status]()) { $0[$1.id] = $1.status }
        #expect(final == expected, "\(context)")
        for effect in Self.effects {
            #expect(fixture.world.count(effect) == 1, "\(context): \(effect) performed \(fixture.world.count(effect)) times")
        }
        #expect(!fixture.world.exists("source"))

        let events = try fixture.events(runId)
        let dues = events.compactMap { event, _ -> Date? in
            if case let .timerSet(t) = event, t.step == "forced-wait" { return t.due }
            return nil
        }
        let deletedAt = try #require(await run.state.steps["delete-source"]?.succeededAt)
        #expect(dues == [deletedAt.addingTimeInterval(3600)], "\(context): forced wait due times \(dues)")
        #expect(RunState.fold(events) == (await run.state), "\(context): journal fold differs from the live state")
        let chain = JournalVerifier.verify(try fixture.journal.records(stream: runId))
        #expect(chain.valid, "\(context): \(chain)")
    }

    /// The same for a rollback: three reversible steps, then the operator rolls back at the gate.
    static func rollbackPlan() -> RunbookPlan {
        var plan = TestPlan()
        plan.add("staging-bucket")
        plan.add("snapshot-copy", after: [])
        plan.add("restored-db", after: ["snapshot-copy"])
        plan.add("hold", type: "approval", after: ["staging-bucket", "restored-db"])
        return plan.build(name: "crash-rollback")
    }

    static let rollbacker: @Sendable (RunExecutor) async -> Bool = { run in
        let snapshot = await run.snapshot()
        guard snapshot.status == .running, snapshot.steps.contains(where: { $0.status == .awaitingApproval }) else { return false }
        return (try? await run.rollback(by: TestPeople.alice, comment: "abort")) != nil
    }

    @Test func everyJournalWritePointOfARollbackRecovers() async throws {
        let clean = try EngineFixture(inMemoryFilesystem: true)
        let cleanRun = try await clean.start(Self.rollbackPlan())
        #expect(await clean.driver.drive(cleanRun, onIdle: Self.rollbacker) == .finished(.rolledBack))
        let writes = clean.journal.faults.appendsAttempted
        var covered = 0
        for write in 2...writes {
            for kind in CrashKind.allCases {
                let fixture = try EngineFixture(inMemoryFilesystem: true)
                switch kind {
                case .beforeWrite: fixture.journal.faults.crash(atAppend: write)
                case .afterWrite: fixture.journal.faults.crash(afterAppend: write)
                }
                let first = try await fixture.start(Self.rollbackPlan())
                _ = await fixture.driver.drive(first, onIdle: Self.rollbacker)
                try fixture.reopen()
                let run = try await fixture.engine.executor(for: first.runId)
                let end = await fixture.driver.drive(run, onIdle: Self.rollbacker)
                #expect(end == .finished(.rolledBack), "crash \(kind) write \(write)")
                for step in ["staging-bucket", "snapshot-copy", "restored-db"] {
                    #expect(fixture.world.count(step) == 1, "crash \(kind) write \(write): \(step)")
                    #expect(fixture.world.count("undo:\(step)") == 1, "crash \(kind) write \(write): undo \(step)")
                }
                #expect(fixture.world.resources.isEmpty, "crash \(kind) write \(write)")
                covered += 1
            }
        }
        print("crash harness (rollback): \(covered) crash points over \(writes) journal writes, all recovered")
    }

    @Test func crashWhileRecordingTheRunStartsNothing() async throws {
        let fixture = try EngineFixture(inMemoryFilesystem: true)
        fixture.journal.faults.crash(atAppend: 1)
        await #expect(throws: EngineError.self) { _ = try await fixture.start(Self.representativePlan()) }
        try fixture.reopen()
        #expect(try await fixture.engine.resumeAll().isEmpty)
        #expect(fixture.world.count("precopy") == 0)
    }

    @Test func aSecondCrashDuringRecoveryStillEndsTheSame() async throws {
        let clean = try await Self.cleanRun()
        let fixture = try EngineFixture(inMemoryFilesystem: true)
        Self.prepare(fixture)
        fixture.journal.faults.crash(atAppend: clean.writes / 3)
        let first = try await fixture.start(Self.representativePlan())
        #expect(await fixture.driver.drive(first, onIdle: Self.approver) == .halted)
        try fixture.reopen()
        fixture.journal.faults.crash(atAppend: 5)
        let second = try #require(try await fixture.engine.resumeAll().first)
        #expect(await fixture.driver.drive(second, onIdle: Self.approver) == .halted)
        try fixture.reopen()
        let third = try #require(try await fixture.engine.resumeAll().first)
        #expect(await fixture.driver.drive(third, onIdle: Self.approver) == .finished(.completed))
        #expect(fixture.world.count("delete-source") == 1)
    }
}
