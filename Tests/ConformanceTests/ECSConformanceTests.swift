import AWSClient
import AWSServices
import Foundation
import TestSupport
import Testing

/// Every ECS operation our client makes, against moto with signature checking on: read a
/// service (and a missing one, which ECS lists as a failure), resolve a task definition by
/// family, update the service. moto does not model rollouts (docs/MOTO-FINDINGS.md): its one
/// deployment keeps the rollout state it got at creation, so the rollout logic is tested on an
/// in-process fake (`ECSRolloutTests`, `ECSUpdateServiceFakeTests`).
@Suite struct ECSConformanceTests {
    @Test func serviceReadResolveAndUpdateRoundTripThroughMoto() async throws {
        let moto = try MotoFixture.load()
        let raw = moto.clientA(.ecs)
        let setup = try await MotoSwitchoverSetup.service(raw, prefix: MotoFixture.uniqueName("cutover-ecs"))
        let ecs = ECSClient(client: raw)

        let (services, failures) = try await ecs.describeServices(
            cluster: setup.cluster, services: [setup.name, "cutover-no-such-service"])
        #expect(services.count == 1)
        let service = try #require(services.first)
        #expect(service.serviceName == setup.name && service.status == "ACTIVE")
        #expect(service.taskDefinition == setup.revisions[0])
        #expect(service.desiredCount == 0 && service.runningCount == 0)
        let primary = try #require(service.primaryDeployment)
        #expect(primary.rolloutState == "COMPLETED" && primary.id.hasPrefix("ecs-svc/"))
        #expect(failures.map(\.reason) == ["MISSING"])

        let latest = try await ecs.describeTaskDefinition(setup.family)
        #expect(latest.taskDefinitionArn == setup.revisions[1] && latest.revision == 2 && latest.status == "ACTIVE")
        #expect(try await ecs.describeTaskDefinition("\(setup.family):1").taskDefinitionArn == setup.revisions[0])

        let (updated, requestId) = try await ecs.updateService(
            UpdateServiceRequest(cluster: setup.cluster, service: setup.name, taskDefinition: setup.revisions[1], desiredCount: 2))
        #expect(requestId?.isEmpty == false)
        #expect(updated.taskDefinition == setup.revisions[1] && updated.desiredCount == 2)
        let (forced, _) = try await ecs.updateService(
            UpdateServiceRequest(cluster: setup.cluster, service: setup.name, forceNewDeployment: true))
        #expect(forced.primaryDeployment?.id != primary.id, "a forced deployment gets a new ID")
        #expect(forced.taskDefinition == setup.revisions[1] && forced.desiredCount == 2, "fields not sent are kept")

        let missing = await #expect(throws: AWSError.self) {
            try await ecs.updateService(UpdateServiceRequest(cluster: setup.cluster, service: "cutover-no-such-service", desiredCount: 1))
        }
        #expect(missing?.code == "ServiceNotFoundException")
        let cluster = await #expect(throws: AWSError.self) {
            try await ecs.describeServices(cluster: "cutover-no-such-cluster", services: [setup.name])
        }
        #expect(cluster?.code == "ClusterNotFoundException")
        let definition = await #expect(throws: AWSError.self) { try await ecs.describeTaskDefinition("cutover-no-such-family") }
        #expect(definition?.code == "ClientException")
    }
}
