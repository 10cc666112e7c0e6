/// Aurora: clusters and cluster snapshots, the counterparts of the instance and snapshot calls.
extension RDSClient {
    /// `DescribeDBClusters`: one page.
    public func describeDBClusters(_ request: DescribeDBClustersRequest = .init()) async throws -> RDSPage<RDSDBCluster> {
        try await call("DescribeDBClusters", request.parameters, resource: request.clusterIdentifier) { x in
            RDSPage(
                items: try x.items("DBClusters", member: "DBCluster", RDSDBCluster.init),
                marker: x.string("Marker"), requestId: nil)
        }
    }

    /// Every cluster matching `request`, following `Marker` from page to page.
    public func describeAllDBClusters(_ request: DescribeDBClustersRequest = .init()) async throws -> [RDSDBCluster] {
        try await Self.collect(operation: "DescribeDBClusters", client: client, start: request.marker) { marker in
            var next = request
            next.marker = marker
            return try await describeDBClusters(next)
        }
    }

    /// `CreateDBClusterSnapshot`: a manual snapshot of the cluster.
    public func createDBClusterSnapshot(
        snapshotIdentifier: String, clusterIdentifier: String, tags: [String: String]? = nil
    ) async throws -> RDSResult<RDSDBClusterSnapshot> {
        try await createSnapshot(.cluster, snapshotIdentifier, of: clusterIdentifier, tags: tags, RDSDBClusterSnapshot.init)
    }

    /// `DescribeDBClusterSnapshots`: one page.
    public func describeDBClusterSnapshots(_ request: DescribeDBClusterSnapshotsRequest) async throws -> RDSPage<RDSDBClusterSnapshot> {
        try await describeSnapshots(
            .cluster, request.parameters, resource: request.snapshotIdentifier ?? request.clusterIdentifier, RDSDBClusterSnapshot.init)
    }

    /// Every cluster snapshot matching `request`, following `Marker` from page to page.
    public func describeAllDBClusterSnapshots(_ request: DescribeDBClusterSnapshotsRequest) async throws -> [RDSDBClusterSnapshot] {
        try await Self.collect(operation: "DescribeDBClusterSnapshots", client: client, start: request.marker) { marker in
            var next = request
            next.marker = marker
            return try await describeDBClusterSnapshots(next)
        }
    }

    /// `ModifyDBClusterSnapshotAttribute`: shares (`valuesToAdd`) or unshares a cluster snapshot;
    /// the same rules as for DB snapshots apply.
    public func modifyDBClusterSnapshotAttribute(
        snapshotIdentifier: String, attributeName: String = "restore", valuesToAdd: [String]? = nil,
        valuesToRemove: [String]? = nil
    ) async throws -> RDSResult<RDSSnapshotAttributes> {
        try await modifySnapshotAttribute(
            .cluster, snapshotIdentifier, attributeName: attributeName, valuesToAdd: valuesToAdd, valuesToRemove: valuesToRemove)
    }

    /// `DescribeDBClusterSnapshotAttributes`: who the cluster snapshot is shared with.
    public func describeDBClusterSnapshotAttributes(snapshotIdentifier: String) async throws -> RDSResult<RDSSnapshotAttributes> {
        try await describeSnapshotAttributes(.cluster, snapshotIdentifier)
    }

    /// `CopyDBClusterSnapshot`.
    public func copyDBClusterSnapshot(_ request: CopyDBClusterSnapshotRequest) async throws -> RDSResult<RDSDBClusterSnapshot> {
        try await snapshotCall(
            .cluster, "CopyDBClusterSnapshot", request.parameters, resource: request.targetSnapshotIdentifier, RDSDBClusterSnapshot.init)
    }

    /// `RestoreDBClusterFromSnapshot`: creates the cluster only; members follow with `createDBInstance`.
    public func restoreDBClusterFromSnapshot(_ request: RestoreDBClusterFromSnapshotRequest) async throws -> RDSResult<RDSDBCluster> {
        try await call("RestoreDBClusterFromSnapshot", request.parameters, resource: request.clusterIdentifier) { x in
            RDSResult(value: try RDSDBCluster(x.requiredChild("DBCluster")), requestId: nil)
        }
    }
}
