/// DB snapshots: create in the source, share with the target, copy there, describe, delete.
extension RDSClient {
    /// `CreateDBSnapshot`: a manual snapshot of `instanceIdentifier` (only manual snapshots can be shared).
    public func createDBSnapshot(
        snapshotIdentifier: String, instanceIdentifier: String, tags: [String: String]? = nil
    ) async throws -> RDSResult<RDSDBSnapshot> {
        var p = QueryParameters()
        p.add("DBSnapshotIdentifier", snapshotIdentifier)
        p.add("DBInstanceIdentifier", instanceIdentifier)
        p.addTags("Tags", tags, member: "Tag")
        return try await snapshotCall("CreateDBSnapshot", p, resource: snapshotIdentifier)
    }

    /// `DescribeDBSnapshots`: one page.
    public func describeDBSnapshots(_ request: DescribeDBSnapshotsRequest) async throws -> RDSPage<RDSDBSnapshot> {
        try await call("DescribeDBSnapshots", request.parameters, resource: request.snapshotIdentifier ?? request.instanceIdentifier) { x in
            RDSPage(
                items: try x.items("DBSnapshots", member: "DBSnapshot", RDSDBSnapshot.init),
                marker: x.string("Marker"), requestId: nil)
        }
    }

    /// Every snapshot matching `request`, following `Marker` from page to page.
    public func describeAllDBSnapshots(_ request: DescribeDBSnapshotsRequest) async throws -> [RDSDBSnapshot] {
        try await Self.collect(operation: "DescribeDBSnapshots", client: client, start: request.marker) { marker in
            var next = request
            next.marker = marker
            return try await describeDBSnapshots(next)
        }
    }

    /// `ModifyDBSnapshotAttribute`: with the default `restore` attribute, shares the snapshot with
    /// (`valuesToAdd`) or unshares it from (`valuesToRemove`) account IDs. Encrypted snapshots can be
    /// shared only with explicit accounts (never `all`), at most 20, and not under the default key.
    public func modifyDBSnapshotAttribute(
        snapshotIdentifier: String, attributeName: String = "restore", valuesToAdd: [String]? = nil,
        valuesToRemove: [String]? = nil
    ) async throws -> RDSResult<RDSSnapshotAttributes> {
        var p = QueryParameters()
        p.add("DBSnapshotIdentifier", snapshotIdentifier)
        p.add("AttributeName", attributeName)
        p.addList("ValuesToAdd", valuesToAdd, member: "AttributeValue")
        p.addList("ValuesToRemove", valuesToRemove, member: "AttributeValue")
        return try await attributesCall("ModifyDBSnapshotAttribute", p, resource: snapshotIdentifier, cluster: false)
    }

    /// `DescribeDBSnapshotAttributes`: who the snapshot is shared with.
    public func describeDBSnapshotAttributes(snapshotIdentifier: String) async throws -> RDSResult<RDSSnapshotAttributes> {
        var p = QueryParameters()
        p.add("DBSnapshotIdentifier", snapshotIdentifier)
        return try await attributesCall("DescribeDBSnapshotAttributes", p, resource: snapshotIdentifier, cluster: false)
    }

    /// `CopyDBSnapshot`.
    public func copyDBSnapshot(_ request: CopyDBSnapshotRequest) async throws -> RDSResult<RDSDBSnapshot> {
        try await snapshotCall("CopyDBSnapshot", request.parameters, resource: request.targetSnapshotIdentifier)
    }

    /// `DeleteDBSnapshot` (manual snapshots only); the result shows the snapshot as `deleted`.
    public func deleteDBSnapshot(snapshotIdentifier: String) async throws -> RDSResult<RDSDBSnapshot> {
        var p = QueryParameters()
        p.add("DBSnapshotIdentifier", snapshotIdentifier)
        return try await snapshotCall("DeleteDBSnapshot", p, resource: snapshotIdentifier)
    }

    private func snapshotCall(_ action: String, _ parameters: QueryParameters, resource: String) async throws -> RDSResult<RDSDBSnapshot> {
        try await call(action, parameters, resource: resource) { x in
            RDSResult(value: try RDSDBSnapshot(x.requiredChild("DBSnapshot")), requestId: nil)
        }
    }

    func attributesCall(
        _ action: String, _ parameters: QueryParameters, resource: String, cluster: Bool
    ) async throws -> RDSResult<RDSSnapshotAttributes> {
        try await call(action, parameters, resource: resource) { x in
            let wrapper = cluster ? "DBClusterSnapshotAttributesResult" : "DBSnapshotAttributesResult"
            return RDSResult(value: try RDSSnapshotAttributes(x.requiredChild(wrapper), cluster: cluster), requestId: nil)
        }
    }
}
