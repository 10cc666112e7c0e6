import Foundation

/// A loaded, validated runbook: what an operator wrote, with every part's location.
/// The loader (`RunbookLoader`) produces it; `RunbookPlanner` turns it into a `RunbookPlan`.
public struct Runbook: Sendable {
    /// `cutover/v1`.
    public var apiVersion: String
    public var name: String
    public var description: String?
    public var region: String
    /// In file order.
    public var accounts: [AccountSpec]
    /// As written: each bound a timestamp or a `${params.NAME}` resolved by the planner.
    public var window: RunbookWindow?
    /// The default policy for explicit approval steps and the implicit gate before every
    /// irreversible primitive. A step may tighten it with its own `approval:`.
    public var approvals: ApprovalPolicy
    public var parameters: [ParameterSpec]
    public var steps: [StepNode]
    /// The CloudWatch alarms the run checks before each step and point of no return; nil: none.
    public var guardSpec: RunGuardSpec?
    /// The file it was loaded from, as given to the loader.
    public var file: String
    /// SHA-256 (hex) of the file's bytes: the plan and the journal record which text ran.
    public var sourceHash: String
    /// The file's text, kept so a run's journal and audit bundle can carry the runbook that ran.
    public var source: String

    public init(
        apiVersion: String, name: String, description: String? = nil, region: String, accounts: [AccountSpec],
        window: RunbookWindow?, approvals: ApprovalPolicy, parameters: [ParameterSpec], steps: [StepNode],
        file: String, sourceHash: String, source: String, guardSpec: RunGuardSpec? = nil
    ) {
        self.guardSpec = guardSpec
        self.apiVersion = apiVersion
        self.name = name
        self.description = description
        self.region = region
        self.accounts = accounts
        self.window = window
        self.approvals = approvals
        self.parameters = parameters
        self.steps = steps
        self.file = file
        self.sourceHash = sourceHash
        self.source = source
    }

    public func account(named name: String) -> AccountSpec? { accounts.first { $0.name == name } }
}

/// One AWS account a runbook acts in, by the name the steps use (`legacy`, `product`).
public struct AccountSpec: Sendable, Hashable, Codable {
    public var name: String
    /// The role the daemon assumes to act in this account; nil means the daemon's own credentials.
    public var role: String?
    public var externalId: String?
    /// The 12-digit account ID: given explicitly (`id:`) or taken from the role ARN.
    public var accountId: String?
    public var location: SourceLocation?

    public init(
        name: String, role: String? = nil, externalId: String? = nil, accountId: String? = nil,
        location: SourceLocation? = nil
    ) {
        self.name = name
        self.role = role
        self.externalId = externalId
        self.accountId = accountId
        self.location = location
    }
}

/// The maintenance window as the runbook writes it. A bound is either a timestamp or a
/// `${params.NAME}` naming a `timestamp` parameter, so one runbook serves every rehearsal and the
/// real night without editing its text; `RunbookPlanner` resolves it into a `WindowSpec`.
public struct RunbookWindow: Sendable, Hashable {
    public enum Bound: Sendable, Hashable {
        case at(Date)
        /// The name of a `timestamp` parameter.
        case parameter(String)
    }

    public var start: Bound
    public var end: Bound
    public var onOverrun: OverrunAction
    public var startLocation: SourceLocation?
    public var endLocation: SourceLocation?

    public init(
        start: Bound, end: Bound, onOverrun: OverrunAction = .pause,
        startLocation: SourceLocation? = nil, endLocation: SourceLocation? = nil
    ) {
        self.start = start
        self.end = end
        self.onOverrun = onOverrun
        self.startLocation = startLocation
        self.endLocation = endLocation
    }

    /// The window when both bounds are written as timestamps (no parameter needed).
    public var fixed: WindowSpec? {
        guard case .at(let start) = start, case .at(let end) = end else { return nil }
        return WindowSpec(start: start, end: end, onOverrun: onOverrun)
    }
}

/// The maintenance window: in-window steps start only inside `[start, end)`.
public struct WindowSpec: Sendable, Hashable, Codable {
    public var start: Date
    public var end: Date
    public var onOverrun: OverrunAction

    public init(start: Date, end: Date, onOverrun: OverrunAction = .pause) {
        self.start = start
        self.end = end
        self.onOverrun = onOverrun
    }
}

/// What a run still in progress does when the window ends. Applied between steps: an AWS call in
/// flight is never interrupted.
public enum OverrunAction: String, Sendable, Hashable, Codable, CaseIterable {
    case pause, rollback
    case `continue`
}

/// Where a step may run relative to the maintenance window.
public enum WindowPlacement: String, Sendable, Hashable, Codable, CaseIterable {
    /// Starts only inside the window (the default for every step when the runbook has a window).
    case inside
    /// May run before, inside or after the window, such as the pre-copy while the service is live.
    case any
}

/// Who must approve, how many, and what happens when nobody does.
public struct ApprovalPolicy: Sendable, Hashable, Codable {
    public var approvers: [Approver]
    public var required: Int
    /// Each approval must come from a different user.
    public var distinct: Bool
    /// Whether the user who started the run may approve its steps.
    public var allowInitiator: Bool
    /// How long a gate waits for approvals before `onTimeout` applies; nil waits forever.
    public var timeout: Duration?
    public var onTimeout: ApprovalTimeoutAction

