import Engine
import Foundation
import Runbook
import TestSupport
import Testing

@Suite struct RollbackTests {
    @Test func rollbackUndoesCompletedStepsInReverseOrder() async throws {
        let fixture = try EngineFixture()
        var plan = TestPlan()
        plan.add("a")
        plan.add("b")
        plan.add("c")
        plan.add("hold", type: "approval")
        plan.add("d")
        let run = try await fixture.start(plan.build())
        _ = await run.settle()
        try await run.rollback(by: TestPeople.alice, comment: "abort")
        #expect(await fixture.driver.drive(run) == .finished(.rolledBack))
        let undone = ["a", "b", "c"].map { fixture.world.times("undo:\($0)").first! }
        #expect(undone[2] <= undone[1] && undone[1] <= undone[0])
        let order = try fixture.events(run.runId).compactMap { event, _ -> String? in
            if case let .attemptStarted(s) = event, s.phase == .undo { return s.step }
            return nil
        }
        #expect(order == ["c", "b", "a"])
        #expect(fixture.world.resources.isEmpty)
    }

    @Test func anIrreversibleStepIsABarrier() async throws {
        let fixture = try EngineFixture()
        var plan = TestPlan()
        plan.add("staging")
        plan.add(
            "delete-source", type: "test.delete", irreversible: true,
            inputs: [("resource", .string("source")), ("deletes", .bool(true))])
        plan.add("recreate")
        plan.add("hold", type: "approval")
        fixture.world.perform("seed", creating: "source", at: fixture.clock.now())
        let run = try await fixture.start(plan.build())
        _ = await run.settle()
        try await run.approve(step: "delete-source", by: TestPeople.alice)
        _ = await fixture.driver.drive(run)
        try await run.rollback(by: TestPeople.alice)
        #expect(await fixture.driver.drive(run) == .finished(.rolledBack))
        #expect(fixture.world.count("undo:recreate") == 1)
        #expect(fixture.world.count("undo:staging") == 0)
        #expect(await run.state.statusReason.contains("delete-source"))
    }

    @Test func failedUndoPausesTheRollbackAndRetryFinishesIt() async throws {
        let fixture = try EngineFixture()
        let (run, stop) = try await fixture.runPausedOnAFailedUndo()
        #expect(stop == .waitingForOperator)
        #expect(await run.state.status == .paused)
        #expect(await run.state.statusReason.contains("rollback blocked"))
        #expect(fixture.world.exists("a"))
        try await run.retry(by: TestPeople.alice)
        #expect(await fixture.driver.drive(run) == .finished(.rolledBack))
        #expect(fixture.world.resources.isEmpty)
    }

    /// An undo that cannot succeed (someone changed what it would restore) is put back by hand:
    /// `mark-undone`, with a comment, lets the rollback go on past it. Refused for a step whose
    /// undo has not failed, and without a comment.
    @Test func aFailedUndoMarkedDoneByHandLetsTheRollbackFinish() async throws {
        let fixture = try EngineFixture()
        let (run, stop) = try await fixture.runPausedOnAFailedUndo()
        #expect(stop == .waitingForOperator)
        #expect(await run.state.statusReason.contains("cutoverctl mark-undone"))
        await expectCode(.undoNotFailed) { try await run.markUndone(step: "a", by: TestPeople.alice, comment: "not failed") }
        await expectCode(.commentRequired) { try await run.markUndone(step: "b", by: TestPeople.alice, comment: " ") }
        #expect(await run.state.status == .paused)

        try await run.markUndone(step: "b", by: TestPeople.bob, comment: "deleted b by hand in the console")
        #expect(await fixture.driver.drive(run) == .finished(.rolledBack))
        #expect(fixture.world.exists("b"), "the engine did not undo b: the operator did")
        #expect(!fixture.world.exists("a"))
        let b = try #require(await run.state.steps["b"])
        #expect(b.status(inFlight: false) == .undone)
        #expect(b.undoneByHand == TestPeople.bob)
        #expect(b.lastError?.code == "AccessDenied", "the failure stays on record")
        #expect(await run.snapshot().steps.first { $0.id == "b" }?.progress == "undone by hand, marked by bob")
        let marked = try fixture.events(run.runId).compactMap { event, _ -> OperatorActionTaken? in
            if case let .operatorAction(e) = event, e.action == .markUndone { return e }
            return nil
        }
        #expect(marked.map(\.step) == ["b"])
        #expect(marked.first?.comment == "deleted b by hand in the console")
        // The fold of the journal alone gives the same: a restart sees b undone by hand.
        try fixture.reopen()
        let reopened = try await fixture.engine.executor(for: run.runId)
        #expect(await reopened.state.steps["b"]?.undoneByHand == TestPeople.bob)
    }

