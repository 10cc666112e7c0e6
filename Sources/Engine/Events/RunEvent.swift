import Foundation
import Runbook

/// Everything the engine journals about a run. A run's state is the fold of these events
/// (`RunState.apply`); each is committed before it takes effect. The journal stores the `kind`
/// and the payload's JSON; `RunEvent(kind:payload:)` reads them back.
public enum RunEvent: Sendable, Equatable {
    /// The first record of a run: the plan that will execute, the runbook text, who started it.
    case runCreated(RunCreated)
    case runStatusChanged(RunStatusChanged)
    /// Intent, committed before the step's effect (invariant 1).
    case attemptStarted(AttemptStarted)
    case attemptSucceeded(AttemptSucceeded)
    case attemptFailed(AttemptFailed)
    /// A polled condition is not met yet; the next poll is due at `nextPollAt`.
    case pollPending(PollPending)
    /// After a crash: what `check` found for an attempt that started and never finished.
    case attemptReconciled(AttemptReconciled)
    case awsCall(AWSCallJournaled)
    /// An absolute due time (forced wait, approval timeout) — a restart does not reset it.
    case timerSet(TimerSet)
    case approvalRequested(ApprovalRequested)
    case approvalDecided(ApprovalDecided)
    /// A conditional gate was not asked: its condition was false (`ApprovalCondition`).
    case approvalSkipped(ApprovalSkipped)
    case decisionRequested(DecisionRequested)
    case decisionMade(DecisionMade)
    case operatorAction(OperatorActionTaken)
    /// The window closed with work left; `action` is what the runbook's `onOverrun` did.
    case windowOverrun(WindowOverrun)
    /// The run's alarm guard was read before steps started (which alarms, their states).
    case guardChecked(GuardChecked)

    public var kind: String {
        switch self {
        case .runCreated: return "run.created"
        case .runStatusChanged: return "run.status"
        case .attemptStarted: return "attempt.started"
        case .attemptSucceeded: return "attempt.succeeded"
        case .attemptFailed: return "attempt.failed"
        case .pollPending: return "attempt.poll-pending"
        case .attemptReconciled: return "attempt.reconciled"
        case .awsCall: return "aws.call"
        case .timerSet: return "timer.set"
        case .approvalRequested: return "approval.requested"
        case .approvalDecided: return "approval.decided"
        case .approvalSkipped: return "approval.skipped"
        case .decisionRequested: return "decision.requested"
        case .decisionMade: return "decision.made"
        case .operatorAction: return "operator.action"
        case .windowOverrun: return "window.overrun"
        case .guardChecked: return "guard.checked"
        }
    }

    /// The step an event concerns, if any.
    public var stepId: String? {
        switch self {
        case .runCreated, .runStatusChanged, .operatorAction, .windowOverrun, .guardChecked: return nil
        case let .attemptStarted(e): return e.step
        case let .attemptSucceeded(e): return e.step
        case let .attemptFailed(e): return e.step
        case let .pollPending(e): return e.step
        case let .attemptReconciled(e): return e.step
        case let .awsCall(e): return e.step
        case let .timerSet(e): return e.step
        case let .approvalRequested(e): return e.step
        case let .approvalDecided(e): return e.step
        case let .approvalSkipped(e): return e.step
        case let .decisionRequested(e): return e.step
        case let .decisionMade(e): return e.step
        }
    }
}

public struct RunCreated: Sendable, Equatable, Codable {
    public var runId: String
    public var plan: RunbookPlan
    public var planHash: String
    public var runbookSource: String
    public var parameters: [String: String]
    public var initiator: OperatorIdentity
    public var seed: UInt64
}

/// Run-level status as journaled. Terminal: completed, rolledBack, cancelled.
public enum RunStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case running
    case paused
    case rollingBack = "rolling-back"
    case completed
    case rolledBack = "rolled-back"
    case cancelled

    public var isTerminal: Bool { self == .completed || self == .rolledBack || self == .cancelled }
}

public struct RunStatusChanged: Sendable, Equatable, Codable {
    public var status: RunStatus
    public var reason: String
    public var by: OperatorIdentity
}

public struct AttemptStarted: Sendable, Equatable, Codable {
    public var step: String
    public var attempt: Int
    public var phase: AttemptPhase
    public var decision: DecisionOption?
}

