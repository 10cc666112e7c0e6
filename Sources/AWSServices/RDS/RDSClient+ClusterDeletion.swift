/// Aurora deletions, the undo of a cluster move: `DeleteDBCluster` and `DeleteDBClusterSnapshot`.
extension RDSClient {
    /// `DeleteDBCluster`; the result shows the cluster as `deleting`. AWS refuses while the cluster
    /// still has members that are not being deleted (`InvalidDBClusterStateFault`), and while
    /// deletion protection is on. `finalSnapshot` names the DB cluster snapshot to take, or skips it.
    public func deleteDBCluster(
        clusterIdentifier: String, finalSnapshot: DeleteDBInstanceRequest.FinalSnapshot
    ) async throws -> RDSResult<RDSDBCluster> {
        var p = QueryParameters()
        p.add("DBClusterIdentifier", clusterIdentifier)
        finalSnapshot.add(to: &p)
        return try await call("DeleteDBCluster", p, resource: clusterIdentifier) { x in
            RDSResult(value: try RDSDBCluster(x.requiredChild("DBCluster")), requestId: nil)
        }
    }

    /// `DeleteDBClusterSnapshot` (manual snapshots only, `available` ones).
    public func deleteDBClusterSnapshot(snapshotIdentifier: String) async throws -> RDSResult<RDSDBClusterSnapshot> {
        try await deleteSnapshot(.cluster, snapshotIdentifier, RDSDBClusterSnapshot.init)
    }
}
