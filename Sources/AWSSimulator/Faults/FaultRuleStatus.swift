/// A rule as the injector holds it, with how often it matched and how often it fired.
public struct FaultRuleStatus: Sendable, Equatable, Codable {
    public var rule: FaultRule
    /// Requests the rule applied to (service, operation and resource matched).
    public var matched: Int
    /// Requests it actually affected.
    public var injected: Int

    public init(rule: FaultRule, matched: Int, injected: Int) {
        self.rule = rule
        self.matched = matched
        self.injected = injected
    }
}
