import AWSServices
import AWSSimulator
import Foundation
import TestSupport
import Testing

/// The cross-account path once more, through our own `RDSClient` and `KMSClient`, signed, over
/// `Simulator.handle` (request log included): proof that what the simulator answers is what the
/// product's clients send and read.
@Suite("SimRDS: our RDSClient and KMSClient against the simulator")
struct SimRDSClientTests {
    typealias W = SimRDSWorld

    struct Accounts {
        let simulator: Simulator
        let clock: VirtualClock
        let a: AWSClient
        let b: AWSClient

        init() throws {
            clock = VirtualClock()
            simulator = Simulator(configuration: SimConfiguration(rds: W.timings), clock: clock)
            try simulator.addAccount(id: W.a, name: "legacy")
            try simulator.addAccount(id: W.b, name: "product")
            let keyA = try simulator.addUser(account: W.a, name: "alice")
            let keyB = try simulator.addUser(account: W.b, name: "bob")
            let transport = SimulatorTransport(simulator)
            let clock = clock
            func client(_ key: SimAccessKey) -> AWSClient {
                AWSClient(
                    service: .rds, region: W.region,
                    credentials: StaticCredentialProvider(
                        AWSCredentials(accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey)),
                    transport: transport, retry: .init(maxAttempts: 1), account: key.account, now: { clock.now() }, sleep: { _ in })
            }
            a = client(keyA)
            b = client(keyB)
        }
    }

    @Test func productClientsDriveTheWholeCrossAccountPath() async throws {
        let world = try Accounts()
        let sim = world.simulator
        try sim.createKMSKey(account: W.a, sharedWith: [W.b], alias: "alias/cutover-share")
        try sim.createKMSKey(account: W.b, alias: "alias/product")
        sim.seedRDSNetwork(account: W.b, subnetGroups: ["product": "vpc-1"], securityGroups: ["sg-1": "vpc-1"], parameterGroups: ["pg"])
        try sim.seedDBInstance(SimDBInstanceSeed(identifier: "legacy-db", kmsKeyId: "alias/cutover-share"), account: W.a)
        let rdsA = RDSClient(client: world.a)
        let rdsB = RDSClient(client: world.b)

        // The preflight: the key is customer managed and B can see it by ARN.
        let instance = try #require(try await rdsA.describeAllDBInstances().first)
        let keyArn = try #require(instance.kmsKeyId)
        let metadata = try await KMSClient(client: world.b).describeKey(keyId: keyArn)
        #expect(!metadata.isAWSManaged)
        #expect(try await KMSClient(client: world.a).listAllAliases().map(\.aliasName).contains("alias/cutover-share"))

        let snapshot = try await rdsA.createDBSnapshot(snapshotIdentifier: "cutover-1", instanceIdentifier: "legacy-db").value
        #expect(snapshot.status == "creating")
        world.clock.advance(by: W.timings.snapshotCreating)
        _ = try await rdsA.modifyDBSnapshotAttribute(snapshotIdentifier: "cutover-1", valuesToAdd: [W.b])
        let sourceArn = try #require(snapshot.arn)

        let shared = try await rdsB.describeAllDBSnapshots(.init(snapshotType: .shared))
        #expect(shared.map(\.arn) == [sourceArn])
        let copy = try await rdsB.copyDBSnapshot(
            .init(sourceSnapshotIdentifier: sourceArn, targetSnapshotIdentifier: "cutover-1-copy", kmsKeyId: "alias/product"))
        #expect(copy.value.status == "copying")
        #expect(copy.requestId?.isEmpty == false)
        world.clock.advance(by: W.timings.snapshotCopying)

        let restored = try await rdsB.restoreDBInstanceFromDBSnapshot(
            .init(
                instanceIdentifier: "product-db", snapshotIdentifier: "cutover-1-copy", dbSubnetGroupName: "product",
                vpcSecurityGroupIds: ["sg-1"], dbParameterGroupName: "pg"))
        #expect(restored.value.status == "creating")
        world.clock.advance(by: W.timings.instanceCreating + W.timings.instanceBackingUp)
        let live = try #require(try await rdsB.describeDBInstances(.init(instanceIdentifier: "product-db")).items.first)
        #expect(live.status == "available")
        #expect(live.endpointPort == 3306)

        // A refusal arrives as AWSError with AWS's code, status and the request ID.
        await #expect {
            try await rdsB.copyDBSnapshot(
                .init(sourceSnapshotIdentifier: "cutover-1", targetSnapshotIdentifier: "x", kmsKeyId: "alias/product"))
        } throws: { error in
            guard let error = error as? AWSError else { return false }
            return error.code == "DBSnapshotNotFound" && error.httpStatus == 404 && error.requestId?.isEmpty == false
        }

        // The request log saw who did what, and that B never mutated A's resources.
        let log = sim.requestLog.filter { $0.service == "rds" }
        #expect(log.contains { $0.operation == "CopyDBSnapshot" && $0.account == W.b && $0.resource == "cutover-1-copy" && $0.mutated })
        #expect(
            log.filter { $0.account == W.b && $0.mutated }.allSatisfy {
                ["CopyDBSnapshot", "RestoreDBInstanceFromDBSnapshot"].contains($0.operation)
            })
    }
}
