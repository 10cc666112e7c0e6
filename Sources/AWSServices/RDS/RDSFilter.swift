/// A `Describe…` filter (`db-instance-id`, `db-cluster-id`, `engine`, …), sent as
/// `Filters.Filter.N.Name` / `Filters.Filter.N.Values.Value.M`.
public struct RDSFilter: Sendable, Equatable {
    public var name: String
    public var values: [String]

    public init(name: String, values: [String]) {
        self.name = name
        self.values = values
    }
}

extension QueryParameters {
    mutating func addFilters(_ filters: [RDSFilter]) {
        for (i, filter) in filters.enumerated() {
            add("Filters.Filter.\(i + 1).Name", filter.name)
            addList("Filters.Filter.\(i + 1).Values", filter.values, member: "Value")
        }
    }
}
