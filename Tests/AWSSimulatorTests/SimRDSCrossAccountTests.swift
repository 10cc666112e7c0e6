import AWSSimulator
import Foundation
import Testing

@testable import AWSServices

/// The cutover's RDS path across accounts, end to end on a virtual clock: A snapshots, shares with
/// B; B finds the shared snapshot, copies it by ARN under its own key, and restores the copy into
/// its own subnet group, security group and parameter group.
@Suite("SimRDS: cross-account snapshot copy and restore")
struct SimRDSCrossAccountTests {
    typealias W = SimRDSWorld

    @Test func snapshotSharedCopiedByArnAndRestoredInTheTargetAccount() throws {
        var world = SimRDSWorld()
        let (sourceKey, targetKey) = try world.seedCutoverWorld()
        try world.seedInstance(kmsKeyId: "alias/cutover-share")
        let snapshotArn = W.arn(W.a, "snapshot", "cutover-1")

        // A: the snapshot is created over time, PercentProgress rising, the instance backing up.
        let created = try SimWire.snapshot(
            world.rds("CreateDBSnapshot", as: W.a, [("DBSnapshotIdentifier", "cutover-1"), ("DBInstanceIdentifier", "legacy-db")]),
            "CreateDBSnapshot")
        #expect(created.status == "creating")
        #expect(created.percentProgress == 0)
        #expect(created.arn == snapshotArn)
        #expect(created.encrypted && created.kmsKeyId == sourceKey.arn)
        #expect(created.snapshotType == "manual")
        #expect(
            try SimWire.instances(world.rds("DescribeDBInstances", as: W.a, [("DBInstanceIdentifier", "legacy-db")])).first?.status
                == "backing-up")
        world.advance(150)
        let halfway = try SimWire.snapshots(world.rds("DescribeDBSnapshots", as: W.a, [("DBSnapshotIdentifier", "cutover-1")]))
        #expect(halfway.map(\.status) == ["creating"])
        #expect(halfway.first?.percentProgress == 50)
        #expect(RDSWaiters.snapshotState(halfway.first?.status) == .pending)
        world.advance(150)
        let done = try SimWire.snapshots(world.rds("DescribeDBSnapshots", as: W.a, [("DBSnapshotIdentifier", "cutover-1")]))
        #expect(done.first?.status == "available")
        #expect(done.first?.percentProgress == 100)
        #expect(try SimWire.instances(world.rds("DescribeDBInstances", as: W.a)).first?.status == "available")

