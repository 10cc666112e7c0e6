import Engine
import Foundation
import Runbook
import TestSupport
import Testing

/// The S3 same-name move's timing, with test steps: delete (irreversible, gated), a forced wait of
/// one hour counted from the delete, then the re-create retried every 10 s for up to 5 min.
@Suite struct RecreateLoopTests {
    static let recreateLoop = RetryPolicy(
        backoff: .fixed(interval: .seconds(10)), maxElapsed: .seconds(300),
        retryOn: ["OperationAborted"])

    func plan() -> RunbookPlan {
        var plan = TestPlan()
        plan.add(
            "delete-source", type: "test.delete", irreversible: true,
            inputs: [("resource", .string("bucket")), ("deletes", .bool(true))])
        plan.add("forced-wait", type: "wait", inputs: [("for", .number(3600)), ("after", .string("delete-source"))])
        plan.add(
            "recreate", type: "test.create", retry: Self.recreateLoop, onFailure: .decide,
            decisionOptions: ["retry", "slow-retry", "rollback"],
            decisionRetries: [
                "slow-retry": RetryPolicy(
                    backoff: .fixed(interval: .seconds(300)), maxElapsed: .seconds(6 * 3600),
                    retryOn: ["OperationAborted"])
            ],
            inputs: [("resource", .string("bucket"))])
        return plan.build()
    }

    @Test func everyAttemptFailingGives31AttemptsAtTenSecondSteps() async throws {
        let fixture = try EngineFixture()
        fixture.world.perform("seed", creating: "bucket", at: fixture.clock.now())
        fixture.world.script("recreate", Array(repeating: "OperationAborted", count: 100))
        let run = try await fixture.start(plan())
        let started = ContinuousClock.now

        let stop = await fixture.driver.drive(run) { run in
            (try? await run.approve(step: "delete-source", by: TestPeople.alice)) != nil
        }

        #expect(stop == .waitingForOperator)
        let deletedAt = try #require(await run.state.steps["delete-source"]?.succeededAt)
        let attempts = fixture.world.times("attempt:recreate")
        #expect(attempts.count == 31)
        #expect(attempts.map { $0.timeIntervalSince(deletedAt) } == (0...30).map { 3600 + Double($0) * 10 })
        let recreate = try #require(await run.state.steps["recreate"])
        #expect(recreate.decisionPending?.options == ["retry", "slow-retry", "rollback"])
        #expect(recreate.status(inFlight: false) == .awaitingDecision)
        // An hour and five minutes of cutover on the virtual clock; the wall time is printed, not
        // asserted tightly (a loaded CI machine must not turn it red), with a bound far below the
        // 3,900 s that real sleeping would take.
        let wall = ContinuousClock.now - started
        print("forced wait + re-create loop: 3,900 s of cutover in \(wall) of test time")
        #expect(fixture.clock.now().timeIntervalSince(deletedAt) == 3900)
        #expect(wall < .seconds(600), "real sleeping would take 3,900 s")
    }

    @Test func slowRetryDecisionRetriesUnderItsOwnPolicyUntilTheNameIsFree() async throws {
        let fixture = try EngineFixture()
        fixture.world.perform("seed", creating: "bucket", at: fixture.clock.now())
        // 31 failures exhaust the loop; 3 more fail under slow retry; then the name is free.
        fixture.world.script("recreate", Array(repeating: "OperationAborted", count: 34))
        let run = try await fixture.start(plan())
        await fixture.driver.drive(run) { run in
            (try? await run.approve(step: "delete-source", by: TestPeople.alice)) != nil
        }
        let decidedAt = fixture.clock.now()
        try await run.decide(step: "recreate", option: "slow-retry", by: TestPeople.bob, comment: "name still held")

        let stop = await fixture.driver.drive(run)

        #expect(stop == .finished(.completed))
        let slow = fixture.world.times("attempt:recreate").suffix(3).map { $0.timeIntervalSince(decidedAt) }
        #expect(slow == [0, 300, 600])
        #expect(fixture.world.exists("bucket"))
        #expect(fixture.world.count("delete-source") == 1)
    }

    @Test func nameTakenByAnotherAccountIsNotRetried() async throws {
        let fixture = try EngineFixture()
        fixture.world.perform("seed", creating: "bucket", at: fixture.clock.now())
        fixture.world.script("recreate", ["BucketAlreadyExists"])
        let run = try await fixture.start(plan())
        await fixture.driver.drive(run) { run in
            (try? await run.approve(step: "delete-source", by: TestPeople.alice)) != nil
        }
        #expect(fixture.world.times("attempt:recreate").count == 1)
        let recreate = try #require(await run.state.steps["recreate"])
        #expect(recreate.lastError?.code == "BucketAlreadyExists")
        #expect(recreate.decisionPending != nil)
    }

    @Test func forcedWaitDueTimeSurvivesARestart() async throws {
        let fixture = try EngineFixture()
        fixture.world.perform("seed", creating: "bucket", at: fixture.clock.now())
        let run = try await fixture.start(plan())
        try await run.settle().expectIdle()
        try await run.approve(step: "delete-source", by: TestPeople.alice)
        _ = await run.settle()
        let due = try #require(await run.state.steps["forced-wait"]?.timerDue)
        fixture.clock.advance(by: 1800)

        try fixture.reopen()
        let resumed = try await fixture.engine.executor(for: run.runId)
        #expect(await resumed.state.steps["forced-wait"]?.timerDue == due)
        guard case let .idle(wake, _) = await resumed.settle() else {
            Issue.record("not idle")
            return
        }
        #expect(wake == due)
        #expect(await fixture.driver.drive(resumed) == .finished(.completed))
        let recreated = try #require(fixture.world.times("recreate").first)
        #expect(recreated == due)
    }
}

extension RunExecutor.SettleOutcome {
    func expectIdle(sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        guard case .idle = self else {
            Issue.record("expected idle, got \(self)", sourceLocation: sourceLocation)
            return
        }
    }
}
