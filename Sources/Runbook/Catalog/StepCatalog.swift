/// The step types a runbook may use, by `uses:` name. The engine's own types (`approval`, `wait`)
/// are in `builtin`; the AWS steps add theirs with `adding(_:)`.
public struct StepCatalog: Sendable {
    private var byType: [String: any StepDefinition]

    /// Later definitions replace earlier ones of the same type.
    public init(_ definitions: [any StepDefinition]) {
        byType = [:]
        for definition in definitions { byType[definition.type] = definition }
    }

    /// The engine's own step types: `approval` and `wait`.
    public static let builtin = StepCatalog([ApprovalStep(), WaitStep()])

    /// Every known type, sorted.
    public var types: [String] { byType.keys.sorted() }

    /// Every definition, sorted by type.
    public var definitions: [any StepDefinition] { types.compactMap { byType[$0] } }

    public func definition(for type: String) -> (any StepDefinition)? { byType[type] }

    /// The known type closest to a misspelt one (`s3.move-buckt` → `s3.move-bucket`), or nil when
    /// nothing is close enough to be what the operator meant.
    public func nearest(to unknown: String) -> String? { Hints.nearest(to: unknown, in: types) }

    /// This catalog with `definition` added (replacing a definition of the same type).
    public func adding(_ definition: any StepDefinition) -> StepCatalog { adding([definition]) }

    /// This catalog with `definitions` added (replacing definitions of the same types).
    public func adding(_ definitions: [any StepDefinition]) -> StepCatalog {
        var copy = self
        for definition in definitions { copy.byType[definition.type] = definition }
        return copy
    }
}
