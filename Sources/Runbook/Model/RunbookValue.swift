/// A YAML value from a runbook with the location of every node, so that a step definition that
/// rejects a nested input (`with.from.account`) can still point at its line and column.
public struct RunbookValue: Sendable, Hashable {
    public indirect enum Kind: Sendable, Hashable {
        case null
        /// A scalar as written. YAML's plain scalars are untyped; step definitions ask for the type
        /// they need (`string`, `int`, `bool`, `duration`) and report a located error otherwise.
        case scalar(String)
        case sequence([RunbookValue])
        /// Keys in file order, each with its own location.
        case mapping([(key: String, keyLocation: SourceLocation, value: RunbookValue)])

        public static func == (lhs: Kind, rhs: Kind) -> Bool {
            switch (lhs, rhs) {
            case (.null, .null): return true
            case let (.scalar(a), .scalar(b)): return a == b
            case let (.sequence(a), .sequence(b)): return a == b
            case let (.mapping(a), .mapping(b)):
                return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
            default: return false
            }
        }

        public func hash(into hasher: inout Hasher) {
            switch self {
            case .null: hasher.combine(0)
            case let .scalar(s): hasher.combine(s)
            case let .sequence(a): hasher.combine(a)
            case let .mapping(m):
                for entry in m {
                    hasher.combine(entry.key)
                    hasher.combine(entry.value)
                }
            }
        }
    }

    public var kind: Kind
    public var location: SourceLocation

    public init(_ kind: Kind, at location: SourceLocation) {
        self.kind = kind
        self.location = location
    }

    /// The member named `key` of a mapping, or nil.
    public subscript(key: String) -> RunbookValue? {
        guard case let .mapping(entries) = kind else { return nil }
        return entries.first { $0.key == key }?.value
    }

    public var scalar: String? {
        if case let .scalar(s) = kind { return s }
        return nil
    }
}
