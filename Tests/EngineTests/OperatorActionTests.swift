import Engine
import Foundation
import Runbook
import TestSupport
import Testing

@Suite struct OperatorActionTests {
    func chain() -> RunbookPlan {
        var plan = TestPlan()
        plan.add("one")
        plan.add("pause-here", type: "wait", inputs: [("for", .number(600))])
        plan.add("two")
        return plan.build()
    }

    @Test func pauseStopsNewStepsAndResumeContinues() async throws {
        let fixture = try EngineFixture()
        let run = try await fixture.start(chain())
        _ = await run.settle()
        try await run.pause(by: TestPeople.alice, comment: "checking something")
        fixture.clock.advance(by: 3600)
        #expect(await fixture.driver.drive(run) == .waitingForOperator)
        #expect(fixture.world.count("two") == 0)
        try await run.resume(by: TestPeople.alice)
        #expect(await fixture.driver.drive(run) == .finished(.completed))
        #expect(fixture.world.count("two") == 1)
    }

    @Test func cancelEndsTheRunWithoutUndoing() async throws {
        let fixture = try EngineFixture()
        let run = try await fixture.start(chain())
        _ = await run.settle()
        try await run.cancel(by: TestPeople.alice, comment: "postponed")
        #expect(await fixture.driver.drive(run) == .finished(.cancelled))
        #expect(fixture.world.exists("one"))
        await expectCode(.invalidTransition) { try await run.resume(by: TestPeople.alice) }
    }

    @Test func failedStepPausesAndRetryGivesItANewBudget() async throws {
        let fixture = try EngineFixture()
        fixture.world.script("two", ["AccessDenied", "AccessDenied"])
        let run = try await fixture.start(chain())
        #expect(await fixture.driver.drive(run) == .waitingForOperator)
        #expect(await run.state.status == .paused)
        #expect(await run.state.statusReason.contains("AccessDenied"))
        await expectCode(.invalidTransition) { try await run.resume(by: TestPeople.alice) }
        try await run.retry(by: TestPeople.alice, comment: "fixed the role policy")
        #expect(await fixture.driver.drive(run) == .waitingForOperator)
        await expectCode(.nothingToRetry) { try await run.retry(step: "one", by: TestPeople.alice) }
        try await run.retry(step: "two", by: TestPeople.alice)
        #expect(await fixture.driver.drive(run) == .finished(.completed))
        #expect(await run.state.steps["two"]?.attempts == 3)
    }

    @Test func continueOnFailureLetsTheRunFinish() async throws {
        let fixture = try EngineFixture()
        fixture.world.script("notify", ["ServiceUnavailable"])
        var plan = TestPlan()
        plan.add("notify", onFailure: .continue)
        plan.add("after")
        let run = try await fixture.start(plan.build())
        #expect(await fixture.driver.drive(run) == .finished(.completed))
        #expect(await run.state.steps["notify"]?.status(inFlight: false) == .skippedAfterFailure)
    }

    @Test func decisionsAreCheckedAgainstTheOptions() async throws {
        let fixture = try EngineFixture()
        fixture.world.script("two", ["Throttling"])
        var plan = TestPlan()
        plan.add("two", onFailure: .decide, decisionOptions: ["retry", "rollback"])
        let run = try await fixture.start(plan.build())
        _ = await fixture.driver.drive(run)
        await expectCode(.unknownOption) { try await run.decide(step: "two", option: "skip", by: TestPeople.alice) }
        await expectCode(.stepNotFound) { try await run.decide(step: "nope", option: "retry", by: TestPeople.alice) }
        try await run.decide(step: "two", option: "retry", by: TestPeople.alice)
        #expect(await fixture.driver.drive(run) == .finished(.completed))
    }

    @Test func stepTimeoutFailsAPollThatNeverFinishes() async throws {
        let fixture = try EngineFixture()
        var plan = TestPlan()
        plan.add(
            "snapshot", type: "test.poll", retry: RetryPolicy(backoff: .fixed(interval: .seconds(30))),
            timeout: .seconds(300), inputs: [("polls", .number(1000))])
        let run = try await fixture.start(plan.build())
        #expect(await fixture.driver.drive(run) == .waitingForOperator)
        let step = try #require(await run.state.steps["snapshot"])
        #expect(step.lastError?.code == "StepTimeout")
        #expect(fixture.world.count("poll:snapshot") == 10)
    }

    @Test func pollsAreJournaledWithProgressAndTheirNextDueTime() async throws {
        let fixture = try EngineFixture()
        var plan = TestPlan()
        plan.add(
            "snapshot", type: "test.poll", retry: RetryPolicy(backoff: .fixed(interval: .seconds(30))),
            inputs: [("polls", .number(3))])
        let run = try await fixture.start(plan.build())
        let t0 = fixture.clock.now()
        #expect(await fixture.driver.drive(run) == .finished(.completed))
        #expect(fixture.world.times("poll:snapshot") == [t0, t0.addingTimeInterval(30), t0.addingTimeInterval(60)])
        let pending = try fixture.events(run.runId).compactMap { event, _ -> String? in
            if case let .pollPending(p) = event { return p.progress }
            return nil
        }
        #expect(pending == ["1 of 3 polls", "2 of 3 polls"])
    }

    @Test func waitUntilAnAbsoluteTime() async throws {
        let fixture = try EngineFixture()
        var plan = TestPlan()
        plan.add("cutover-at", type: "wait", inputs: [("until", .string("2026-12-01T03:00:00.000Z"))])
        plan.add("after")
        let run = try await fixture.start(plan.build())
        #expect(await fixture.driver.drive(run) == .finished(.completed))
        #expect(fixture.world.times("after") == [EngineFixture.epoch.addingTimeInterval(3 * 3600)])
    }
}
