import AWSClient
import AWSServices
import Engine
import Foundation
import Runbook
import Steps
import TestSupport
import Testing

/// `ecs.update-service`'s rollout wait on the in-process `FakeECS`, whose deployments progress on
/// the engine's virtual clock (moto's do not progress at all): completion, FAILED with the
/// service's events, the `within` limit, and a rollback that restores and waits again.
@Suite struct ECSUpdateServiceFakeTests {
    static func plan(_ with: String, then: String = "") throws -> RunbookPlan {
        let runbook = try RunbookLoader(catalog: StepLibrary.catalog).load(
            text: """
                apiVersion: cutover/v1
                name: redeploy
                region: us-east-1
                accounts:
                  product: { id: "\(FakeECS.account)" }
                approvals: { approvers: ["group:cutover-approvers"], required: 1 }
                steps:
                  - id: redeploy
                    uses: ecs.update-service
                    with: { account: product, cluster: admin, service: admin-web, \(with) }
                \(then)
                """, file: "redeploy.yaml")
        return try RunbookPlanner(catalog: StepLibrary.catalog).plan(runbook, parameters: [:])
    }

    static func start(_ plan: RunbookPlan, _ configure: (FakeECS) -> Void = { _ in }) async throws -> (EngineFixture, FakeECS, RunExecutor)
    {
        let fixture = try EngineFixture(inMemoryFilesystem: true)
        let ecs = FakeECS(clock: fixture.clock)
        configure(ecs)
        var registry = StepRegistry()
        for (type, step) in ECSSteps.executors(sessions: FakeECSSessions(ecs: ecs)) { registry.register(type, step) }
        fixture.registry = registry
        try fixture.reopen()
        return (fixture, ecs, try await fixture.start(plan))
    }

    static let gate = """
          - id: traffic
            uses: approval
            message: Approve once the new service looks right.
        """

    @Test func theWaitPollsOnTheVirtualClockUntilTheRolloutHasFinished() async throws {
        let plan = try Self.plan("taskDefinition: admin-web, desiredCount: 3, every: 10s")
        let (fixture, ecs, run) = try await Self.start(plan)
        let started = fixture.clock.now()
        #expect(await fixture.driver.drive(run) == .finished(.completed))

        // Three tasks at one per 20 s: done at +60 s, seen by the poll every 10 s.
        #expect(fixture.clock.now().timeIntervalSince(started) == 60)
        let wait = try #require(await run.state.steps["redeploy.wait"])
        #expect(wait.outputs["runningCount"] == "3")
        #expect(wait.outputs["rolloutState"] == "COMPLETED")
        #expect(wait.outputs["taskDefinition"] == ecs.revision(3))
        #expect(await run.state.steps["redeploy.update"]?.outputs["deploymentId"] == wait.outputs["deploymentId"])
        #expect(await run.state.steps["redeploy.read"]?.outputs["previousTaskDefinition"] == ecs.revision(1))
        #expect(await run.state.steps["redeploy.read"]?.outputs["previousDesiredCount"] == "2")
        #expect(ecs.count("UpdateService") == 1)
        #expect(ecs.taskDefinition == ecs.revision(3) && ecs.desiredCount == 3)
        let polls = try fixture.events(run.runId).filter { event, _ in
            if case .pollPending(let p) = event { return p.step == "redeploy.wait" }
            return false
        }
        #expect(polls.count == 6, "polls at +0 … +50 s saw the rollout in progress")
    }

    @Test func aFailedRolloutFailsTheStepWithTheServiceEvents() async throws {
        let plan = try Self.plan("taskDefinition: \"admin-web:2\"")
        let (fixture, ecs, run) = try await Self.start(plan) { $0.failNextDeployment() }
        #expect(await fixture.driver.drive(run) == .waitingForOperator)
        let error = try #require(await run.state.steps["redeploy.wait"]?.lastError)
        #expect(error.code == "DeploymentFailed")
        #expect(error.message.contains("FAILED: ECS deployment circuit breaker"))
        #expect(error.message.contains("circuit breaker tripped"), "the latest event is quoted: \(error.message)")
        #expect(error.account == FakeECS.account)
        #expect(error.resource?.hasSuffix("service/admin/admin-web") == true)
        #expect(ecs.count("UpdateService") == 1)
    }

    @Test func aDeploymentReplacedByAnotherBeforeItFinishedIsNotTakenForSuccess() async throws {
        let plan = try Self.plan("taskDefinition: \"admin-web:2\", every: 10s")
        let (fixture, ecs, run) = try await Self.start(plan) { $0.othersDeploy(after: 25) }
        #expect(await fixture.driver.drive(run) == .waitingForOperator)
        let error = try #require(await run.state.steps["redeploy.wait"]?.lastError)
        #expect(error.code == "DeploymentFailed")
        #expect(error.message.contains("deployment ecs-svc/1 was replaced: deployment ecs-svc/2"), "\(error.message)")
        #expect(ecs.count("UpdateService") == 1)
    }

