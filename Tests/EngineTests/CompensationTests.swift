import Engine
import Foundation
import Runbook
import TestSupport
import Testing

/// A compensated point of no return on a fake world: `run` records when it happened; the
/// compensation waits until 100 s after that (from the journaled output, never from "now"),
/// then makes one attempt per call, failing as scripted under `compensate:<id>`.
struct CompensatingStep: Step {
    let world: FakeWorld

    func run(_ context: StepContext) async throws -> StepResult {
        let now = context.clock.now()
        world.perform(context.step.id, creating: context.step.id, at: now)
        return .done(outputs: ["at": String(now.timeIntervalSince1970)])
    }

    func check(_ context: StepContext) async throws -> CheckResult {
        world.exists(context.step.id) ? .done(outputs: [:]) : .notDone
    }

    func compensate(_ context: StepContext) async throws -> StepResult {
        let id = context.step.id
        guard let text = context.output(of: id, "at"), let at = Double(text) else {
            throw StepError(code: "NoOutput", message: "\(id) has no time", retryable: false)
        }
        let due = Date(timeIntervalSince1970: at + 100)
        let now = context.clock.now()
        if now < due {
            world.perform("poll:\(id)", at: now)
            return .notYet(progress: "waiting for \(due)", after: .milliseconds(Int64(due.timeIntervalSince(now) * 1000)))
        }
        world.perform("try:\(id)", at: now)
        if let code = world.nextScripted("compensate:\(id)") {
            throw StepError(code: code, message: "scripted", retryable: code == "OperationAborted")
        }
        world.perform("compensate:\(id)", deleting: id, at: now)
        return .done()
    }
}

@Suite struct CompensationTests {
    static let loop = RetryPolicy(backoff: .fixed(interval: .seconds(10)), maxElapsed: .seconds(30), retryOn: ["OperationAborted"])

    /// a → del (compensated, gated) → hold (approval, where the operator rolls back).
    func start(_ fixture: EngineFixture, gateUndoOf gated: String? = nil, onlyAfter: String? = nil) async throws -> RunExecutor {
        fixture.registry.register("test.compensating", CompensatingStep(world: fixture.world))
        try fixture.reopen()
        var plan = TestPlan()
        plan.add("a")
        plan.add("del", type: "test.compensating", irreversible: true)
        plan.add("hold", type: "approval")
        var built = plan.build()
        built.steps[1].reversibility = .compensated
        built.steps[1].undoRetry = Self.loop
        if let gated, let index = built.steps.firstIndex(where: { $0.id == gated }) {
            built.steps[index].undoApproval = UndoApproval(
                policy: plan.approvals, message: "really undo \(gated)?", onlyAfter: onlyAfter)
        }
        let run = try await fixture.start(built)
        _ = await run.settle()
        try await run.approve(step: "del", by: TestPeople.alice)
        #expect(await fixture.driver.drive(run) == .waitingForOperator)  // at `hold`
        try await run.rollback(by: TestPeople.bob, comment: "abort")
        return run
    }

    @Test func aCompensatedStepIsCompensatedAfterItsWaitAndIsNoBarrier() async throws {
        let fixture = try EngineFixture()
        let run = try await start(fixture)
        let done = try #require(fixture.world.times("del").first)
        _ = await run.settle()
        let waiting = try #require(await run.snapshot().steps.first { $0.id == "del" })
        #expect(waiting.status == .undoing)
        #expect(waiting.nextAt == done.addingTimeInterval(100))
        #expect(waiting.progress?.hasPrefix("waiting for") == true)

        #expect(await fixture.driver.drive(run) == .finished(.rolledBack))
        #expect(fixture.world.times("compensate:del") == [done.addingTimeInterval(100)])
        #expect(fixture.world.count("poll:del") == 1)
        #expect(try #require(fixture.world.times("undo:a").first) >= done.addingTimeInterval(100))
        #expect(fixture.world.resources.isEmpty)
        let polls = try fixture.events(run.runId).compactMap { event, _ -> PollPending? in
            if case let .pollPending(poll) = event { return poll }
            return nil
        }
        #expect(polls.map(\.phase) == [.undo])
        #expect(polls.first?.nextPollAt == done.addingTimeInterval(100))
        // The plan still calls it a point of no return.
        #expect(await run.snapshot().steps.first { $0.id == "del" }?.irreversible == true)
    }

    @Test func theCompensationLoopCountsFromTheFirstAttemptAfterTheWait() async throws {
        let fixture = try EngineFixture()
        fixture.world.script("compensate:del", ["OperationAborted", "OperationAborted", "OperationAborted"])
        let run = try await start(fixture)
        let due = try #require(fixture.world.times("del").first).addingTimeInterval(100)

        #expect(await fixture.driver.drive(run) == .finished(.rolledBack))
        #expect(fixture.world.times("try:del") == [0, 10, 20, 30].map { due.addingTimeInterval($0) })
        #expect(!fixture.world.exists("del"))
    }

