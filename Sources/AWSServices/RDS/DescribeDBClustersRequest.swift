/// `DescribeDBClusters`: one Aurora cluster by identifier, or all of them, a page at a time.
public struct DescribeDBClustersRequest: Sendable, Equatable {
    /// The cluster identifier or ARN; an unknown one fails with `DBClusterNotFoundFault`.
    public var clusterIdentifier: String?
    public var filters: [RDSFilter]
    public var maxRecords: Int?
    public var marker: String?

    public init(clusterIdentifier: String? = nil, filters: [RDSFilter] = [], maxRecords: Int? = nil, marker: String? = nil) {
        self.clusterIdentifier = clusterIdentifier
        self.filters = filters
        self.maxRecords = maxRecords
        self.marker = marker
    }

    var parameters: QueryParameters {
        var p = QueryParameters()
        p.add("DBClusterIdentifier", clusterIdentifier)
        p.addFilters(filters)
        p.add("MaxRecords", maxRecords)
        p.add("Marker", marker)
        return p
    }
}