public struct AttemptSucceeded: Sendable, Equatable, Codable {
    public var step: String
    public var attempt: Int
    public var phase: AttemptPhase
    public var outputs: [String: String]
}

public struct AttemptFailed: Sendable, Equatable, Codable {
    public var step: String
    public var attempt: Int
    public var phase: AttemptPhase
    public var error: StepError
    /// When the next attempt is due; nil when the retries are spent (then `onFailure` applies).
    public var nextAttemptAt: Date?
    /// Why no further attempt, when `nextAttemptAt` is nil.
    public var exhausted: String?
}

public struct PollPending: Sendable, Equatable, Codable {
    public var step: String
    public var attempt: Int
    public var progress: String
    public var nextPollAt: Date
    /// `undo` for a compensation that is not finished yet; nil (older records) is forward.
    public var phase: AttemptPhase?
}

public struct AttemptReconciled: Sendable, Equatable, Codable {
    public enum Finding: String, Sendable, Equatable, Codable {
        /// The effect happened: the attempt counts as succeeded.
        case done
        /// The effect did not happen: the attempt is void and the step runs again.
        case notDone = "not-done"
        /// `check` could not tell: an operator decides.
        case unknown
    }

    public var step: String
    public var attempt: Int
    public var phase: AttemptPhase
    public var finding: Finding
    public var outputs: [String: String]
    public var detail: String?
}

public struct AWSCallJournaled: Sendable, Equatable, Codable {
    public var step: String
    public var attempt: Int
    public var call: AWSCallRecord
}

public struct TimerSet: Sendable, Equatable, Codable {
    public enum Purpose: String, Sendable, Equatable, Codable {
        /// A `wait` step's due time (the forced wait after the bucket delete).
        case wait
        /// The end of an approval gate's patience.
        case approvalTimeout = "approval-timeout"
    }

    public var step: String
    public var purpose: Purpose
    public var due: Date
}

public struct ApprovalRequested: Sendable, Equatable, Codable {
    public var step: String
    public var policy: ApprovalPolicy
    public var message: String?
    /// When `policy.onTimeout` applies, journaled as an absolute time.
    public var deadline: Date?
    /// `undo` for the gate in front of a rollback's undo (`PlannedStep.undoApproval`); nil is forward.
    public var phase: AttemptPhase?
}

public struct ApprovalDecided: Sendable, Equatable, Codable {
    public enum Verdict: String, Sendable, Equatable, Codable {
        case approved, rejected
        /// Nobody approved in time; `policy.onTimeout` applied.
        case timedOut = "timed-out"
    }

    public var step: String
    public var verdict: Verdict
    public var by: OperatorIdentity
    public var comment: String?
    /// `undo` when it decides an undo's gate; nil is forward.
    public var phase: AttemptPhase?
}

/// "gate skipped: condition false": the gate in front of `step` (or of its undo) was not asked,
/// because `condition`'s primitive journaled `found` (nil: no such output) instead.
public struct ApprovalSkipped: Sendable, Equatable, Codable {
    public var step: String
    public var condition: ApprovalCondition
    public var found: String?
    /// `undo` for the gate in front of an undo; nil is forward.
    public var phase: AttemptPhase?

    public init(step: String, condition: ApprovalCondition, found: String?, phase: AttemptPhase? = nil) {
        self.step = step
        self.condition = condition
        self.found = found
        self.phase = phase
    }

    /// One line for `events` and the audit timeline.
    public var summary: String {
        "\(step): \(phase == .undo ? "undo " : "")gate skipped: condition false (\(condition.description); it is `\(found ?? "absent")`)"
    }
}

public struct DecisionRequested: Sendable, Equatable, Codable {
    public var step: String
    public var options: [DecisionOption]
    public var reason: String
}

public struct DecisionMade: Sendable, Equatable, Codable {
    public var step: String
    public var option: DecisionOption
    public var by: OperatorIdentity
    public var comment: String?
}

public struct OperatorActionTaken: Sendable, Equatable, Codable {
    public enum Action: String, Sendable, Equatable, Codable {
        case pause, resume, cancel, rollback, retry
        /// An operator put a step back by hand after its undo failed; the rollback goes on.
        case markUndone = "mark-undone"
    }

    public var action: Action
    public var step: String?
    public var by: OperatorIdentity
    public var comment: String?
}

public struct WindowOverrun: Sendable, Equatable, Codable {
    public var action: OverrunAction
    public var windowEnd: Date
}
