import Engine
import Foundation
import Runbook
import TestSupport
import Testing

@Suite struct WindowTests {
    let opens = EngineFixture.epoch.addingTimeInterval(3600)

    func window(hours: Double = 4, onOverrun: OverrunAction = .pause) -> WindowSpec {
        WindowSpec(start: opens, end: opens.addingTimeInterval(hours * 3600), onOverrun: onOverrun)
    }

    @Test func inWindowStepsWaitForTheWindowWhileAnyTimeStepsRunBefore() async throws {
        let fixture = try EngineFixture()
        var plan = TestPlan(window: window())
        plan.add("precopy", window: .any)
        plan.add("switch")
        let run = try await fixture.start(plan.build())

        guard case let .idle(wake, _) = await run.settle() else {
            Issue.record("not idle")
            return
        }
        #expect(fixture.world.count("precopy") == 1)
        #expect(fixture.world.count("switch") == 0)
        #expect(wake == opens)
        #expect(await fixture.driver.drive(run) == .finished(.completed))
        #expect(fixture.world.times("switch") == [opens])
    }

    @Test func windowEndPausesBetweenStepsWithoutInterruptingOne() async throws {
        let fixture = try EngineFixture(now: EngineFixture.epoch.addingTimeInterval(3600))
        var plan = TestPlan(window: window(hours: 1))
        plan.add(
            "poll-snapshot", type: "test.poll", retry: RetryPolicy(backoff: .fixed(interval: .seconds(1200))),
            inputs: [("polls", .number(5))])
        plan.add("after")
        let run = try await fixture.start(plan.build())
        let stop = await fixture.driver.drive(run)

        #expect(stop == .waitingForOperator)
        #expect(await run.state.status == .paused)
        #expect(await run.state.statusReason == "the maintenance window ended")
        // Polls at 0, 20, 40 min ran; the one due at 60 min (window end) did not start.
        #expect(fixture.world.count("poll:poll-snapshot") == 3)

        try await run.resume(by: TestPeople.alice, comment: "overrun accepted by the service owner")
        #expect(await fixture.driver.drive(run) == .finished(.completed))
        #expect(fixture.world.count("after") == 1)
    }

    @Test func overrunWithRollbackUndoesWhatWasDone() async throws {
        let fixture = try EngineFixture(now: EngineFixture.epoch.addingTimeInterval(3600))
        var plan = TestPlan(window: window(hours: 1, onOverrun: .rollback))
        plan.add("create-staging")
        plan.add("wait", type: "wait", inputs: [("for", .number(7200))])
        plan.add("after")
        let run = try await fixture.start(plan.build())
        #expect(await fixture.driver.drive(run) == .finished(.rolledBack))
        #expect(fixture.world.count("undo:create-staging") == 1)
        #expect(!fixture.world.exists("create-staging"))
        #expect(fixture.world.count("after") == 0)
    }

    @Test func overrunWithContinueCarriesOn() async throws {
        let fixture = try EngineFixture(now: EngineFixture.epoch.addingTimeInterval(3600))
        var plan = TestPlan(window: window(hours: 1, onOverrun: .continue))
        plan.add("wait", type: "wait", inputs: [("for", .number(7200))])
        plan.add("after")
        let run = try await fixture.start(plan.build())
        #expect(await fixture.driver.drive(run) == .finished(.completed))
        let overrun = try fixture.events(run.runId).contains { event, _ in event.kind == "window.overrun" }
        #expect(overrun)
    }

    @Test func pointOfNoReturnAsksWhenTheRestCannotFitTheWindow() async throws {
        let fixture = try EngineFixture(now: EngineFixture.epoch.addingTimeInterval(3600))
        var plan = TestPlan(window: window(hours: 2))
        plan.add(
            "delete", type: "test.delete", irreversible: true,
            inputs: [("resource", .string("bucket")), ("deletes", .bool(true))], estimate: .seconds(60))
        plan.add("forced-wait", type: "wait", inputs: [("for", .number(3 * 3600))], estimate: .seconds(3 * 3600))
        plan.add("recreate")
        let run = try await fixture.start(plan.build())
        _ = await run.settle()

        let step = try #require(await run.state.steps["delete"])
        #expect(step.decisionPending?.options == ["proceed", "rollback", "pause"])
        #expect(step.decisionPending?.reason.contains("does not fit") == true)
        #expect(step.approvalRequest == nil)

        try await run.decide(step: "delete", option: "proceed", by: TestPeople.alice, comment: "owner agreed to a longer window")
        _ = await run.settle()
        #expect(await run.state.steps["delete"]?.status(inFlight: false) == .awaitingApproval)
    }

    @Test func pointOfNoReturnThatFitsDoesNotAsk() async throws {
        let fixture = try EngineFixture(now: EngineFixture.epoch.addingTimeInterval(3600))
        var plan = TestPlan(window: window(hours: 4))
        plan.add(
            "delete", type: "test.delete", irreversible: true,
            inputs: [("resource", .string("bucket")), ("deletes", .bool(true))], estimate: .seconds(60))
        plan.add("forced-wait", type: "wait", inputs: [("for", .number(3600))], estimate: .seconds(3600))
        let run = try await fixture.start(plan.build())
        _ = await run.settle()
        #expect(await run.state.steps["delete"]?.decisionPending == nil)
        #expect(await run.state.steps["delete"]?.status(inFlight: false) == .awaitingApproval)
    }
}
