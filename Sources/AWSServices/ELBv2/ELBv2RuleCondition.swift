/// A listener rule's condition, for the fields a maintenance page matches on. Each field's values
/// travel in its own config structure (`PathPatternConfig.Values`, …), as AWS documents them;
/// the legacy flat `Values` list is read back too, because older rules (and moto) carry it.
public struct ELBv2RuleCondition: Sendable, Hashable {
    public enum Field: String, Sendable, Hashable, CaseIterable {
        case pathPattern = "path-pattern"
        case hostHeader = "host-header"
        case sourceIp = "source-ip"

        /// The element holding this field's values (`PathPatternConfig`).
        var configName: String {
            switch self {
            case .pathPattern: return "PathPatternConfig"
            case .hostHeader: return "HostHeaderConfig"
            case .sourceIp: return "SourceIpConfig"
            }
        }
    }

    /// The field's wire name; conditions on fields this type does not model keep their name.
    public var field: String
    public var values: [String]

    public init(_ field: Field, _ values: [String]) {
        self.field = field.rawValue
        self.values = values
    }

    public init(field: String, values: [String]) {
        self.field = field
        self.values = values
    }
}

extension ELBv2RuleCondition {
    /// Decodes one `<member>` of `<Conditions>`.
    init(_ x: QueryFields) throws {
        let field = try x.required("Field")
        var values: [String] = []
        if let known = Field(rawValue: field), let config = x.nested(known.configName) {
            values = config.strings("Values", member: "member")
        }
        if values.isEmpty { values = x.strings("Values", member: "member") }
        self.init(field: field, values: values)
    }
}

extension QueryParameters {
    /// `Conditions.member.N.Field` and `Conditions.member.N.<Config>.Values.member.M`.
    mutating func addConditions(_ conditions: [ELBv2RuleCondition]) {
        for (i, condition) in conditions.enumerated() {
            let prefix = "Conditions.member.\(i + 1)"
            add("\(prefix).Field", condition.field)
            if let known = ELBv2RuleCondition.Field(rawValue: condition.field) {
                addList("\(prefix).\(known.configName).Values", condition.values)
            } else {
                addList("\(prefix).Values", condition.values)
            }
        }
    }
}
