/// An output a step type promises to later steps, which read it with `${steps.ID.outputs.NAME}`
/// in their `with:` values (invariant 9: journaled when produced, resolved by the engine when the
/// reading primitive starts, after a crash too).
///
/// A composite step exposes the outputs of its primitives that matter (`move-db` → `endpoint`
/// from its `verify` primitive); some are known once the plan is (`move-images` → `bucket`).
/// Secret values are never outputs: a step that writes a secret outputs its version ID.
public struct StepOutput: Sendable, Hashable {
    public enum Source: Sendable, Hashable {
        /// The output `key` of the primitive named `primitive` (its template name; nil: the step
        /// is its own single primitive).
        case primitive(String?, key: String)
        /// The step's own `with:` input of that name (after parameter substitution), available
        /// once the step has finished like any other output.
        case input(String)
        /// The runbook's region, once the step has finished.
        case region
    }

    public var name: String
    public var summary: String
    public var source: Source

    public init(_ name: String, from source: Source, summary: String = "") {
        self.name = name
        self.source = source
        self.summary = summary
    }
}

/// A `${steps.ID.outputs.NAME}` in a primitive's inputs, as the planner resolved it: which
/// primitive's journaled output supplies it (or its planned value).
public struct OutputReference: Sendable, Hashable, Codable {
    /// The text replaced at run time, e.g. `${steps.move-db.outputs.endpoint}`.
    public var text: String
    public var step: String
    public var output: String
    /// The primitive whose journaled outputs hold the value.
    public var primitive: String
    /// The key in that primitive's outputs; nil when the value is `planned`.
    public var key: String?
    /// The value fixed by the plan, for `StepOutput.Source.planned`.
    public var planned: String?

    public init(text: String, step: String, output: String, primitive: String, key: String?, planned: String? = nil) {
        self.text = text
        self.step = step
        self.output = output
        self.primitive = primitive
        self.key = key
        self.planned = planned
    }
}

extension StepDefinition {
    /// No outputs unless the type declares them.
    public var outputs: [StepOutput] { [] }

    /// No refused inputs unless the type declares them.
    public var refusedInputs: [String: String] { [:] }
    public func outputs(of step: StepSpec) -> [StepOutput] { outputs }
}
