import AWSServices
import Foundation
import TestSupport
import Testing

/// The RDS instance path of a cutover, through our signed client against moto with signature
/// checking on, in account A (IAM user keys) and account B (AssumeRole).
///
/// What moto cannot do (MOTO-NOTES §4) — copy or restore a snapshot shared by another account, any
/// state other than `available`, KMS key sharing — needs the simulator (issue 3). Here the
/// cross-account part stops at "B sees the snapshot A shared"; the copy is a same-account copy
/// re-encrypted with the copying account's own key.
@Suite struct RDSConformanceTests {
    @Test func instanceCutoverPathInAccountA() async throws {
        let moto = try MotoFixture.load()
        try await exerciseInstancePath(rds: moto.clientA(.rds), kms: moto.clientA(.kms), account: moto.accountA, shareWith: moto.accountB)
    }

    @Test func instanceCutoverPathInAccountBViaAssumeRole() async throws {
        let moto = try MotoFixture.load()
        let rds = try await moto.clientB(.rds)
        try await exerciseInstancePath(rds: rds, kms: rds.with(service: .kms), account: moto.accountB, shareWith: moto.accountA)
    }

    /// Create → describe → snapshot → share → copy with a KMS key → restore into a chosen network →
    /// describe → tag → delete, checking what each answer says.
    func exerciseInstancePath(rds client: AWSClient, kms: AWSClient, account: String, shareWith other: String) async throws {
        let rds = RDSClient(client: client)
        let name = MotoFixture.uniqueName("cutover-db")
        let sourceKey = try await MotoRDSSetup.createKey(kms, description: "\(name) source")
        let targetKey = try await MotoRDSSetup.createKey(kms, description: "\(name) target")
        let network = try await MotoRDSSetup.network(client, prefix: name)

        let created = try await rds.createDBInstance(
            .init(
                instanceIdentifier: name, instanceClass: "db.t3.micro", engine: "mysql", engineVersion: "8.0.35",
                allocatedStorage: 20, masterUsername: "admin", masterUserPassword: "conformance-secret",
                storageEncrypted: true, kmsKeyId: sourceKey, tags: ["team": "admin-console"]))
        #expect(created.value.identifier == name)
        #expect(created.requestId?.isEmpty == false)

        let described = try #require(try await rds.describeDBInstances(.init(instanceIdentifier: name)).items.first)
        #expect(described.status == "available")
        #expect(RDSWaiters.instanceState(described.status) == .done)
        #expect(described.engine == "mysql" && described.engineVersion == "8.0.35")
        #expect(described.instanceClass == "db.t3.micro")
        #expect(described.storageEncrypted && described.kmsKeyId == sourceKey)
        #expect(described.endpointAddress?.hasPrefix(name) == true && described.endpointPort == 3306)
        #expect(described.arn == "arn:aws:rds:us-east-1:\(account):db:\(name)")
        #expect(described.tags["team"] == "admin-console")
        #expect(try await rds.describeAllDBInstances().contains { $0.identifier == name })

        let snapshotName = "\(name)-cutover"
        let snapshot = try await rds.createDBSnapshot(snapshotIdentifier: snapshotName, instanceIdentifier: name).value
        #expect(snapshot.instanceIdentifier == name)
        #expect(snapshot.encrypted && snapshot.kmsKeyId == sourceKey)
        #expect(RDSWaiters.snapshotState(snapshot.status) == .done)
        let snapshotArn = try #require(snapshot.arn)
        #expect(snapshotArn == "arn:aws:rds:us-east-1:\(account):snapshot:\(snapshotName)")

        let shared = try await rds.modifyDBSnapshotAttribute(snapshotIdentifier: snapshotName, valuesToAdd: [other])
        #expect(shared.value.restoreAccounts == [other])
        #expect(try await rds.describeDBSnapshotAttributes(snapshotIdentifier: snapshotName).value.restoreAccounts == [other])

        // Describing by ARN (how the target names a shared snapshot) is not resolved by moto, even
        // for the caller's own snapshot: that needs the simulator (issue 3).
        let byName = try await rds.describeDBSnapshots(.init(snapshotIdentifier: snapshotName))
        #expect(byName.items.map(\.identifier) == [snapshotName])
        let manual = try await rds.describeAllDBSnapshots(.init(instanceIdentifier: name, snapshotType: .manual, includeShared: true))
        #expect(manual.map(\.identifier) == [snapshotName])

        let copyName = "\(name)-copy"
        let copy = try await rds.copyDBSnapshot(
            .init(
                sourceSnapshotIdentifier: snapshotArn, targetSnapshotIdentifier: copyName, kmsKeyId: targetKey, copyTags: true,
                tags: ["cutover": "copy"]))
        #expect(copy.value.identifier == copyName)
        #expect(copy.value.encrypted && copy.value.kmsKeyId == targetKey)
        #expect(RDSWaiters.snapshotState(copy.value.status) == .done)

        let restoredName = "\(name)-restored"
        let restored = try await rds.restoreDBInstanceFromDBSnapshot(
            .init(
                instanceIdentifier: restoredName, snapshotIdentifier: copyName, dbSubnetGroupName: network.subnetGroupName,
                vpcSecurityGroupIds: network.securityGroupIds, dbParameterGroupName: network.parameterGroupName,
                instanceClass: "db.t3.small", multiAZ: true, publiclyAccessible: false, deletionProtection: false, port: 3307,
                tags: ["cutover": "restored"]))
        #expect(restored.value.identifier == restoredName)
        let check = try #require(try await rds.describeDBInstances(.init(instanceIdentifier: restoredName)).items.first)
        #expect(check.status == "available")
        #expect(check.dbSubnetGroupName == network.subnetGroupName && check.vpcId == network.vpcId)
        #expect(check.vpcSecurityGroupIds == network.securityGroupIds)
        #expect(check.dbParameterGroupNames == [network.parameterGroupName])
        #expect(check.instanceClass == "db.t3.small" && check.multiAZ && check.endpointPort == 3307)
        #expect(check.storageEncrypted && check.kmsKeyId == targetKey)

        try await rds.addTagsToResource(resourceArn: try #require(check.arn), tags: ["cutover-run": "42"])
        let tagged = try #require(try await rds.describeDBInstances(.init(instanceIdentifier: restoredName)).items.first)
        #expect(tagged.tags["cutover-run"] == "42")

        // Rollback: delete what the target side created, unshare the source snapshot.
        let deleting = try await rds.deleteDBInstance(
            .init(instanceIdentifier: restoredName, finalSnapshot: .skip, deleteAutomatedBackups: true))
        #expect(deleting.value.status == "deleting")
        #expect(RDSWaiters.instanceDeletedState(deleting.value.status) == .pending)
        let gone = await #expect(throws: AWSError.self) { try await rds.describeDBInstances(.init(instanceIdentifier: restoredName)) }
        #expect(gone?.code == "DBInstanceNotFound")
        #expect(RDSWaiter.dbInstanceDeleted.state(error: try #require(gone)) == .done)

        _ = try await rds.deleteDBSnapshot(snapshotIdentifier: copyName)
        let unshared = try await rds.modifyDBSnapshotAttribute(snapshotIdentifier: snapshotName, valuesToRemove: [other])
        #expect(unshared.value.restoreAccounts.isEmpty)
        let final = try await rds.deleteDBInstance(.init(instanceIdentifier: name, finalSnapshot: .take(identifier: "\(name)-final")))
        #expect(final.value.identifier == name)
        _ = try await rds.deleteDBSnapshot(snapshotIdentifier: snapshotName)
    }

    /// B sees the snapshot A shared only when it asks for shared snapshots. (Copying it from B by
    /// ARN is what moto cannot do: that needs the simulator, issue 3.)
    @Test func targetAccountSeesTheSharedSnapshotOnlyAsShared() async throws {
        let moto = try MotoFixture.load()
        let a = RDSClient(client: moto.clientA(.rds))
        let b = RDSClient(client: try await moto.clientB(.rds))
        let name = MotoFixture.uniqueName("cutover-share")
        _ = try await a.createDBInstance(
            .init(
                instanceIdentifier: name, instanceClass: "db.t3.micro", engine: "mysql", engineVersion: "8.0.35", allocatedStorage: 20,
                masterUsername: "admin", masterUserPassword: "conformance-secret"))
        let snapshot = try await a.createDBSnapshot(snapshotIdentifier: "\(name)-snap", instanceIdentifier: name).value
        _ = try await a.modifyDBSnapshotAttribute(snapshotIdentifier: snapshot.identifier, valuesToAdd: [moto.accountB])

        let own = try await b.describeAllDBSnapshots(.init())
        #expect(!own.contains { $0.identifier == snapshot.identifier })
        let shared = try await b.describeAllDBSnapshots(.init(snapshotType: .shared))
        let seen = try #require(shared.first { $0.identifier == snapshot.identifier })
        #expect(seen.arn == snapshot.arn)
        #expect(seen.arn?.contains(":\(moto.accountA):") == true)

        _ = try await a.deleteDBSnapshot(snapshotIdentifier: snapshot.identifier)
        _ = try await a.deleteDBInstance(.init(instanceIdentifier: name, finalSnapshot: .skip))
    }

    @Test func errorsAreTypedWithRequestIds() async throws {
        let moto = try MotoFixture.load()
        let rds = RDSClient(client: moto.clientA(.rds))
        let missing = MotoFixture.uniqueName("no-such-snapshot")
        let notFound = await #expect(throws: AWSError.self) { try await rds.describeDBSnapshots(.init(snapshotIdentifier: missing)) }
        #expect(notFound?.code == "DBSnapshotNotFound")
        #expect(notFound?.origin == .service && notFound?.httpStatus == 404)
        #expect(notFound?.requestId?.isEmpty == false)
        #expect(notFound?.operation == "DescribeDBSnapshots" && notFound?.resource == missing)
        #expect(notFound?.account == moto.accountA)
        #expect(RDSWaiter.dbSnapshotAvailable.state(error: try #require(notFound)) != .done)

        let name = MotoFixture.uniqueName("cutover-dup")
        let request = CreateDBInstanceRequest(
            instanceIdentifier: name, instanceClass: "db.t3.micro", engine: "mysql", engineVersion: "8.0.35", allocatedStorage: 20,
            masterUsername: "admin", masterUserPassword: "conformance-secret")
        _ = try await rds.createDBInstance(request)
        let duplicate = await #expect(throws: AWSError.self) { try await rds.createDBInstance(request) }
        #expect(duplicate?.code == "DBInstanceAlreadyExists")
        #expect(duplicate?.requestId?.isEmpty == false)

        let restoreMissing = await #expect(throws: AWSError.self) {
            try await rds.restoreDBInstanceFromDBSnapshot(.init(instanceIdentifier: "\(name)-r", snapshotIdentifier: missing))
        }
        #expect(restoreMissing?.code == "DBSnapshotNotFound")
        _ = try await rds.deleteDBInstance(.init(instanceIdentifier: name, finalSnapshot: .skip))
    }
}