    @Test func rollbackDecisionFromTheRecreateLoop() async throws {
        let fixture = try EngineFixture()
        fixture.world.script("recreate", ["BucketAlreadyExists"])
        var plan = TestPlan()
        plan.add("staging")
        plan.add("recreate", onFailure: .decide)
        let run = try await fixture.start(plan.build())
        _ = await fixture.driver.drive(run)
        try await run.decide(step: "recreate", option: "rollback", by: TestPeople.bob, comment: "name taken")
        #expect(await fixture.driver.drive(run) == .finished(.rolledBack))
        #expect(!fixture.world.exists("staging"))
    }
}

@Suite struct ParallelTests {
    /// Each branch's step waits until the other has started: only concurrent branches finish.
    struct Rendezvous: Step {
        let gate: RendezvousGate
        func run(_ context: StepContext) async throws -> StepResult {
            await gate.arrive(context.step.id)
            return .done()
        }
        func check(_ context: StepContext) async throws -> CheckResult { .notDone }
    }

    actor RendezvousGate {
        var arrived: Set<String> = []
        var waiting: [CheckedContinuation<Void, Never>] = []
        let expected: Int
        init(expected: Int) { self.expected = expected }
        func arrive(_ id: String) async {
            arrived.insert(id)
            if arrived.count >= expected {
                waiting.forEach { $0.resume() }
                waiting = []
                return
            }
            await withCheckedContinuation { waiting.append($0) }
        }
    }

    @Test func parallelBranchesRunConcurrently() async throws {
        let fixture = try EngineFixture()
        fixture.registry.register("test.rendezvous", Rendezvous(gate: RendezvousGate(expected: 2)))
        try fixture.reopen()
        var plan = TestPlan()
        plan.add("start")
        plan.add("move-db", type: "test.rendezvous", after: ["start"])
        plan.add("move-images", type: "test.rendezvous", after: ["start"])
        plan.add("finish", after: ["move-db", "move-images"])
        let run = try await fixture.start(plan.build())
        #expect(await fixture.driver.drive(run) == .finished(.completed))
    }

    @Test func aBranchWaitingOnATimerDoesNotHoldUpTheOther() async throws {
        let fixture = try EngineFixture()
        var plan = TestPlan()
        plan.add("start")
        plan.add("forced-wait", type: "wait", after: ["start"], inputs: [("for", .number(3600))])
        plan.add("after-wait", after: ["forced-wait"])
        plan.add(
            "snapshot", type: "test.poll", after: ["start"], retry: RetryPolicy(backoff: .fixed(interval: .seconds(60))),
            inputs: [("polls", .number(4))])
        plan.add("restore", after: ["snapshot"])
        let t0 = fixture.clock.now()
        let run = try await fixture.start(plan.build())
        #expect(await fixture.driver.drive(run) == .finished(.completed))
        #expect(fixture.world.times("restore") == [t0.addingTimeInterval(180)])
        #expect(fixture.world.times("after-wait") == [t0.addingTimeInterval(3600)])
    }
}
