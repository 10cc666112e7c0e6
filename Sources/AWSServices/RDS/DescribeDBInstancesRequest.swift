/// `DescribeDBInstances`: one instance by identifier, or all of them (optionally filtered), a page
/// at a time.
public struct DescribeDBInstancesRequest: Sendable, Equatable {
    /// The instance identifier or ARN; an unknown one fails with `DBInstanceNotFound`.
    public var instanceIdentifier: String?
    public var filters: [RDSFilter]
    /// 20–100; AWS's default is 100.
    public var maxRecords: Int?
    public var marker: String?

    public init(instanceIdentifier: String? = nil, filters: [RDSFilter] = [], maxRecords: Int? = nil, marker: String? = nil) {
        self.instanceIdentifier = instanceIdentifier
        self.filters = filters
        self.maxRecords = maxRecords
        self.marker = marker
    }

    var parameters: QueryParameters {
        var p = QueryParameters()
        p.add("DBInstanceIdentifier", instanceIdentifier)
        p.addFilters(filters)
        p.add("MaxRecords", maxRecords)
        p.add("Marker", marker)
        return p
    }
}
