import AWSSimulator
import Foundation
import Testing

@testable import AWSServices

/// Aurora: cluster snapshots are shared like DB snapshots, but a shared cluster snapshot —
/// encrypted or not — can be restored directly, re-encrypted with KmsKeyId (AWS-NOTES §5.5).
@Suite("SimRDS: Aurora cluster snapshots")
struct SimRDSClusterTests {
    typealias W = SimRDSWorld
    static let snapArn = W.arn(W.a, "cluster-snapshot", "aurora-snap")

    static func sharedClusterSnapshot(shareKeyWith: [String] = [W.b]) throws -> SimRDSWorld {
        var world = SimRDSWorld()
        _ = try world.seedCutoverWorld(shareKeyWith: shareKeyWith)
        try world.state.seedDBCluster(
            identifier: "legacy-aurora", kmsKeyId: "alias/cutover-share", account: W.a, region: W.region, now: world.now,
            configuration: world.configuration)
        let created = try SimWire.clusterSnapshot(
            world.rds(
                "CreateDBClusterSnapshot", as: W.a,
                [("DBClusterSnapshotIdentifier", "aurora-snap"), ("DBClusterIdentifier", "legacy-aurora")]),
            "CreateDBClusterSnapshot")
        #expect(created.status == "creating")
        world.advance(W.timings.snapshotCreating)
        let share = world.rds(
            "ModifyDBClusterSnapshotAttribute", as: W.a,
            [
                ("DBClusterSnapshotIdentifier", "aurora-snap"), ("AttributeName", "restore"), ("ValuesToAdd.AttributeValue.1", W.b),
            ])
        #expect(try SimWire.attributes(share, "ModifyDBClusterSnapshotAttribute", cluster: true).restoreAccounts == [W.b])
        return world
    }

    @Test func sharedEncryptedClusterSnapshotRestoresDirectlyWithTheTargetsKey() throws {
        var world = try Self.sharedClusterSnapshot()
        let shared = try SimWire.result(
            world.rds("DescribeDBClusterSnapshots", as: W.b, [("SnapshotType", "shared")]), "DescribeDBClusterSnapshots"
        )
        .items("DBClusterSnapshots", member: "DBClusterSnapshot", RDSDBClusterSnapshot.init)
        #expect(shared.map(\.arn) == [Self.snapArn])
        #expect(shared.first?.snapshotType == "shared")
        let targetKey = try #require(world.state.kms.keys(account: W.b).first)

        let restored = try SimWire.cluster(
            world.rds(
                "RestoreDBClusterFromSnapshot", as: W.b,
                [
                    ("DBClusterIdentifier", "product-aurora"), ("SnapshotIdentifier", Self.snapArn), ("Engine", "aurora-mysql"),
                    ("KmsKeyId", targetKey.arn), ("DBSubnetGroupName", "product-db-subnets"),
                    ("VpcSecurityGroupIds.VpcSecurityGroupId.1", "sg-0product0000000001"),
                ]),
            "RestoreDBClusterFromSnapshot")
        #expect(restored.status == "creating")
        #expect(restored.members.isEmpty)
        #expect(restored.storageEncrypted && restored.kmsKeyId == targetKey.arn)
        #expect(restored.dbSubnetGroupName == "product-db-subnets")
        world.advance(W.timings.instanceCreating + W.timings.instanceBackingUp)
        let live = try SimWire.result(
            world.rds("DescribeDBClusters", as: W.b, [("DBClusterIdentifier", "product-aurora")]), "DescribeDBClusters"
        )
        .items("DBClusters", member: "DBCluster", RDSDBCluster.init)
        #expect(live.first?.status == "available")
        #expect(live.first?.endpoint?.hasPrefix("product-aurora.cluster-") == true)

        // Members join with CreateDBInstance.
        let member = try SimWire.instance(
            world.rds(
                "CreateDBInstance", as: W.b,
                [
                    ("DBInstanceIdentifier", "product-aurora-1"), ("DBInstanceClass", "db.r6g.large"), ("Engine", "aurora-mysql"),
                    ("DBClusterIdentifier", "product-aurora"),
                ]),
            "CreateDBInstance")
        #expect(member.dbClusterIdentifier == "product-aurora")
        #expect(member.kmsKeyId == targetKey.arn)
        let cluster = try SimWire.result(world.rds("DescribeDBClusters", as: W.b), "DescribeDBClusters").items(
            "DBClusters", member: "DBCluster", RDSDBCluster.init)
        #expect(cluster.first?.members == [.init(instanceIdentifier: "product-aurora-1", isWriter: true)])
    }