        // A shares it with B.
        let shared = try SimWire.attributes(
            world.rds(
                "ModifyDBSnapshotAttribute", as: W.a,
                [("DBSnapshotIdentifier", "cutover-1"), ("AttributeName", "restore"), ("ValuesToAdd.AttributeValue.1", W.b)]),
            "ModifyDBSnapshotAttribute")
        #expect(shared.restoreAccounts == [W.b])
        #expect(
            try SimWire.attributes(
                world.rds("DescribeDBSnapshotAttributes", as: W.a, [("DBSnapshotIdentifier", "cutover-1")]), "DescribeDBSnapshotAttributes"
            ).restoreAccounts == [W.b])

        // B: invisible by default; visible as `shared` with SnapshotType or IncludeShared, by ARN.
        #expect(try SimWire.snapshots(world.rds("DescribeDBSnapshots", as: W.b)).isEmpty)
        let asShared = try SimWire.snapshots(world.rds("DescribeDBSnapshots", as: W.b, [("SnapshotType", "shared")]))
        #expect(asShared.map(\.arn) == [snapshotArn])
        #expect(asShared.first?.snapshotType == "shared")
        #expect(try SimWire.snapshots(world.rds("DescribeDBSnapshots", as: W.b, [("IncludeShared", "true")])).map(\.arn) == [snapshotArn])
        #expect(
            try SimWire.snapshots(
                world.rds(
                    "DescribeDBSnapshots", as: W.b,
                    [("DBSnapshotIdentifier", snapshotArn), ("SnapshotType", "shared"), ("IncludeShared", "true")])
            ).count == 1)
        #expect(
            SimWire.error(world.rds("DescribeDBSnapshots", as: W.b, [("DBSnapshotIdentifier", snapshotArn)])) == "DBSnapshotNotFound 404")
        #expect(SimWire.error(world.rds("DescribeDBSnapshots", as: W.c, [("SnapshotType", "shared")])) == "200")

        // B copies by ARN under its own key: copying with PercentProgress, then available.
        let copy = try SimWire.snapshot(
            world.rds(
                "CopyDBSnapshot", as: W.b,
                [
                    ("SourceDBSnapshotIdentifier", snapshotArn), ("TargetDBSnapshotIdentifier", "cutover-1-copy"),
                    ("KmsKeyId", "alias/product"),
                ]),
            "CopyDBSnapshot")
        #expect(copy.status == "copying")
        #expect(copy.percentProgress == 0)
        #expect(copy.arn == W.arn(W.b, "snapshot", "cutover-1-copy"))
        #expect(copy.encrypted && copy.kmsKeyId == targetKey.arn)
        #expect(copy.sourceSnapshotIdentifier == snapshotArn)
        #expect(copy.engine == "mysql" && copy.engineVersion == "8.0.40")
        world.advance(300)
        #expect(
            try SimWire.snapshots(world.rds("DescribeDBSnapshots", as: W.b, [("DBSnapshotIdentifier", "cutover-1-copy")])).first?
                .percentProgress == 50)
        world.advance(300)
        let copied = try SimWire.snapshots(world.rds("DescribeDBSnapshots", as: W.b, [("SnapshotType", "manual")]))
        #expect(copied.map(\.identifier) == ["cutover-1-copy"])
        #expect(copied.first?.status == "available")

        // B restores the copy into its own network; it is created, backed up, then available with an endpoint.
        let restored = try SimWire.instance(
            world.rds(
                "RestoreDBInstanceFromDBSnapshot", as: W.b,
                [
                    ("DBInstanceIdentifier", "product-db"), ("DBSnapshotIdentifier", "cutover-1-copy"),
                    ("DBSubnetGroupName", "product-db-subnets"), ("VpcSecurityGroupIds.VpcSecurityGroupId.1", "sg-0product0000000001"),
                    ("DBParameterGroupName", "product-mysql80"),
                ]),
            "RestoreDBInstanceFromDBSnapshot")
        #expect(restored.status == "creating")
        #expect(restored.endpointAddress == nil)
        #expect(restored.engine == "mysql" && restored.engineVersion == "8.0.40")
        #expect(restored.storageEncrypted && restored.kmsKeyId == targetKey.arn)
        #expect(restored.dbSubnetGroupName == "product-db-subnets" && restored.vpcId == "vpc-0product")
        #expect(restored.vpcSecurityGroupIds == ["sg-0product0000000001"])
        #expect(restored.dbParameterGroupNames == ["product-mysql80"])
        #expect(restored.tags == ["app": "legacy"])
        world.advance(600)
        #expect(
            try SimWire.instances(world.rds("DescribeDBInstances", as: W.b, [("DBInstanceIdentifier", "product-db")])).first?.status
                == "backing-up")
        world.advance(120)
        let live = try #require(
            try SimWire.instances(world.rds("DescribeDBInstances", as: W.b, [("DBInstanceIdentifier", "product-db")])).first)
        #expect(live.status == "available")
        #expect(RDSWaiters.instanceState(live.status) == .done)
        #expect(live.endpointAddress?.hasPrefix("product-db.c") == true)
        #expect(live.endpointAddress?.hasSuffix(".us-east-1.rds.amazonaws.com") == true)
        #expect(live.endpointPort == 3306)
        #expect(live.arn == W.arn(W.b, "db", "product-db"))
        // The source is untouched and still A's alone.
        #expect(world.state.rds.instances(account: W.a, now: world.now).map(\.identifier) == ["legacy-db"])
    }

    @Test func handlersReportResourceAndMutation() throws {
        var world = SimRDSWorld()
        try world.seedInstance(encrypted: false)
        let describe = world.rdsCall("DescribeDBInstances", as: W.a, [("DBInstanceIdentifier", "legacy-db")])
        #expect(describe.context.resource == "legacy-db")
        #expect(!describe.context.mutated)
        let snapshot = world.rdsCall("CreateDBSnapshot", as: W.a, [("DBSnapshotIdentifier", "s1"), ("DBInstanceIdentifier", "legacy-db")])
        #expect(snapshot.context.resource == "s1")
        #expect(snapshot.context.mutated)
        let refused = world.rdsCall("CreateDBSnapshot", as: W.a, [("DBSnapshotIdentifier", "s2"), ("DBInstanceIdentifier", "legacy-db")])
        #expect(SimWire.error(refused.response) == "InvalidDBInstanceState 400")
        #expect(!refused.context.mutated)
    }

    @Test func unencryptedSharedSnapshotCanBeRestoredDirectlyByArn() throws {
        var world = SimRDSWorld()
        _ = try world.seedCutoverWorld()
        try world.seedInstance(encrypted: false)
        world.availableSnapshot("plain")
        world.rds(
            "ModifyDBSnapshotAttribute", as: W.a,
            [("DBSnapshotIdentifier", "plain"), ("AttributeName", "restore"), ("ValuesToAdd.AttributeValue.1", W.b)])
        // RDSUG-2023 USER_ShareSnapshot.md: unencrypted shared snapshots restore directly, by ARN.
        let restored = try SimWire.instance(
            world.rds(
                "RestoreDBInstanceFromDBSnapshot", as: W.b,
                [
                    ("DBInstanceIdentifier", "direct"), ("DBSnapshotIdentifier", W.arn(W.a, "snapshot", "plain")),
                    ("DBSubnetGroupName", "product-db-subnets"),
                ]),
            "RestoreDBInstanceFromDBSnapshot")
        #expect(!restored.storageEncrypted)
        #expect(restored.vpcSecurityGroupIds.count == 1)  // the VPC's default group
        // …but not by bare identifier.
        #expect(
            SimWire.error(
                world.rds(
                    "RestoreDBInstanceFromDBSnapshot", as: W.b, [("DBInstanceIdentifier", "direct2"), ("DBSnapshotIdentifier", "plain")]))
                == "DBSnapshotNotFound 404")
    }

    @Test func seededInstanceCanStartCreatingAndAutomatedBackupAppearsWhileBackingUp() throws {
        var world = SimRDSWorld()
        try world.seedInstance(encrypted: false, available: false)
        #expect(world.state.rds.instances(account: W.a, now: world.now).first?.status(at: world.now) == "creating")
        #expect(try SimWire.snapshots(world.rds("DescribeDBSnapshots", as: W.a)).isEmpty)
        world.advance(600)
        let automated = try SimWire.snapshots(world.rds("DescribeDBSnapshots", as: W.a, [("SnapshotType", "automated")]))
        #expect(automated.count == 1)
        #expect(automated.first?.identifier.hasPrefix("rds:legacy-db-") == true)
        #expect(automated.first?.status == "creating")
        world.advance(120)
        #expect(try SimWire.snapshots(world.rds("DescribeDBSnapshots", as: W.a)).first?.status == "available")
        // Automated snapshots cannot be shared (RDSUG-2023).
        let share = world.rds(
            "ModifyDBSnapshotAttribute", as: W.a,
            [
                ("DBSnapshotIdentifier", automated[0].identifier), ("AttributeName", "restore"), ("ValuesToAdd.AttributeValue.1", W.b),
            ])
        #expect(SimWire.error(share) == "InvalidDBSnapshotState 400")
    }

    @Test func modifyingIsAStateTooAndBlocksSnapshots() throws {
        var world = SimRDSWorld()
        try world.seedInstance(encrypted: false)
        try world.state.beginModifying(instance: "legacy-db", account: W.a, region: W.region, now: world.now, duration: 120)
        #expect(try SimWire.instances(world.rds("DescribeDBInstances", as: W.a)).first?.status == "modifying")
        #expect(
            SimWire.error(world.rds("CreateDBSnapshot", as: W.a, [("DBSnapshotIdentifier", "s"), ("DBInstanceIdentifier", "legacy-db")]))
                == "InvalidDBInstanceState 400")
        world.advance(120)
        #expect(
            SimWire.error(world.rds("CreateDBSnapshot", as: W.a, [("DBSnapshotIdentifier", "s"), ("DBInstanceIdentifier", "legacy-db")]))
                == "200")
    }

    @Test func simulatorSeedingAPIReadsBackWhatItSeeded() throws {
        let clock = VirtualClock()
        let simulator = Simulator(configuration: SimConfiguration(rds: SimRDSWorld.timings), clock: clock)
        let key = try simulator.createKMSKey(account: W.a, description: "legacy", sharedWith: [W.b], alias: "alias/legacy")
        simulator.seedRDSNetwork(account: W.b, subnetGroups: ["db": "vpc-1"], securityGroups: ["sg-1": "vpc-1"], parameterGroups: ["pg"])
        let instance = try simulator.seedDBInstance(SimDBInstanceSeed(identifier: "Legacy-DB", kmsKeyId: "alias/legacy"), account: W.a)
        #expect(instance.identifier == "legacy-db")
        #expect(instance.kmsKeyId == key.arn)
        #expect(simulator.dbInstanceStatus("legacy-db", account: W.a) == "available")
        #expect(simulator.dbInstances(account: W.b).isEmpty)
        #expect(simulator.dbSnapshots(account: W.a).map(\.snapshotType) == ["automated"])
        #expect(simulator.kmsKeys(account: W.a).map(\.keyId) == [key.keyId])
        #expect(simulator.kmsSnapshotAccess(keyArn: key.arn, account: W.b) == .allowed)
        #expect(simulator.kmsSnapshotAccess(keyArn: key.arn, account: W.c) == .notPermitted)
        let managed = simulator.awsManagedRDSKey(account: W.a)
        #expect(managed.manager == .aws)
        #expect(simulator.kmsSnapshotAccess(keyArn: managed.arn, account: W.b) == .awsManagedKeyOfAnotherAccount)
        #expect(throws: SimError.self) {
            try simulator.seedDBInstance(SimDBInstanceSeed(identifier: "x", subnetGroupName: "nope"), account: W.a)
        }
        let cluster = try simulator.seedDBCluster(identifier: "aurora-1", kmsKeyId: "alias/legacy", account: W.a)
        #expect(simulator.dbClusters(account: W.a).map(\.identifier) == [cluster.identifier])
    }
}