    @Test func aRolloutSlowerThanWithinFailsWithWaitTimeoutCountedFromTheUpdate() async throws {
        let plan = try Self.plan("desiredCount: 12, within: 2m, every: 30s")
        let (fixture, _, run) = try await Self.start(plan)
        let started = fixture.clock.now()
        #expect(await fixture.driver.drive(run) == .waitingForOperator)
        let wait = try #require(await run.state.steps["redeploy.wait"])
        #expect(wait.lastError?.code == "WaitTimeout")
        #expect(wait.lastError?.message.contains("8 of 12 tasks running") == true, "\(wait.lastError?.message ?? "")")
        #expect(fixture.clock.now().timeIntervalSince(started) == 120)
        #expect(await run.snapshot().steps.first { $0.id == "redeploy.wait" }?.status == .awaitingDecision)
        // The operator's `keep-waiting` waits on past the limit, to the end of the rollout.
        try await run.decide(step: "redeploy.wait", option: "keep-waiting", by: TestPeople.alice)
        #expect(await fixture.driver.drive(run) == .finished(.completed))
        #expect(await run.state.steps["redeploy.wait"]?.outputs["runningCount"] == "12")
    }

    @Test func rollbackRestoresTheReadValuesAndWaitsForThatRolloutToo() async throws {
        let plan = try Self.plan("taskDefinition: \"admin-web:3\", desiredCount: 4", then: Self.gate)
        let (fixture, ecs, run) = try await Self.start(plan)
        #expect(await fixture.driver.drive(run, onIdle: MotoSwitchoverWorld.rollbacker) == .finished(.rolledBack))
        #expect(ecs.taskDefinition == ecs.revision(1) && ecs.desiredCount == 2)
        #expect(ecs.count("UpdateService") == 2)
        let undoPolls = try fixture.events(run.runId).filter { event, _ in
            if case .pollPending(let p) = event { return p.step == "redeploy.update" && p.phase == .undo }
            return false
        }
        #expect(undoPolls.count >= 2, "the undo polled the restoring rollout: \(undoPolls.count)")
        // Undo finished only when the restored deployment had: revision 1 on 2 tasks, nothing older left.
        let last = try await ECSClient(client: FakeECSSessions(ecs: ecs).client(.ecs, account: "product"))
            .describeServices(cluster: "admin", services: ["admin-web"]).services.first
        #expect(last?.deployments.count == 1 && last?.runningCount == 2 && last?.primaryDeployment?.rolloutState == "COMPLETED")
    }

    /// A restoring rollout that never finishes (its tasks never start, and no circuit breaker
    /// fails it) does not keep the rollback polling for ever: the undo gives up `within` after it
    /// began, counted from its first attempt however many polls came since, and the rollback
    /// pauses; the operator's retry waits `within` again, and ends when the rollout does.
    @Test func aRestoringRolloutThatNeverFinishesPausesTheRollbackAfterWithin() async throws {
        let plan = try Self.plan("taskDefinition: \"admin-web:3\", desiredCount: 4, within: 2m, every: 30s", then: Self.gate)
        let (fixture, ecs, run) = try await Self.start(plan)
        #expect(await fixture.driver.drive(run) == .waitingForOperator)
        ecs.stallNextDeployment()
        try await run.rollback(by: TestPeople.alice, comment: "abort")
        let undoBegan = fixture.clock.now()
        #expect(await fixture.driver.drive(run) == .waitingForOperator)
        #expect(fixture.clock.now().timeIntervalSince(undoBegan) == 120)
        #expect(await run.state.status == .paused)
        let update = try #require(await run.state.steps["redeploy.update"])
        #expect(update.status(inFlight: false) == .undoFailed)
        #expect(update.lastError?.code == "WaitTimeout")
        #expect(update.lastError?.message.contains("2m after the undo began") == true, "\(update.lastError?.message ?? "")")
        #expect(update.lastError?.message.contains("0 of 2 tasks running") == true, "\(update.lastError?.message ?? "")")
        #expect(ecs.count("UpdateService") == 2, "the restore was requested once")

        // Retried: a new wait of `within`, which the rollout, unstalled, now beats.
        try await run.retry(by: TestPeople.alice, comment: "tasks fixed")
        fixture.clock.advance(by: 5)
        ecs.unstall()
        #expect(await fixture.driver.drive(run) == .finished(.rolledBack))
        #expect(ecs.taskDefinition == ecs.revision(1) && ecs.desiredCount == 2)
        #expect(ecs.count("UpdateService") == 2)
    }

    @Test func aForcedDeploymentAloneRedeploysTheSameRevision() async throws {
        let plan = try Self.plan("forceNewDeployment: true")
        let (fixture, ecs, run) = try await Self.start(plan)
        #expect(await fixture.driver.drive(run) == .finished(.completed))
        #expect(ecs.taskDefinition == ecs.revision(1))
        #expect(await run.state.steps["redeploy.update"]?.outputs["deploymentId"] == "ecs-svc/1")
        #expect(ecs.count("UpdateService") == 1)
    }
}