    @Test func clusterSnapshotRefusalsMatchTheInstanceOnes() throws {
        var world = try Self.sharedClusterSnapshot()
        // By bare identifier: not found. Encrypted without KmsKeyId: refused.
        #expect(
            SimWire.error(
                world.rds(
                    "CopyDBClusterSnapshot", as: W.b,
                    [("SourceDBClusterSnapshotIdentifier", "aurora-snap"), ("TargetDBClusterSnapshotIdentifier", "c")]))
                == "DBClusterSnapshotNotFoundFault 404")
        #expect(
            SimWire.error(
                world.rds(
                    "CopyDBClusterSnapshot", as: W.b,
                    [("SourceDBClusterSnapshotIdentifier", Self.snapArn), ("TargetDBClusterSnapshotIdentifier", "c")]))
                == "InvalidParameterValue 400")
        let copy = try SimWire.clusterSnapshot(
            world.rds(
                "CopyDBClusterSnapshot", as: W.b,
                [
                    ("SourceDBClusterSnapshotIdentifier", Self.snapArn), ("TargetDBClusterSnapshotIdentifier", "c"),
                    ("KmsKeyId", "alias/product"),
                ]),
            "CopyDBClusterSnapshot")
        #expect(copy.status == "copying")
        #expect(copy.sourceSnapshotArn == Self.snapArn)
        // A third account sees nothing.
        #expect(
            SimWire.error(
                world.rds(
                    "RestoreDBClusterFromSnapshot", as: W.c,
                    [("DBClusterIdentifier", "x"), ("SnapshotIdentifier", Self.snapArn), ("Engine", "aurora-mysql")]))
                == "DBClusterSnapshotNotFoundFault 404")
        // Wrong engine, unknown cluster parameter group.
        #expect(
            SimWire.error(
                world.rds(
                    "RestoreDBClusterFromSnapshot", as: W.b,
                    [("DBClusterIdentifier", "x"), ("SnapshotIdentifier", Self.snapArn), ("Engine", "aurora-postgresql")]))
                == "InvalidParameterValue 400")
        #expect(
            SimWire.error(
                world.rds(
                    "RestoreDBClusterFromSnapshot", as: W.b,
                    [
                        ("DBClusterIdentifier", "x"), ("SnapshotIdentifier", Self.snapArn), ("Engine", "aurora-mysql"),
                        ("DBClusterParameterGroupName", "nope"),
                    ])) == "DBClusterParameterGroupNotFound 404")
    }

    @Test func clusterSnapshotWhoseKeyIsNotSharedCannotBeRestoredByTheTarget() throws {
        var world = try Self.sharedClusterSnapshot(shareKeyWith: [])
        let restore = world.rds(
            "RestoreDBClusterFromSnapshot", as: W.b,
            [
                ("DBClusterIdentifier", "x"), ("SnapshotIdentifier", Self.snapArn), ("Engine", "aurora-mysql"),
                ("KmsKeyId", "alias/product"),
            ])
        #expect(SimWire.error(restore) == "KMSKeyNotAccessibleFault 400")
    }

    @Test func clusterSnapshotNeedsAnAvailableCluster() throws {
        var world = SimRDSWorld()
        try world.state.seedDBCluster(
            identifier: "young", availableImmediately: false, account: W.a, region: W.region, now: world.now,
            configuration: world.configuration)
        #expect(
            SimWire.error(
                world.rds("CreateDBClusterSnapshot", as: W.a, [("DBClusterSnapshotIdentifier", "s"), ("DBClusterIdentifier", "young")]))
                == "InvalidDBClusterStateFault 400")
        #expect(SimWire.error(world.rds("DescribeDBClusters", as: W.a, [("DBClusterIdentifier", "nope")])) == "DBClusterNotFoundFault 404")
    }
}
