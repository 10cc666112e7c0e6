/// DB snapshots and DB cluster snapshots: the same calls under two names. RDS spells every action,
/// parameter and result element of the one with `DBSnapshot` and of the other with
/// `DBClusterSnapshot` (`CreateDBSnapshot` / `CreateDBClusterSnapshot`, `DBSnapshotIdentifier` /
/// `DBClusterSnapshotIdentifier`, `<DBSnapshot>` / `<DBClusterSnapshot>`), so each call is written
/// once over the family; only the decoded model differs.
enum RDSSnapshotFamily: Sendable {
    case instance, cluster

    /// `DBSnapshot` or `DBClusterSnapshot`: the stem of actions, parameters and elements.
    var noun: String {
        switch self {
        case .instance: "DBSnapshot"
        case .cluster: "DBClusterSnapshot"
        }
    }

    /// The parameter naming what a snapshot is taken of.
    var sourceParameter: String {
        switch self {
        case .instance: "DBInstanceIdentifier"
        case .cluster: "DBClusterIdentifier"
        }
    }
}

extension RDSClient {
    /// `Create<noun>`: a manual snapshot of `source`.
    func createSnapshot<Snapshot: Sendable>(
        _ family: RDSSnapshotFamily, _ id: String, of source: String, tags: [String: String]?,
        _ decode: (QueryFields) throws -> Snapshot
    ) async throws -> RDSResult<Snapshot> {
        var p = QueryParameters()
        p.add("\(family.noun)Identifier", id)
        p.add(family.sourceParameter, source)
        p.addTags("Tags", tags, member: "Tag")
        return try await snapshotCall(family, "Create\(family.noun)", p, resource: id, decode)
    }

    /// `Describe<noun>s`: one page.
    func describeSnapshots<Snapshot: Sendable>(
        _ family: RDSSnapshotFamily, _ parameters: QueryParameters, resource: String?,
        _ decode: (QueryFields) throws -> Snapshot
    ) async throws -> RDSPage<Snapshot> {
        try await call("Describe\(family.noun)s", parameters, resource: resource) { x in
            RDSPage(items: try x.items("\(family.noun)s", member: family.noun, decode), marker: x.string("Marker"), requestId: nil)
        }
    }

    /// `Modify<noun>Attribute`: shares (`valuesToAdd`) or unshares the snapshot.
    func modifySnapshotAttribute(
        _ family: RDSSnapshotFamily, _ id: String, attributeName: String, valuesToAdd: [String]?, valuesToRemove: [String]?
    ) async throws -> RDSResult<RDSSnapshotAttributes> {
        var p = QueryParameters()
        p.add("\(family.noun)Identifier", id)
        p.add("AttributeName", attributeName)
        p.addList("ValuesToAdd", valuesToAdd, member: "AttributeValue")
        p.addList("ValuesToRemove", valuesToRemove, member: "AttributeValue")
        return try await attributesCall(family, "Modify\(family.noun)Attribute", p, resource: id)
    }

    /// `Describe<noun>Attributes`: who the snapshot is shared with.
    func describeSnapshotAttributes(_ family: RDSSnapshotFamily, _ id: String) async throws -> RDSResult<RDSSnapshotAttributes> {
        var p = QueryParameters()
        p.add("\(family.noun)Identifier", id)
        return try await attributesCall(family, "Describe\(family.noun)Attributes", p, resource: id)
    }

    /// `Delete<noun>` (manual snapshots only, `available` ones).
    func deleteSnapshot<Snapshot: Sendable>(
        _ family: RDSSnapshotFamily, _ id: String, _ decode: (QueryFields) throws -> Snapshot
    ) async throws -> RDSResult<Snapshot> {
        var p = QueryParameters()
        p.add("\(family.noun)Identifier", id)
        return try await snapshotCall(family, "Delete\(family.noun)", p, resource: id, decode)
    }

    /// A call whose answer is one snapshot (`<DBSnapshot>` or `<DBClusterSnapshot>`).
    func snapshotCall<Snapshot: Sendable>(
        _ family: RDSSnapshotFamily, _ action: String, _ parameters: QueryParameters, resource: String,
        _ decode: (QueryFields) throws -> Snapshot
    ) async throws -> RDSResult<Snapshot> {
        try await call(action, parameters, resource: resource) { x in
            RDSResult(value: try decode(x.requiredChild(family.noun)), requestId: nil)
        }
    }

    private func attributesCall(
        _ family: RDSSnapshotFamily, _ action: String, _ parameters: QueryParameters, resource: String
    ) async throws -> RDSResult<RDSSnapshotAttributes> {
        try await call(action, parameters, resource: resource) { x in
            RDSResult(
                value: try RDSSnapshotAttributes(x.requiredChild("\(family.noun)AttributesResult"), cluster: family == .cluster),
                requestId: nil)
        }
    }
}

extension RDSSnapshotFamily {
    /// The parameters of `Describe<noun>s`, in the order botocore sends them.
    func describeParameters(
        snapshotIdentifier: String?, sourceIdentifier: String?, snapshotType: DescribeDBSnapshotsRequest.SnapshotType?,
        includeShared: Bool?, includePublic: Bool?, filters: [RDSFilter], maxRecords: Int?, marker: String?
    ) -> QueryParameters {
        var p = QueryParameters()
        p.add(sourceParameter, sourceIdentifier)
        p.add("\(noun)Identifier", snapshotIdentifier)
        p.add("SnapshotType", snapshotType?.rawValue)
        p.addFilters(filters)
        p.add("MaxRecords", maxRecords)
        p.add("Marker", marker)
        p.add("IncludeShared", includeShared)
        p.add("IncludePublic", includePublic)
        return p
    }
}
