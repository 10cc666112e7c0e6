/// A listener rule as CreateRule and DescribeRules report it.
public struct ELBv2Rule: Sendable, Hashable {
    public var arn: String
    /// `1`…`50000`, or `default` for the listener's default rule (which has no number).
    public var priority: String
    public var isDefault: Bool
    public var conditions: [ELBv2RuleCondition]
    public var actions: [ELBv2RuleAction]

    public init(arn: String, priority: String, isDefault: Bool, conditions: [ELBv2RuleCondition], actions: [ELBv2RuleAction]) {
        self.arn = arn
        self.priority = priority
        self.isDefault = isDefault
        self.conditions = conditions
        self.actions = actions
    }

    /// The rule's number, nil for the default rule.
    public var priorityNumber: Int? { isDefault ? nil : Int(priority) }
}

extension ELBv2Rule {
    init(_ x: QueryFields) throws {
        self.init(
            arn: try x.required("RuleArn"), priority: try x.required("Priority"), isDefault: try x.bool("IsDefault") ?? false,
            conditions: try x.items("Conditions", member: "member", ELBv2RuleCondition.init),
            actions: try x.items("Actions", member: "member", ELBv2RuleAction.init))
    }
}

/// `CreateRule`: a rule on a listener at a priority, with its tags (AWS applies them with the rule,
/// so a rule this run created can always be found again by them).
public struct CreateRuleRequest: Sendable, Hashable {
    public var listenerArn: String
    public var priority: Int
    public var conditions: [ELBv2RuleCondition]
    public var actions: [ELBv2RuleAction]
    /// Sorted by key on the wire.
    public var tags: [String: String]

    public init(
        listenerArn: String, priority: Int, conditions: [ELBv2RuleCondition], actions: [ELBv2RuleAction], tags: [String: String] = [:]
    ) {
        self.listenerArn = listenerArn
        self.priority = priority
        self.conditions = conditions
        self.actions = actions
        self.tags = tags
    }

    var parameters: QueryParameters {
        var p = QueryParameters()
        p.add("ListenerArn", listenerArn)
        p.addConditions(conditions)
        p.add("Priority", priority)
        p.addActions(actions)
        if !tags.isEmpty { p.addTags("Tags", tags, member: "member") }
        return p
    }
}
