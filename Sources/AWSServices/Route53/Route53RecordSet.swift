/// A Route 53 record set with simple routing: a name and type with a TTL and values, or an alias
/// (another AWS resource's hosted zone ID and DNS name). Record sets with a routing policy
/// (`SetIdentifier`: weighted, latency, failover…) are read as such so callers can refuse them.
public struct Route53RecordSet: Sendable, Hashable, Codable {
    public var name: String
    public var type: String
    public var ttl: Int?
    public var values: [String]
    public var alias: Route53AliasTarget?
    /// Set for record sets with a routing policy, which `route53.change-record` does not manage.
    public var setIdentifier: String?

    public init(
        name: String, type: String, ttl: Int? = nil, values: [String] = [], alias: Route53AliasTarget? = nil, setIdentifier: String? = nil
    ) {
        self.name = name
        self.type = type
        self.ttl = ttl
        self.values = values
        self.alias = alias
        self.setIdentifier = setIdentifier
    }

    /// A DNS name as Route 53 compares it: lower-case, with the trailing dot. (Route 53 returns
    /// names with the dot and escapes some characters as `\052`; simple names are enough here.)
    public static func canonicalName(_ name: String) -> String {
        let lower = name.lowercased()
        return lower.hasSuffix(".") ? lower : lower + "."
    }

    /// Whether this record set answers what `other` answers: same name, type, TTL, values (in any
    /// order) and alias target.
    public func matches(_ other: Route53RecordSet) -> Bool {
        Self.canonicalName(name) == Self.canonicalName(other.name) && type.uppercased() == other.type.uppercased()
            && setIdentifier == other.setIdentifier
            && (alias == nil ? ttl == other.ttl && values.sorted() == other.values.sorted() : true)
            && alias?.canonical == other.alias?.canonical
    }
}
