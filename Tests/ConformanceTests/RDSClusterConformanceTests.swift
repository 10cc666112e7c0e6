import AWSServices
import Foundation
import TestSupport
import Testing

/// The Aurora path — cluster snapshot, share, copy with a key, restore with a key, add a member —
/// against moto in account A and in account B via AssumeRole. `CreateDBCluster` and
/// `DeleteDBCluster` are not Cutover operations; the test sends them through `client.query`.
@Suite struct RDSClusterConformanceTests {
    @Test func clusterPathInAccountA() async throws {
        let moto = try MotoFixture.load()
        try await exerciseClusterPath(rds: moto.clientA(.rds), account: moto.accountA, shareWith: moto.accountB)
    }

    @Test func clusterPathInAccountBViaAssumeRole() async throws {
        let moto = try MotoFixture.load()
        try await exerciseClusterPath(rds: try await moto.clientB(.rds), account: moto.accountB, shareWith: moto.accountA)
    }

    func exerciseClusterPath(rds client: AWSClient, account: String, shareWith other: String) async throws {
        let rds = RDSClient(client: client)
        let name = MotoFixture.uniqueName("cutover-aurora")
        let key = try await MotoRDSSetup.createKey(client.with(service: .kms), description: "\(name) target")
        let network = try await MotoRDSSetup.network(client, prefix: name)

        _ = try await client.query(
            action: "CreateDBCluster",
            parameters: [
                ("DBClusterIdentifier", name), ("Engine", "aurora-mysql"), ("MasterUsername", "admin"),
                ("MasterUserPassword", "conformance-secret"), ("StorageEncrypted", "true"),
            ], resource: name)
        let cluster = try #require(try await rds.describeDBClusters(.init(clusterIdentifier: name)).items.first)
        #expect(cluster.identifier == name && cluster.engine == "aurora-mysql")
        #expect(RDSWaiters.clusterState(cluster.status) == .done)
        #expect(cluster.arn == "arn:aws:rds:us-east-1:\(account):cluster:\(name)")
        #expect(try await rds.describeAllDBClusters().contains { $0.identifier == name })

        let member = try await rds.createDBInstance(
            .init(instanceIdentifier: "\(name)-1", instanceClass: "db.r6g.large", engine: "aurora-mysql", clusterIdentifier: name))
        #expect(member.value.dbClusterIdentifier == name)
        let withMember = try #require(try await rds.describeDBClusters(.init(clusterIdentifier: name)).items.first)
        #expect(withMember.members.map(\.instanceIdentifier) == ["\(name)-1"])

        let snapshotName = "\(name)-cutover"
        let snapshot = try await rds.createDBClusterSnapshot(snapshotIdentifier: snapshotName, clusterIdentifier: name).value
        #expect(snapshot.clusterIdentifier == name)
        #expect(RDSWaiters.clusterSnapshotState(snapshot.status) == .done)
        let snapshotArn = try #require(snapshot.arn)
        let listed = try await rds.describeAllDBClusterSnapshots(.init(clusterIdentifier: name, snapshotType: .manual))
        #expect(listed.map(\.identifier) == [snapshotName])

        let shared = try await rds.modifyDBClusterSnapshotAttribute(snapshotIdentifier: snapshotName, valuesToAdd: [other])
        #expect(shared.value.restoreAccounts == [other])
        #expect(try await rds.describeDBClusterSnapshotAttributes(snapshotIdentifier: snapshotName).value.restoreAccounts == [other])

        let copyName = "\(name)-copy"
        let copy = try await rds.copyDBClusterSnapshot(
            .init(sourceSnapshotIdentifier: snapshotArn, targetSnapshotIdentifier: copyName, kmsKeyId: key, copyTags: true))
        #expect(copy.value.identifier == copyName)
        #expect(RDSWaiters.clusterSnapshotState(copy.value.status) == .done)

        let restoredName = "\(name)-restored"
        let restored = try await rds.restoreDBClusterFromSnapshot(
            .init(
                clusterIdentifier: restoredName, snapshotIdentifier: copyName, engine: "aurora-mysql", kmsKeyId: key,
                dbSubnetGroupName: network.subnetGroupName, vpcSecurityGroupIds: network.securityGroupIds,
                tags: ["cutover": "restored"]))
        #expect(restored.value.identifier == restoredName)
        #expect(restored.value.members.isEmpty)
        let check = try #require(try await rds.describeDBClusters(.init(clusterIdentifier: restoredName)).items.first)
        #expect(check.dbSubnetGroupName == network.subnetGroupName)
        #expect(check.vpcSecurityGroupIds == network.securityGroupIds)
        #expect(check.storageEncrypted && check.kmsKeyId == key)
        _ = try await rds.createDBInstance(
            .init(
                instanceIdentifier: "\(restoredName)-1", instanceClass: "db.r6g.large", engine: "aurora-mysql",
                clusterIdentifier: restoredName))
        let restoredWithMember = try #require(try await rds.describeDBClusters(.init(clusterIdentifier: restoredName)).items.first)
        #expect(restoredWithMember.members.map(\.instanceIdentifier) == ["\(restoredName)-1"])

        for instance in ["\(restoredName)-1", "\(name)-1"] {
            _ = try await rds.deleteDBInstance(.init(instanceIdentifier: instance, finalSnapshot: .skip))
        }
        for id in [restoredName, name] {
            _ = try await client.query(action: "DeleteDBCluster", parameters: [("DBClusterIdentifier", id), ("SkipFinalSnapshot", "true")])
        }
        let gone = await #expect(throws: AWSError.self) { try await rds.describeDBClusters(.init(clusterIdentifier: restoredName)) }
        #expect(gone?.code == "DBClusterNotFoundFault")
        #expect(RDSWaiter.dbClusterDeleted.state(error: try #require(gone)) == .done)
    }
}
