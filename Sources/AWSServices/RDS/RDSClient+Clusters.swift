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
        var p = QueryParameters()
        p.add("DBClusterSnapshotIdentifier", snapshotIdentifier)
        p.add("DBClusterIdentifier", clusterIdentifier)
        p.addTags("Tags", tags, member: "Tag")
        return try await clusterSnapshotCall("CreateDBClusterSnapshot", p, resource: snapshotIdentifier)
    }

    /// `DescribeDBClusterSnapshots`: one page.
    public func describeDBClusterSnapshots(_ request: DescribeDBClusterSnapshotsRequest) async throws -> RDSPage<RDSDBClusterSnapshot> {
        try await call(
            "DescribeDBClusterSnapshots", request.parameters, resource: request.snapshotIdentifier ?? request.clusterIdentifier
        ) { x in
            RDSPage(
                items: try x.items("DBClusterSnapshots", member: "DBClusterSnapshot", RDSDBClusterSnapshot.init),
                marker: x.string("Marker"), requestId: nil)
        }
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
        var p = QueryParameters()
        p.add("DBClusterSnapshotIdentifier", snapshotIdentifier)
        p.add("AttributeName", attributeName)
        p.addList("ValuesToAdd", valuesToAdd, member: "AttributeValue")
        p.addList("ValuesToRemove", valuesToRemove, member: "AttributeValue")
        return try await attributesCall("ModifyDBClusterSnapshotAttribute", p, resource: snapshotIdentifier, cluster: true)
    }

    /// `DescribeDBClusterSnapshotAttributes`: who the cluster snapshot is shared with.
    public func describeDBClusterSnapshotAttributes(snapshotIdentifier: String) async throws -> RDSResult<RDSSnapshotAttributes> {
        var p = QueryParameters()
        p.add("DBClusterSnapshotIdentifier", snapshotIdentifier)
        return try await attributesCall("DescribeDBClusterSnapshotAttributes", p, resource: snapshotIdentifier, cluster: true)
    }

    /// `CopyDBClusterSnapshot`.
    public func copyDBClusterSnapshot(_ request: CopyDBClusterSnapshotRequest) async throws -> RDSResult<RDSDBClusterSnapshot> {
        try await clusterSnapshotCall("CopyDBClusterSnapshot", request.parameters, resource: request.targetSnapshotIdentifier)
    }

    /// `RestoreDBClusterFromSnapshot`: creates the cluster only; members follow with `createDBInstance`.
    public func restoreDBClusterFromSnapshot(_ request: RestoreDBClusterFromSnapshotRequest) async throws -> RDSResult<RDSDBCluster> {
        try await call("RestoreDBClusterFromSnapshot", request.parameters, resource: request.clusterIdentifier) { x in
            RDSResult(value: try RDSDBCluster(x.requiredChild("DBCluster")), requestId: nil)
        }
    }

    private func clusterSnapshotCall(_ action: String, _ parameters: QueryParameters, resource: String) async throws -> RDSResult<RDSDBClusterSnapshot> {
        try await call(action, parameters, resource: resource) { x in
            RDSResult(value: try RDSDBClusterSnapshot(x.requiredChild("DBClusterSnapshot")), requestId: nil)
        }
    }
}
