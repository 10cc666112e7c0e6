import Foundation
import Runbook

/// One primitive's state: the fold of its events. Derived, never stored on its own.
public struct StepState: Sendable, Equatable, Codable {
    /// What `status` shows for a step.
    public enum Status: String, Sendable, Equatable, Codable {
        case pending
        case awaitingApproval = "awaiting-approval"
        case awaitingDecision = "awaiting-decision"
        case running
        /// Waiting for a due time: a retry, a poll, a `wait` step.
        case waiting
        case succeeded
        /// Retries spent; `onFailure` applies or has applied.
        case failed
        /// Failed with `onFailure: continue`: the run went on without it.
        case skippedAfterFailure = "failed-continued"
        case undoing
        case undone
        case undoFailed = "undo-failed"
    }

    public var id: String
    /// Forward attempts started so far (1-based numbers; reconciliation included).
    public var attempts = 0
    /// The first attempt number of the current retry budget (an operator retry starts a new one).
    public var budgetFirstAttempt = 1
    /// When the current budget's first attempt started: `maxElapsed` and `timeout` count from it.
    public var budgetStartedAt: Date?
    /// An attempt whose outcome is not journaled (in flight, or lost in a crash).
    public var openAttempt: AttemptStarted?
    public var nextAttemptAt: Date?
    public var lastError: StepError?
    /// Retries spent and not yet retried by an operator.
    public var exhausted = false
    /// The run already reacted to the exhaustion (paused, rolled back, asked, continued).
    public var failureHandled = false
    public var continuedAfterFailure = false
    public var progress: String?
    public var succeededAt: Date?
    /// Position among completed steps, for reverse-order rollback.
    public var completionOrder: Int?
    public var outputs: [String: String] = [:]
    /// A `wait` step's journaled due time.
    public var timerDue: Date?
    public var approvalRequest: ApprovalRequested?
    public var approvals: [ApprovalDecided] = []
    public var approvalTimedOut = false
    /// The gate's condition was false: it was not asked (`approval.skipped`).
    public var approvalSkipped = false
    public var decisionPending: DecisionRequested?
    /// The latest decision option chosen for this step; the next attempts see it.
    public var lastDecision: DecisionOption?
    /// The operator accepted crossing the window with this point of no return.
    public var projectionAccepted = false
    public var undoAttempts = 0
    public var undoBudgetFirstAttempt = 1
    public var undone = false
    public var undoNextAt: Date?
    public var undoExhausted = false
    public var undoFailureHandled = false
    /// When the current undo budget's first attempt started (`maxElapsed` counts from it); a
    /// compensation's polls before it is due are not part of the budget.
    public var undoBudgetStartedAt: Date?
    /// When this undo began: its first attempt since the rollback reached the step, or since an
    /// operator's retry of the undo. Unlike the budget's start, a compensation's polls do not
    /// move it, so a compensation that waits (a restoring rollout) bounds its wait from here.
    public var undoStartedAt: Date?
    /// Who marked this step undone by hand after its undo failed (`mark-undone`), if anyone.
    public var undoneByHand: OperatorIdentity?
    /// The gate in front of this step's undo, once requested.
    public var undoApprovalRequest: ApprovalRequested?
    public var undoApprovals: [ApprovalDecided] = []
    /// The undo gate's condition was false: it was not asked.
    public var undoApprovalSkipped = false
    /// Journaled AWS calls made by this step.
    public var awsCalls = 0

    public init(id: String) { self.id = id }

    public var succeeded: Bool { succeededAt != nil }

    /// Done as far as dependants are concerned.
    public var settled: Bool { succeeded || continuedAfterFailure }

    public var approvedBy: [String] { approvals.map(\.by.user) }

    public func status(inFlight: Bool) -> Status {
        if undone { return .undone }
        if undoExhausted { return .undoFailed }
        if let open = openAttempt, open.phase == .undo { return .undoing }
        if undoApprovalRequest != nil, !undoApprovalSatisfied, !undoExhausted { return .awaitingApproval }
        // A compensation waiting for its moment, or an undo waiting to be retried.
        if undoNextAt != nil, !undoExhausted { return .undoing }
        if inFlight || openAttempt != nil { return .running }
        if succeeded { return .succeeded }
        if continuedAfterFailure { return .skippedAfterFailure }
        if decisionPending != nil { return .awaitingDecision }
        if exhausted { return .failed }
        if approvalRequest != nil, !approvalSatisfied { return .awaitingApproval }
        if nextAttemptAt != nil || timerDue != nil { return .waiting }
        return .pending
    }

    /// Whether the gate in front of this step has its approvals (by distinct users when required).
    public var approvalSatisfied: Bool { Self.satisfied(approvalRequest, approvals) }

    /// The gate people are asked to decide now: the undo's during a rollback, else the step's.
    public var pendingApprovalRequest: ApprovalRequested? {
        if let undo = undoApprovalRequest, !undoApprovalSatisfied, !undoExhausted, !undone { return undo }
        return approvalRequest
    }

    /// Whether the gate in front of this step's undo has its approvals.
    public var undoApprovalSatisfied: Bool { Self.satisfied(undoApprovalRequest, undoApprovals) }

    private static func satisfied(_ request: ApprovalRequested?, _ decisions: [ApprovalDecided]) -> Bool {
        guard let request else { return false }
        let approved = decisions.filter { $0.verdict == .approved }
        let count = request.policy.distinct ? Set(approved.map(\.by.user)).count : approved.count
        return count >= request.policy.required
    }
}
