/// DB snapshots: create in the source, share with the target, copy there, describe, delete. The
/// calls are written once for both snapshot families (`RDSSnapshotFamily`); these are their
/// DB-snapshot faces.
extension RDSClient {
    /// `CreateDBSnapshot`: a manual snapshot of `instanceIdentifier` (only manual snapshots can be shared).
    public func createDBSnapshot(
        snapshotIdentifier: String, instanceIdentifier: String, tags: [String: String]? = nil
    ) async throws -> RDSResult<RDSDBSnapshot> {
        try await createSnapshot(.instance, snapshotIdentifier, of: instanceIdentifier, tags: tags, RDSDBSnapshot.init)
    }

    /// `DescribeDBSnapshots`: one page.
    public func describeDBSnapshots(_ request: DescribeDBSnapshotsRequest) async throws -> RDSPage<RDSDBSnapshot> {
        try await describeSnapshots(
            .instance, request.parameters, resource: request.snapshotIdentifier ?? request.instanceIdentifier, RDSDBSnapshot.init)
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
        try await modifySnapshotAttribute(
            .instance, snapshotIdentifier, attributeName: attributeName, valuesToAdd: valuesToAdd, valuesToRemove: valuesToRemove)
    }

    /// `DescribeDBSnapshotAttributes`: who the snapshot is shared with.
    public func describeDBSnapshotAttributes(snapshotIdentifier: String) async throws -> RDSResult<RDSSnapshotAttributes> {
        try await describeSnapshotAttributes(.instance, snapshotIdentifier)
    }

    /// `CopyDBSnapshot`.
    public func copyDBSnapshot(_ request: CopyDBSnapshotRequest) async throws -> RDSResult<RDSDBSnapshot> {
        try await snapshotCall(
            .instance, "CopyDBSnapshot", request.parameters, resource: request.targetSnapshotIdentifier, RDSDBSnapshot.init)
    }

    /// `DeleteDBSnapshot` (manual snapshots only); the result shows the snapshot as `deleted`.
    public func deleteDBSnapshot(snapshotIdentifier: String) async throws -> RDSResult<RDSDBSnapshot> {
        try await deleteSnapshot(.instance, snapshotIdentifier, RDSDBSnapshot.init)
    }
}
