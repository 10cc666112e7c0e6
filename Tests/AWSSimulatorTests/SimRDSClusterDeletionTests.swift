import AWSSimulator
import Foundation
import Testing

@testable import AWSServices

/// What undoing an Aurora move needs: DeleteDBCluster refuses while members remain or deletion
/// protection is on and needs a final-snapshot choice; DeleteDBClusterSnapshot deletes the
/// owner's available manual snapshots; DescribeDBClusterParameterGroups answers from the network
/// the restore checks.
@Suite("SimRDS: deleting Aurora clusters and cluster snapshots")
struct SimRDSClusterDeletionTests {
    typealias W = SimRDSWorld

    static func clusterWithMember() throws -> SimRDSWorld {
        var world = SimRDSWorld()
        _ = try world.seedCutoverWorld()
        try world.state.seedDBCluster(
            identifier: "aurora", kmsKeyId: "alias/cutover-share", account: W.a, region: W.region, now: world.now,
            configuration: world.configuration)
        try world.state.seedDBInstance(
            SimDBInstanceSeed(identifier: "aurora-1", engine: "aurora-mysql", instanceClass: "db.r6g.large", clusterIdentifier: "aurora"),
            account: W.a, region: W.region, now: world.now, configuration: world.configuration)
        return world
    }

    @Test func aClusterIsDeletedOnlyOnceItsMembersAreGoing() throws {
        var world = try Self.clusterWithMember()
        let early = world.rds("DeleteDBCluster", as: W.a, [("DBClusterIdentifier", "aurora"), ("SkipFinalSnapshot", "true")])
        #expect(SimWire.error(early) == "InvalidDBClusterStateFault 400")
        let noChoice = world.rds("DeleteDBInstance", as: W.a, [("DBInstanceIdentifier", "aurora-1"), ("SkipFinalSnapshot", "true")])
        #expect(noChoice.status == 200)
        let missingChoice = world.rds("DeleteDBCluster", as: W.a, [("DBClusterIdentifier", "aurora")])
        #expect(SimWire.error(missingChoice) == "InvalidParameterCombination 400")

        let deleted = try SimWire.cluster(
            world.rds("DeleteDBCluster", as: W.a, [("DBClusterIdentifier", "aurora"), ("SkipFinalSnapshot", "true")]), "DeleteDBCluster")
        #expect(deleted.status == "deleting")
        let again = world.rds("DeleteDBCluster", as: W.a, [("DBClusterIdentifier", "aurora"), ("SkipFinalSnapshot", "true")])
        #expect(SimWire.error(again) == "InvalidDBClusterStateFault 400")
        world.advance(W.timings.instanceDeleting + 1)
        let gone = world.rds("DescribeDBClusters", as: W.a, [("DBClusterIdentifier", "aurora")])
        #expect(SimWire.error(gone) == "DBClusterNotFoundFault 404")
        #expect(world.state.rds.clusterSnapshots.isEmpty, "SkipFinalSnapshot took a snapshot")
    }

    @Test func aFinalSnapshotIsTakenWhenAskedAndAnotherAccountCannotDelete() throws {
        var world = SimRDSWorld()
        _ = try world.seedCutoverWorld()
        try world.state.seedDBCluster(
            identifier: "aurora", account: W.a, region: W.region, now: world.now, configuration: world.configuration)
        let foreign = world.rds(
            "DeleteDBCluster", as: W.b, [("DBClusterIdentifier", W.arn(W.a, "cluster", "aurora")), ("SkipFinalSnapshot", "true")])
        #expect(SimWire.error(foreign) == "DBClusterNotFoundFault 404")
        _ = try SimWire.cluster(
            world.rds("DeleteDBCluster", as: W.a, [("DBClusterIdentifier", "aurora"), ("FinalDBSnapshotIdentifier", "aurora-final")]),
            "DeleteDBCluster")
        #expect(world.state.rds.snapshots(.cluster, account: W.a, now: world.now).map(\.identifier) == ["aurora-final"])
    }

    @Test func clusterSnapshotsAreDeletedByTheirOwnerOnceAvailable() throws {
        var world = try SimRDSClusterTests.sharedClusterSnapshot()
        let foreign = world.rds("DeleteDBClusterSnapshot", as: W.b, [("DBClusterSnapshotIdentifier", SimRDSClusterTests.snapArn)])
        #expect(SimWire.error(foreign) == "DBClusterSnapshotNotFoundFault 404")
        let deleted = try SimWire.clusterSnapshot(
            world.rds("DeleteDBClusterSnapshot", as: W.a, [("DBClusterSnapshotIdentifier", "aurora-snap")]), "DeleteDBClusterSnapshot")
        #expect(deleted.status == "deleted")
        let again = world.rds("DeleteDBClusterSnapshot", as: W.a, [("DBClusterSnapshotIdentifier", "aurora-snap")])
        #expect(SimWire.error(again) == "DBClusterSnapshotNotFoundFault 404")

        _ = world.rds(
            "CreateDBClusterSnapshot", as: W.a, [("DBClusterSnapshotIdentifier", "busy"), ("DBClusterIdentifier", "legacy-aurora")])
        let creating = world.rds("DeleteDBClusterSnapshot", as: W.a, [("DBClusterSnapshotIdentifier", "busy")])
        #expect(SimWire.error(creating) == "InvalidDBClusterSnapshotStateFault 400")
    }

    @Test func clusterParameterGroupsAreDescribedFromTheNetwork() throws {
        var world = SimRDSWorld()
        world.state.seedRDSNetwork(account: W.b, clusterParameterGroups: ["aurora-tuned"])
        let found = world.rds("DescribeDBClusterParameterGroups", as: W.b, [("DBClusterParameterGroupName", "aurora-tuned")])
        #expect(found.status == 200)
        let names = try SimWire.result(found, "DescribeDBClusterParameterGroups")
            .items("DBClusterParameterGroups", member: "DBClusterParameterGroup") { $0.string("DBClusterParameterGroupName") }
        #expect(names == ["aurora-tuned"])
        let missing = world.rds("DescribeDBClusterParameterGroups", as: W.a, [("DBClusterParameterGroupName", "aurora-tuned")])
        #expect(SimWire.error(missing) == "DBClusterParameterGroupNotFound 404")
    }
}
