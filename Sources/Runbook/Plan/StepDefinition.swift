/// What the planner knows about a step type: how to check its `with:` inputs and how to expand it
/// into primitives. Pure: no I/O, no AWS. The engine's executors (which do the I/O) are registered
/// separately by primitive type.
public protocol StepDefinition: Sendable {
    /// The name used in `uses:`.
    var type: String { get }
    /// One line for `cutoverctl` help and the JSON Schema.
    var summary: String { get }
    /// The `with:` keys this type accepts, for "unknown key" hints and the JSON Schema.
    var inputs: [StepInput] { get }
    /// What later steps may read with `${steps.ID.outputs.NAME}` (none by default).
    var outputs: [StepOutput] { get }
    /// Keys a reader might expect but this type refuses, with why and what to do instead (an
    /// `optionGroup` on an Aurora move); the "unknown key" check reports the reason. None by default.
    var refusedInputs: [String: String] { get }
    /// The outputs of one step of this type, for types whose outputs the runbook names
    /// (`aws.call`'s `outputs:`); by default `outputs`.
    func outputs(of step: StepSpec) -> [StepOutput]
    /// Validates the step and returns its primitives in execution order (each depends on the one
    /// before it). Problems are thrown as located diagnostics, all at once.
    func expand(_ step: StepSpec, in context: ExpansionContext) throws(RunbookDiagnostics) -> [PrimitiveTemplate]
}

/// A `with:` key a step type accepts.
public struct StepInput: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case string, int, bool, duration, account, list, mapping
    }

    public var name: String
    public var kind: Kind
    public var required: Bool
    public var summary: String

    public init(_ name: String, _ kind: Kind, required: Bool = false, summary: String = "") {
        self.name = name
        self.kind = kind
        self.required = required
        self.summary = summary
    }
}

/// What a step definition sees while expanding: the runbook (accounts, defaults) and the resolved
/// parameter values (`${params.NAME}` has already been substituted in `with:` scalars).
public struct ExpansionContext: Sendable {
    public var runbook: Runbook
    public var parameters: [String: String]
    /// The primitive ids each runbook step expands into, in order, so that a step can name another
    /// step's primitive in its inputs (a `wait` counted from the end of `move-images`). The planner
    /// fills it on its second expansion pass; it is empty while loading and on the first pass.
    public var primitiveIDs: [String: [String]]

    public init(runbook: Runbook, parameters: [String: String], primitiveIDs: [String: [String]] = [:]) {
        self.runbook = runbook
        self.parameters = parameters
        self.primitiveIDs = primitiveIDs
    }

    /// The id of the last primitive of runbook step `stepID`, once the planner knows it.
    public func lastPrimitive(of stepID: String) -> String? { primitiveIDs[stepID]?.last }
}

/// One primitive a step definition produces; the planner turns it into a `PlannedStep`, filling in
/// the id, dependencies, gates, window and defaults from the runbook step.
public struct PrimitiveTemplate: Sendable, Hashable {
    /// Suffix of the primitive's id (`delete-source` → `move-images.delete-source`); nil for a
    /// step that is its own single primitive (the id stays the runbook step's id).
    public var name: String?
    public var type: String
    public var title: String
    public var account: String?
    public var effect: StepEffect
    public var reversibility: Reversibility
    public var estimatedDuration: Duration
    public var inputs: JSONValue
    /// The primitive's own retry policy (the re-create loop); the runbook step's `retry:` wins.
    public var retry: RetryPolicy?
    public var onFailure: FailureAction?
    public var decisionOptions: [DecisionOption]?
    /// Options that retry under their own policy (see `PlannedStep.decisionRetries`).
    public var decisionRetries: [DecisionOption: RetryPolicy]
    /// An explicit approval gate (for `approval` steps). Irreversible primitives are gated anyway.
    public var requiresApproval: Bool
    /// Overrides the runbook step's placement, e.g. a pre-copy primitive that may run any time.
    public var window: WindowPlacement?
    /// Runbook step ids that must finish before this primitive starts, beyond the runbook's order
    /// (a `wait` with `after:`). The planner adds an edge to each one's last primitive.
    public var needs: [String] = []
    /// Rollback's retry policy when it differs from `retry` (`PlannedStep.undoRetry`).
    public var undoRetry: RetryPolicy?
    /// A gate in front of the undo (`PlannedStep.undoApproval`); the planner fills in the
    /// runbook's approvers when the policy names none.
    public var undoApproval: UndoApproval?
    /// What the approvers of this primitive's gate read instead of the title, with values an
    /// earlier sibling primitive journaled filled in when the gate opens (the point of no return of
    /// a move that leaves history behind says how much).
    public var approvalMessage: ApprovalMessage?
    /// The gate (`requiresApproval`) is asked only if a sibling primitive (by template name)
    /// journaled an output with a given value (`PlannedStep.approvalCondition`).
    public var approvalCondition: ApprovalCondition?

    /// A gate message with placeholders for a sibling primitive's outputs.
    public struct ApprovalMessage: Sendable, Hashable {
        public struct Value: Sendable, Hashable {
            /// The text replaced, e.g. `{noncurrentVersions}`.
            public var placeholder: String
            /// The sibling primitive's template name, and its output key.
            public var primitive: String
            public var key: String

            public init(placeholder: String, primitive: String, key: String) {
                self.placeholder = placeholder
                self.primitive = primitive
                self.key = key
            }
        }

        public var text: String
        public var values: [Value]

        public init(text: String, values: [Value]) {
            self.text = text
            self.values = values
        }
    }

    public init(
        name: String? = nil, type: String, title: String, account: String? = nil,
        effect: StepEffect, reversibility: Reversibility, estimatedDuration: Duration = .seconds(1),
        inputs: JSONValue = .object([]), retry: RetryPolicy? = nil, onFailure: FailureAction? = nil,
        decisionOptions: [DecisionOption]? = nil, decisionRetries: [DecisionOption: RetryPolicy] = [:], requiresApproval: Bool = false,
        window: WindowPlacement? = nil
    ) {
        self.name = name
        self.type = type
        self.title = title
        self.account = account
        self.effect = effect
        self.reversibility = reversibility
        self.estimatedDuration = estimatedDuration
        self.inputs = inputs
        self.retry = retry
        self.onFailure = onFailure
        self.decisionOptions = decisionOptions
        self.decisionRetries = decisionRetries
        self.requiresApproval = requiresApproval
        self.window = window
    }
}
