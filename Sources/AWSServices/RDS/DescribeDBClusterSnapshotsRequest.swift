/// `DescribeDBClusterSnapshots`; as for instances, a snapshot shared by another account needs
/// `snapshotType: .shared` or `includeShared`, and its ARN.
public struct DescribeDBClusterSnapshotsRequest: Sendable, Equatable {
    public var snapshotIdentifier: String?
    public var clusterIdentifier: String?
    public var snapshotType: DescribeDBSnapshotsRequest.SnapshotType?
    public var includeShared: Bool?
    public var includePublic: Bool?
    public var filters: [RDSFilter]
    public var maxRecords: Int?
    public var marker: String?

    public init(
        snapshotIdentifier: String? = nil, clusterIdentifier: String? = nil,
        snapshotType: DescribeDBSnapshotsRequest.SnapshotType? = nil, includeShared: Bool? = nil,
        includePublic: Bool? = nil, filters: [RDSFilter] = [], maxRecords: Int? = nil, marker: String? = nil
    ) {
        self.snapshotIdentifier = snapshotIdentifier
        self.clusterIdentifier = clusterIdentifier
        self.snapshotType = snapshotType
        self.includeShared = includeShared
        self.includePublic = includePublic
        self.filters = filters
        self.maxRecords = maxRecords
        self.marker = marker
    }

    var parameters: QueryParameters {
        RDSSnapshotFamily.cluster.describeParameters(
            snapshotIdentifier: snapshotIdentifier, sourceIdentifier: clusterIdentifier, snapshotType: snapshotType,
            includeShared: includeShared, includePublic: includePublic, filters: filters, maxRecords: maxRecords, marker: marker)
    }
}
