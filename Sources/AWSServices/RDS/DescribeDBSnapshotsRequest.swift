/// `DescribeDBSnapshots`. In the target account a snapshot shared by another account is invisible
/// unless `snapshotType` is `.shared` or `includeShared` is set, and it must be named by ARN.
public struct DescribeDBSnapshotsRequest: Sendable, Equatable {
    /// Which kinds of snapshot to list.
    public enum SnapshotType: String, Sendable {
        case automated, manual, shared, `public`, awsBackup = "awsbackup"
    }

    /// The snapshot identifier, or its ARN (required for a snapshot shared by another account).
    public var snapshotIdentifier: String?
    public var instanceIdentifier: String?
    public var snapshotType: SnapshotType?
    public var includeShared: Bool?
    public var includePublic: Bool?
    public var filters: [RDSFilter]
    public var maxRecords: Int?
    public var marker: String?

    public init(
        snapshotIdentifier: String? = nil, instanceIdentifier: String? = nil, snapshotType: SnapshotType? = nil,
        includeShared: Bool? = nil, includePublic: Bool? = nil, filters: [RDSFilter] = [], maxRecords: Int? = nil,
        marker: String? = nil
    ) {
        self.snapshotIdentifier = snapshotIdentifier
        self.instanceIdentifier = instanceIdentifier
        self.snapshotType = snapshotType
        self.includeShared = includeShared
        self.includePublic = includePublic
        self.filters = filters
        self.maxRecords = maxRecords
        self.marker = marker
    }

    var parameters: QueryParameters {
        RDSSnapshotFamily.instance.describeParameters(
            snapshotIdentifier: snapshotIdentifier, sourceIdentifier: instanceIdentifier, snapshotType: snapshotType,
            includeShared: includeShared, includePublic: includePublic, filters: filters, maxRecords: maxRecords, marker: marker)
    }
}
