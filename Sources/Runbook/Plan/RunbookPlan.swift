import Foundation

/// What the daemon executes: the runbook's steps expanded into primitives, in an order that
/// respects every dependency, with each primitive's account, effect, reversibility, gates, window
/// placement and estimated duration. Starting a run records `hash`; the plan never changes while
/// the run lives (a reload of the runbook file does not touch it).
public struct RunbookPlan: Sendable, Hashable, Codable {
    public var runbookName: String
    public var runbookFile: String
    /// SHA-256 of the runbook text the plan came from.
    public var runbookHash: String
    public var region: String
    public var accounts: [AccountSpec]
    public var window: WindowSpec?
    /// Every parameter's resolved value, as text.
    public var parameters: [String: String]
    /// Topologically ordered: a step appears after everything in its `dependsOn`.
    public var steps: [PlannedStep]
    /// Things the planner noticed that an operator must see before starting (e.g. an ID in a
    /// captured policy that no mapping rewrites). They do not block the plan.
    public var warnings: [String]
    /// The run's alarm guard; nil when the runbook has none (so older plans hash the same).
    public var runGuard: RunGuardSpec?
    /// SHA-256 (hex) of the plan's canonical JSON without this field (`RunbookPlan.computeHash`).
    public var hash: String

    public init(
        runbookName: String, runbookFile: String, runbookHash: String, region: String,
        accounts: [AccountSpec], window: WindowSpec?, parameters: [String: String],
        steps: [PlannedStep], warnings: [String] = [], hash: String = ""
    ) {
        self.runbookName = runbookName
        self.runbookFile = runbookFile
        self.runbookHash = runbookHash
        self.region = region
        self.accounts = accounts
        self.window = window
        self.parameters = parameters
        self.steps = steps
        self.warnings = warnings
        self.hash = hash
    }

    public func step(_ id: String) -> PlannedStep? { steps.first { $0.id == id } }
}

extension PlannedStep {
    /// This primitive with every output reference in its inputs and message replaced by the value a finished
    /// step produced (`outputs`: journaled outputs by primitive id), and the references that had
    /// no value (which the engine refuses to run with).
    public func resolvingOutputs(_ outputs: [String: [String: String]]) -> (step: PlannedStep, missing: [OutputReference]) {
        guard let references = outputReferences, !references.isEmpty else { return (self, []) }
        var values: [String: String] = [:]
        var missing: [OutputReference] = []
        for reference in references {
            if let planned = reference.planned {
                values[reference.text] = planned
            } else if let key = reference.key, let value = outputs[reference.primitive]?[key] {
                values[reference.text] = value
            } else {
                missing.append(reference)
            }
        }
        var resolved = self
        resolved.inputs = Self.replacing(inputs, values)
        if let message { resolved.message = Self.replacing(.string(message), values).stringValue }
        return (resolved, missing)
    }

    private static func replacing(_ value: JSONValue, _ values: [String: String]) -> JSONValue {
        switch value {
        case .string(var text):
            for (reference, replacement) in values where text.contains(reference) {
                text = text.replacingOccurrences(of: reference, with: replacement)
            }
            return .string(text)
        case .array(let items): return .array(items.map { replacing($0, values) })
        case .object(let entries): return .object(entries.map { ($0.0, replacing($0.1, values)) })
        default: return value
        }
    }
}

