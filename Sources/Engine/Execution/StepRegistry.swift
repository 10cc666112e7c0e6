/// The executors the engine can run, by primitive type (`s3.delete-bucket`). The built-in
/// `approval` and `wait` types are handled by the engine itself and need no executor.
public struct StepRegistry: Sendable {
    private var steps: [String: any Step]
    /// Reads the alarms of a runbook's `guard:`; nil: a run with a guard pauses (fails closed).
    public var runGuard: (any RunGuard)?

    public init(_ steps: [String: any Step] = [:]) { self.steps = steps }

    public func step(for type: String) -> (any Step)? { steps[type] }

    public mutating func register(_ type: String, _ step: any Step) { steps[type] = step }

    public func registering(_ type: String, _ step: any Step) -> StepRegistry {
        var copy = self
        copy.register(type, step)
        return copy
    }

    /// Types the engine executes natively.
    public static let engineTypes: Set<String> = ["approval", "wait"]

    /// Primitive types in `plan` that nothing can execute: a run must not start with any.
    public func missingTypes(in types: [String]) -> [String] {
        Array(Set(types.filter { !Self.engineTypes.contains($0) && steps[$0] == nil })).sorted()
    }
}
