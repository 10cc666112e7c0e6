/// When a gate is asked at all: only if an earlier primitive of the same plan journaled `output`
/// with the value `equals` (e.g. a KMS key's deletion is approved only if the run created the
/// key). The decision is made from the journal when the gate would open, so it is the same after
/// a restart; when the condition is false the engine journals `approval.skipped` (the audit shows
/// why nobody was asked). A condition never lifts the gate of a point of no return (invariant 4),
/// and an unknown value (the primitive did not succeed) asks — the safe side.
public struct ApprovalCondition: Sendable, Hashable, Codable {
    /// The primitive whose output decides: a full primitive id in a plan; a sibling's template
    /// name in a `PrimitiveTemplate` (the planner resolves it).
    public var primitive: String
    public var output: String
    public var equals: String

    public init(primitive: String, output: String, equals: String) {
        self.primitive = primitive
        self.output = output
        self.equals = equals
    }

    /// "asked only if rds.share-key output `status` is `created`", for plans and audits.
    public var description: String { "asked only if \(primitive) output `\(output)` is `\(equals)`" }

    /// Whether the gate is asked, given the journaled outputs of the steps that succeeded (by
    /// primitive id): false only when the primitive succeeded with another value.
    public func holds(outputs: [String: String]?) -> Bool {
        guard let outputs else { return true }
        return outputs[output] == equals
    }
}