/// One primitive: the unit the engine journals, runs, checks, undoes and gates.
public struct PlannedStep: Sendable, Hashable, Codable {
    /// Unique in the plan. A primitive of a composite is `<runbook step id>.<name>`
    /// (`move-images.delete-source`); a primitive step keeps its runbook id.
    public var id: String
    /// The runbook step it came from.
    public var origin: String
    /// The primitive type the engine looks up in its step registry (`s3.delete-bucket`, `approval`, `wait`).
    public var type: String
    /// One line for people: what this primitive does (`describe`).
    public var title: String
    /// The runbook account it acts in; nil for engine-only steps (approval, wait).
    public var account: String?
    public var effect: StepEffect
    public var reversibility: Reversibility
    public var dependsOn: [String]
    public var window: WindowPlacement
    /// Used to project remaining work against the window.
    public var estimatedDuration: Duration
    /// The gate in front of this primitive: set for `approval` steps and, always, for every
    /// irreversible primitive.
    public var approval: ApprovalPolicy?
    public var retry: RetryPolicy
    public var timeout: Duration?
    public var onFailure: FailureAction
    /// Options an operator may choose when the step waits for a decision (`decide`), e.g.
    /// `retry`, `slow-retry`, `rollback`. Always includes `retry` and `rollback`.
    public var decisionOptions: [DecisionOption]
    /// Decision options that retry under a policy of their own, e.g. `slow-retry` → every 5 min
    /// for 6 h when the same-name re-create loop has run out. Other options retry with `retry`.
    public var decisionRetries: [DecisionOption: RetryPolicy]
    /// The primitive's inputs.
    public var inputs: JSONValue
    /// Instruction shown to approvers (approval steps) and operators.
    public var message: String?
    /// The latest irreversible primitive that must have completed before this one can start:
    /// a rollback from here can restore nothing before it. Nil when none precedes it.
    public var rollbackBarrier: String?
    public var location: SourceLocation?
    /// The retry policy of rollback's compensation when it differs from `retry` (the same-name
    /// re-create loop of a bucket deleted by this run); nil: `retry`.
    public var undoRetry: RetryPolicy?
    /// A gate in front of this primitive's undo, for undos that destroy something (a restored
    /// database, the last other copy of a bucket's data).
    public var undoApproval: UndoApproval?
    /// The `${steps.ID.outputs.NAME}` in `inputs`, resolved by the engine from journaled outputs
    /// when this primitive starts; nil when it reads none (so older plans hash the same).
    public var outputReferences: [OutputReference]?
    /// The gate (`approval`) is asked only when this holds; nil: always (so older plans hash the
    /// same). Never set on a point of no return.
    public var approvalCondition: ApprovalCondition?

    public init(
        id: String, origin: String, type: String, title: String, account: String?, effect: StepEffect,
        reversibility: Reversibility, dependsOn: [String], window: WindowPlacement,
        estimatedDuration: Duration, approval: ApprovalPolicy?, retry: RetryPolicy = .none,
        timeout: Duration? = nil, onFailure: FailureAction = .pause,
        decisionOptions: [DecisionOption] = DecisionOption.always, decisionRetries: [DecisionOption: RetryPolicy] = [:],
        inputs: JSONValue = .object([]),
        message: String? = nil, rollbackBarrier: String? = nil, location: SourceLocation? = nil
    ) {
        self.id = id
        self.origin = origin
        self.type = type
        self.title = title
        self.account = account
        self.effect = effect
        self.reversibility = reversibility
        self.dependsOn = dependsOn
        self.window = window
        self.estimatedDuration = estimatedDuration
        self.approval = approval
        self.retry = retry
        self.timeout = timeout
        self.onFailure = onFailure
        self.decisionOptions = decisionOptions
        self.decisionRetries = decisionRetries
        self.inputs = inputs
        self.message = message
        self.rollbackBarrier = rollbackBarrier
        self.location = location
    }
}

/// Whether a primitive changes anything.
public enum StepEffect: String, Sendable, Hashable, Codable {
    case readOnly = "read-only"
    case mutating
}

/// Whether rollback can undo a primitive. Irreversible primitives are always gated by an approval
/// and are barriers for rollback.
public enum Reversibility: String, Sendable, Hashable, Codable {
    case reversible
    case irreversible
    /// A point of no return (gated like `irreversible`) that rollback can still compensate for,
    /// at a cost the plan states: e.g. a deleted bucket re-created under its name in its old
    /// account once S3 releases it, and its data copied back. Not a rollback barrier; the undo may
    /// take hours and is polled.
    case compensated
    /// Nothing to undo (read-only steps, approvals, waits).
    case nothingToUndo = "nothing-to-undo"

    /// Crossing it cannot simply be undone: the engine gates it with an approval.
    public var isPointOfNoReturn: Bool { self == .irreversible || self == .compensated }

    /// Rollback undoes it (at once, or by a compensation).
    public var isUndoable: Bool { self == .reversible || self == .compensated }
}

/// The approval an undo waits for before it runs (`PlannedStep.undoApproval`).
public struct UndoApproval: Sendable, Hashable, Codable {
    public var policy: ApprovalPolicy
    /// What approvers are asked, e.g. "delete instance admin-db in product without a final snapshot".
    public var message: String
    /// Only when this primitive of the same plan was attempted (the staging bucket is the last
    /// copy only once the source was emptied); nil: always.
    public var onlyAfter: String?
    /// Only when this holds, e.g. a key's deletion only if this primitive's run created the key;
    /// nil: always.
    public var onlyIf: ApprovalCondition?

    public init(policy: ApprovalPolicy = ApprovalPolicy(), message: String, onlyAfter: String? = nil, onlyIf: ApprovalCondition? = nil) {
        self.policy = policy
        self.message = message
        self.onlyAfter = onlyAfter
        self.onlyIf = onlyIf
    }
}