    public init(
        approvers: [Approver] = [], required: Int = 1, distinct: Bool = true, allowInitiator: Bool = false,
        timeout: Duration? = nil, onTimeout: ApprovalTimeoutAction = .reject
    ) {
        self.approvers = approvers
        self.required = required
        self.distinct = distinct
        self.allowInitiator = allowInitiator
        self.timeout = timeout
        self.onTimeout = onTimeout
    }
}

/// `user:alice` or `group:cutover-approvers` in a runbook.
public enum Approver: Sendable, Hashable, Codable, CustomStringConvertible {
    case user(String)
    case group(String)

    public var description: String {
        switch self {
        case let .user(name): return "user:\(name)"
        case let .group(name): return "group:\(name)"
        }
    }
}

/// What an approval gate does when its timeout passes without enough approvals.
public enum ApprovalTimeoutAction: String, Sendable, Hashable, Codable, CaseIterable {
    /// Treat as rejected: the step fails and its `onFailure` applies.
    case reject
    /// Pause the run for an operator.
    case pause
}

/// A runbook parameter, given at `start` with `--param name=value`.
public struct ParameterSpec: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case string, int, bool, duration
        /// An RFC 3339 instant with its offset, e.g. a maintenance window's start given at `start`.
        case timestamp
    }

    public var name: String
    public var kind: Kind
    /// Rendered as written in the runbook; nil means the parameter is required.
    public var defaultValue: String?
    public var description: String?
    public var location: SourceLocation?

    public init(
        name: String, kind: Kind, defaultValue: String? = nil, description: String? = nil,
        location: SourceLocation? = nil
    ) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.description = description
        self.location = location
    }
}

/// An item of a runbook's `steps:` list.
public enum StepNode: Sendable, Hashable {
    case step(StepSpec)
    /// Branches that run concurrently; each branch is a sequence of nodes. A branch written as a
    /// single step is a sequence of one.
    case parallel([[StepNode]], location: SourceLocation)
}

/// One step as written: `id`, `uses`, `with` and the per-step policies.
public struct StepSpec: Sendable, Hashable {
    public var id: String
    /// The step type, e.g. `s3.move-bucket`, `approval`, `wait`.
    public var uses: String
    public var with: RunbookValue?
    /// Shown to approvers and operators (`approval` steps use it as the instruction).
    public var message: String?
    /// Extra dependencies beyond the list's order: ids of steps that must finish first.
    public var needs: [String]
    public var retry: RetryPolicy?
    /// Per-attempt limit; nil uses the step type's own.
    public var timeout: Duration?
    public var onFailure: FailureAction?
    public var window: WindowPlacement?
    /// Overrides the runbook's approval policy for this step's gates.
    public var approval: ApprovalPolicy?
    public var location: SourceLocation

    public init(
        id: String, uses: String, with: RunbookValue? = nil, message: String? = nil, needs: [String] = [],
        retry: RetryPolicy? = nil, timeout: Duration? = nil, onFailure: FailureAction? = nil,
        window: WindowPlacement? = nil, approval: ApprovalPolicy? = nil, location: SourceLocation
    ) {
        self.id = id
        self.uses = uses
        self.with = with
        self.message = message
        self.needs = needs
        self.retry = retry
        self.timeout = timeout
        self.onFailure = onFailure
        self.window = window
        self.approval = approval
        self.location = location
    }
}

/// How a failed attempt is retried. All times come from the engine's clock; the deadline
/// (`maxElapsed` from the first attempt) is journaled as an absolute time.
public struct RetryPolicy: Sendable, Hashable, Codable {
    public enum Backoff: Sendable, Hashable, Codable {
        /// The next attempt starts `interval` after the previous one failed.
        case fixed(interval: Duration)
        /// `initial × multiplier^(n-1)`, capped at `cap`; with `jitter` a uniformly random delay in
        /// [0, that] (AWS's "full jitter").
        case exponential(initial: Duration, multiplier: Double, cap: Duration, jitter: Bool)
    }

    public var backoff: Backoff
    /// Total attempts including the first; nil is unlimited (bounded by `maxElapsed`).
    public var maxAttempts: Int?
    /// No attempt starts later than this after the first attempt started.
    public var maxElapsed: Duration?
    /// Error codes that are retried. Empty means: the errors the step itself reports as retryable.
    public var retryOn: [String]

    public init(backoff: Backoff, maxAttempts: Int? = nil, maxElapsed: Duration? = nil, retryOn: [String] = []) {
        self.backoff = backoff
        self.maxAttempts = maxAttempts
        self.maxElapsed = maxElapsed
        self.retryOn = retryOn
    }

    /// One attempt, no retries.
    public static let none = RetryPolicy(backoff: .fixed(interval: .zero), maxAttempts: 1)
}

/// What happens when a step has failed and its retries are spent.
public enum FailureAction: String, Sendable, Hashable, Codable, CaseIterable {
    /// Stop the run for an operator: `retry`, `rollback` or `cancel` (the default).
    case pause
    /// Roll back what can be rolled back.
    case rollback
    /// Record the failure and go on (for best-effort steps such as notifications).
    case `continue`
    /// Wait for an operator decision among the step's options (the S3 re-create uses this).
    case decide
}

extension Duration {
    /// Seconds as a `TimeInterval`, for arithmetic with `Date`.
    public var timeInterval: Double {
        let c = components
        return Double(c.seconds) + Double(c.attoseconds) / 1e18
    }
}
