import AWSClient
import AWSServices
import Engine
import Foundation
import Runbook
import Steps
import TestSupport
import Testing

/// `ecs.update-service` through the real engine against moto (signature checking on). moto does
/// not model rollouts: a deployment keeps the rollout state it got when the service was created
/// (COMPLETED for a service created with no tasks, IN_PROGRESS for ever otherwise) and the
/// service's running count jumps to the desired count. So here the wait passes at its first
/// look; the rollout itself is tested on `FakeECS` (`ECSUpdateServiceFakeTests`).
@Suite struct ECSUpdateServiceMotoTests {
    @Test func theUpdateRunsTheLatestRevisionAndRollbackRestoresWhatItRead() async throws {
        let world = try MotoSwitchoverWorld()
        let setup = try await MotoSwitchoverSetup.service(world.moto.clientA(.ecs), prefix: MotoFixture.uniqueName("cutover-ecs"))
        let plan = try world.plan(
            """
              - id: redeploy
                uses: ecs.update-service
                with: { account: product, cluster: \(setup.cluster), service: \(setup.name), taskDefinition: \(setup.family), desiredCount: 2 }
              - id: traffic
                uses: approval
                message: Approve once the new service looks right.
            """)
        let run = try await world.start(plan)
        do {
            let stop = await world.fixture.driver.drive(run)
            let failures = await MotoSwitchoverWorld.failures(run)
            #expect(stop == .waitingForOperator, "\(failures)")
        }

        let read = try #require(await run.state.steps["redeploy.read"]?.outputs)
        #expect(read["previousTaskDefinition"] == setup.revisions[0])
        #expect(read["previousDesiredCount"] == "0")
        #expect(read["targetTaskDefinition"] == setup.revisions[1], "a bare family resolves to its latest revision")
        #expect(await run.state.steps["redeploy.update"]?.outputs["taskDefinition"] == setup.revisions[1])
        #expect(await run.state.steps["redeploy.wait"]?.outputs["runningCount"] == "2")
        var service = try await world.ecs.describeServices(cluster: setup.cluster, services: [setup.name]).services.first
        #expect(service?.taskDefinition == setup.revisions[1] && service?.desiredCount == 2)

        try await run.rollback(by: TestPeople.alice, comment: "abort")
        do {
            let stop = await world.fixture.driver.drive(run)
            let failures = await MotoSwitchoverWorld.failures(run)
            #expect(stop == .finished(.rolledBack), "\(failures)")
        }
        service = try await world.ecs.describeServices(cluster: setup.cluster, services: [setup.name]).services.first
        #expect(service?.taskDefinition == setup.revisions[0] && service?.desiredCount == 0)
        #expect(world.counter.count("UpdateService") == 2)
        #expect(world.counter.count("DescribeTaskDefinition") == 1)
    }

    @Test func aMissingServiceFailsTheReadAndChangesNothing() async throws {
        let world = try MotoSwitchoverWorld()
        let setup = try await MotoSwitchoverSetup.service(world.moto.clientA(.ecs), prefix: MotoFixture.uniqueName("cutover-ecs"))
        let plan = try world.plan(
            """
              - id: redeploy
                uses: ecs.update-service
                with: { account: product, cluster: \(setup.cluster), service: no-such-service, forceNewDeployment: true }
            """)
        let run = try await world.start(plan)
        #expect(await world.fixture.driver.drive(run) == .waitingForOperator)
        let error = await run.state.steps["redeploy.read"]?.lastError
        #expect(error?.code == "ServiceNotFoundException")
        #expect(error?.message.contains("MISSING") == true)
        #expect(error?.account == world.moto.accountA)
        #expect(world.counter.count("UpdateService") == 0)
    }
}