    @Test func aLoopThatRunsOutPausesTheRollbackAndRetryStartsANewBudget() async throws {
        let fixture = try EngineFixture()
        fixture.world.script("compensate:del", Array(repeating: "OperationAborted", count: 5))
        let run = try await start(fixture)
        let due = try #require(fixture.world.times("del").first).addingTimeInterval(100)

        #expect(await fixture.driver.drive(run) == .waitingForOperator)
        #expect(await run.state.status == .paused)
        #expect(await run.state.statusReason.contains("rollback blocked: undo of del failed: OperationAborted"))
        #expect(fixture.world.times("try:del") == [0, 10, 20, 30].map { due.addingTimeInterval($0) })
        #expect(fixture.world.exists("a"))  // nothing before it was undone

        fixture.clock.advance(by: 600)
        try await run.retry(by: TestPeople.alice)
        #expect(await fixture.driver.drive(run) == .finished(.rolledBack))
        #expect(fixture.world.count("try:del") == 6)
        #expect(fixture.world.resources.isEmpty)
    }

    @Test func aNonRetryableCompensationErrorPausesAtOnce() async throws {
        let fixture = try EngineFixture()
        fixture.world.script("compensate:del", ["BucketNameTaken"])
        let run = try await start(fixture)
        #expect(await fixture.driver.drive(run) == .waitingForOperator)
        #expect(fixture.world.count("try:del") == 1)
        #expect(await run.state.statusReason.contains("BucketNameTaken"))
        fixture.clock.advance(by: 3600)
        #expect(await fixture.driver.drive(run) == .waitingForOperator)
        #expect(fixture.world.count("try:del") == 1)
    }

    @Test func aGatedUndoWaitsForAnApproverAndARejectionStopsTheRollback() async throws {
        let fixture = try EngineFixture()
        let run = try await start(fixture, gateUndoOf: "a")
        #expect(await fixture.driver.drive(run) == .waitingForOperator)
        #expect(fixture.world.count("compensate:del") == 1)
        #expect(fixture.world.exists("a"))
        #expect(await run.snapshot().steps.first { $0.id == "a" }?.status == .awaitingApproval)
        #expect(await run.state.steps["a"]?.pendingApprovalRequest?.message == "really undo a?")

        await #expect(throws: EngineError.self) { try await run.approve(step: "a", by: TestPeople.mallory) }
        await #expect(throws: EngineError.self) { try await run.approve(step: "a", by: TestPeople.initiator) }
        try await run.reject(step: "a", by: TestPeople.bob, reason: "keep it for now")
        #expect(await fixture.driver.drive(run) == .waitingForOperator)
        #expect(await run.state.status == .paused)
        #expect(await run.state.statusReason.contains("undo rejected by bob: keep it for now"))
        #expect(fixture.world.exists("a"))

        try await run.retry(by: TestPeople.alice)
        _ = await run.settle()
        try await run.approve(step: "a", by: TestPeople.alice)
        #expect(await fixture.driver.drive(run) == .finished(.rolledBack))
        #expect(!fixture.world.exists("a"))
    }

    @Test func anUndoGateWithOnlyAfterAppliesOnlyWhenThatStepWasAttempted() async throws {
        // `del` was attempted: the gate applies.
        let crossed = try EngineFixture()
        let run = try await start(crossed, gateUndoOf: "a", onlyAfter: "del")
        #expect(await crossed.driver.drive(run) == .waitingForOperator)
        #expect(await run.snapshot().steps.first { $0.id == "a" }?.status == .awaitingApproval)

        // Rolled back at del's own gate: never attempted, so `a` is undone without asking.
        let fixture = try EngineFixture()
        fixture.registry.register("test.compensating", CompensatingStep(world: fixture.world))
        try fixture.reopen()
        var plan = TestPlan()
        plan.add("a")
        plan.add("del", type: "test.compensating", irreversible: true)
        var built = plan.build()
        built.steps[1].reversibility = .compensated
        built.steps[0].undoApproval = UndoApproval(policy: plan.approvals, message: "really?", onlyAfter: "del")
        let early = try await fixture.start(built)
        _ = await early.settle()
        try await early.rollback(by: TestPeople.bob)
        #expect(await fixture.driver.drive(early) == .finished(.rolledBack))
        #expect(!fixture.world.exists("a"))
        #expect(fixture.world.count("try:del") == 0)
    }

    @Test func aRollbackDecisionSurvivesACrashBeforeItsStatusRecord() async throws {
        // The process dies right after `decision.made` lands, before the status record.
        let fixture = try EngineFixture()
        fixture.world.script("recreate", ["BucketAlreadyExists"])
        var plan = TestPlan()
        plan.add("staging")
        plan.add("recreate", onFailure: .decide)
        let first = try await fixture.start(plan.build())
        _ = await fixture.driver.drive(first)
        fixture.journal.faults.crash(afterAppend: fixture.journal.faults.appendsAttempted + 1)
        await #expect(throws: EngineError.self) {
            try await first.decide(step: "recreate", option: "rollback", by: TestPeople.bob, comment: "name taken")
        }

        try fixture.reopen()
        let run = try await fixture.engine.executor(for: first.runId)
        #expect(await run.state.status == .rollingBack)
        #expect(await fixture.driver.drive(run) == .finished(.rolledBack))
        #expect(!fixture.world.exists("staging"))
    }
}
