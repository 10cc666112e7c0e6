import Foundation
import Runbook

/// A run's state: the fold of its journaled events, in order. The engine keeps one in memory and
/// applies each event as it commits; after a restart it rebuilds it from the journal, and the
/// result is the same (that is what the crash harness checks).
public struct RunState: Sendable, Equatable {
    public var runId: String
    public var plan: RunbookPlan
    public var initiator: OperatorIdentity
    public var parameters: [String: String]
    public var createdAt: Date
    public var seed: UInt64
    public var status: RunStatus = .running
    public var statusReason = "started"
    public var statusChangedAt: Date
    /// A rollback was asked for; a resume after a pause continues the rollback, not the run.
    public var rollbackRequested = false
    public var steps: [String: StepState]
    public var windowOverrunHandled = false
    /// The run may start in-window steps after the window's end (operator resumed, or `continue`).
    public var windowOverrunAccepted = false
    public var lastEventAt: Date
    /// Alarm episodes (`GuardReading.Alarm.episode`) an operator resumed past: they no longer pause.
    public var guardAcknowledged: Set<String> = []
    /// The episodes that paused the run last; a resume acknowledges them.
    public var guardPausedBy: [String] = []
    public var eventCount = 0
    private var completions = 0

    public init(created: RunCreated, at time: Date) {
        runId = created.runId
        plan = created.plan
        initiator = created.initiator
        parameters = created.parameters
        createdAt = time
        seed = created.seed
        statusChangedAt = time
        lastEventAt = time
        eventCount = 1
        steps = Dictionary(uniqueKeysWithValues: created.plan.steps.map { ($0.id, StepState(id: $0.id)) })
    }

    /// Rebuilds a run from its journaled events (the first must be `runCreated`).
    public static func fold(_ events: [(RunEvent, Date)]) -> RunState? {
        guard case let .runCreated(created)? = events.first?.0, let start = events.first?.1 else { return nil }
        var state = RunState(created: created, at: start)
        for (event, time) in events.dropFirst() { state.apply(event, at: time) }
        return state
    }

    public mutating func apply(_ event: RunEvent, at time: Date) {
        eventCount += 1
        lastEventAt = time
        switch event {
        case .runCreated:
            break
        case let .runStatusChanged(e):
            setStatus(e.status, reason: e.reason, at: time)
        case let .attemptStarted(e):
            update(e.step) { step in
                step.openAttempt = e
                if e.phase == .forward {
                    step.attempts = max(step.attempts, e.attempt)
                    if step.budgetStartedAt == nil { step.budgetStartedAt = time }
                    step.nextAttemptAt = nil
                } else {
                    step.undoAttempts = max(step.undoAttempts, e.attempt)
                    if step.undoBudgetStartedAt == nil { step.undoBudgetStartedAt = time }
                    if step.undoStartedAt == nil { step.undoStartedAt = time }
                    step.undoNextAt = nil
                }
            }
        case let .attemptSucceeded(e):
            succeed(e.step, phase: e.phase, outputs: e.outputs, at: time)
        case let .attemptFailed(e):
            update(e.step) { step in
                step.openAttempt = nil
                step.lastError = e.error
                if e.phase == .forward {
                    step.attempts = max(step.attempts, e.attempt)
                    if step.budgetStartedAt == nil { step.budgetStartedAt = time }
                    step.nextAttemptAt = e.nextAttemptAt
                    step.exhausted = e.nextAttemptAt == nil
                    step.failureHandled = false
                } else {
                    step.undoNextAt = e.nextAttemptAt
                    step.undoExhausted = e.nextAttemptAt == nil
                    step.undoFailureHandled = false
                }
            }
            if e.phase == .forward, e.nextAttemptAt == nil, plan.step(e.step)?.onFailure == .continue {
                update(e.step) {
                    $0.continuedAfterFailure = true
                    $0.failureHandled = true
                }
            }
        case let .pollPending(e):
            update(e.step) { step in
                step.openAttempt = nil
                step.progress = e.progress
                if e.phase == .undo {
                    // A compensation waiting for its moment (the name's release): its retry
                    // budget starts with the attempt after the wait, not with the polls.
                    step.undoNextAt = e.nextPollAt
                    step.undoBudgetStartedAt = nil
                } else {
                    step.nextAttemptAt = e.nextPollAt
                }
            }
        case let .attemptReconciled(e):
            switch e.finding {
            case .done:
                succeed(e.step, phase: e.phase, outputs: e.outputs, at: time)
            case .notDone:
                update(e.step) { step in
                    step.openAttempt = nil
                    if e.phase == .forward { step.nextAttemptAt = time } else { step.undoNextAt = time }
                }
            case .unknown:
                update(e.step) { $0.openAttempt = nil }
            }
        case let .awsCall(e):
            update(e.step) { $0.awsCalls += e.call.callCount }
        case let .timerSet(e):
            update(e.step) { step in
                switch e.purpose {
                case .wait: step.timerDue = e.due
                case .approvalTimeout: step.approvalRequest?.deadline = e.due
                }
            }
        case let .approvalRequested(e) where e.phase == .undo:
            update(e.step) { step in
                step.undoApprovalRequest = e
                step.undoApprovals = []
            }
        case let .approvalDecided(e) where e.phase == .undo:
            update(e.step) { $0.undoApprovals.append(e) }
            if e.verdict != .approved {
                // The undo does not run: the rollback stops at this step (`retry` asks again).
                update(e.step) { step in
                    step.lastError = StepError(
                        code: e.verdict == .rejected ? "UndoRejected" : "UndoApprovalTimedOut",
                        message: e.verdict == .rejected
                            ? "undo rejected by \(e.by.user): \(e.comment ?? "no reason given")"
                            : "no approval for the undo before the deadline",
                        retryable: false)
                    step.undoExhausted = true
                    step.undoFailureHandled = false
                    step.undoNextAt = nil
                }
            }
        case let .approvalRequested(e):
            update(e.step) { step in
                step.approvalRequest = e
                step.approvals = []
                step.approvalTimedOut = false
            }
        case let .approvalDecided(e):
            update(e.step) { $0.approvals.append(e) }
            switch e.verdict {
            case .approved:
                break
            case .rejected:
                rejectGate(
                    e.step,
                    error: StepError(
                        code: "ApprovalRejected", message: "rejected by \(e.by.user): \(e.comment ?? "no reason given")",
                        retryable: false))
            case .timedOut:
                update(e.step) { $0.approvalTimedOut = true }
                let policy = steps[e.step]?.approvalRequest?.policy
                if policy?.onTimeout == .pause {
                    setStatus(.paused, reason: "approval for \(e.step) timed out", at: time)
                } else {
                    rejectGate(
                        e.step,
                        error: StepError(
                            code: "ApprovalTimedOut", message: "no approval before the deadline", retryable: false))
                }
            }
        case let .approvalSkipped(e):
            update(e.step) { step in
                if e.phase == .undo { step.undoApprovalSkipped = true } else { step.approvalSkipped = true }
            }
        case let .decisionRequested(e):
            update(e.step) { step in
                step.decisionPending = e
                step.failureHandled = true
            }
        case let .decisionMade(e):
            update(e.step) { step in
                step.decisionPending = nil
                step.lastDecision = e.option
            }
            switch e.option {
            case .proceed:
                update(e.step) { $0.projectionAccepted = true }
            case .rollback, .pause, .cancel:
                // The executor journals the matching status change right after; applying it here
                // too keeps a crash between the two records from leaving the run stuck with the
                // decision taken and nothing to act on it.
                let status: RunStatus = e.option == .rollback ? .rollingBack : e.option == .pause ? .paused : .cancelled
                if !self.status.isTerminal, self.status != status {
                    setStatus(status, reason: "\(e.by.user) chose \(e.option) at \(e.step)", at: time)
                }
            case .markDone:
                // The operator verified by hand that an attempt of unknown outcome took effect.
                succeed(e.step, phase: .forward, outputs: [:], at: time)
            default:
                startNewBudget(e.step, at: time)
            }
        case let .operatorAction(e):
            switch e.action {
            case .retry:
                if let step = e.step {
                    startNewBudget(step, at: time)
                    update(step) { $0.lastDecision = nil }
                }
            case .resume:
                if windowOverrunHandled { windowOverrunAccepted = true }
                guardAcknowledged.formUnion(guardPausedBy)
                guardPausedBy = []
                for id in steps.keys where steps[id]?.approvalTimedOut == true && steps[id]?.approvalSatisfied == false {
                    update(id) { step in
                        step.approvalRequest = nil
                        step.approvalTimedOut = false
                    }
                }
            case .markUndone:
                // Put back by hand: the rollback goes on past it; the failure stays on record.
                if let step = e.step {
                    succeed(step, phase: .undo, outputs: [:], at: time)
                    update(step) { step in
                        step.undoExhausted = false
                        step.undoFailureHandled = false
                        step.undoneByHand = e.by
                    }
                }
            case .pause, .cancel, .rollback:
                break
            }
        case let .guardChecked(e):
            // The pause itself is the `run.status` record the executor journals next.
            if e.verdict == .alarm {
                guardPausedBy = e.reading.firing.map(\.episode).filter { !guardAcknowledged.contains($0) }
            }
        case let .windowOverrun(e):
            windowOverrunHandled = true
            switch e.action {
            case .continue: windowOverrunAccepted = true
            case .pause: setStatus(.paused, reason: "the maintenance window ended", at: time)
            case .rollback: setStatus(.rollingBack, reason: "the maintenance window ended", at: time)
            }
        }
    }

    private mutating func setStatus(_ status: RunStatus, reason: String, at time: Date) {
        self.status = status
        statusReason = reason
        statusChangedAt = time
        if status == .rollingBack { rollbackRequested = true }
        // Whatever made the run stop or roll back was the reaction to any spent step.
        if status == .paused || status == .rollingBack {
            for id in steps.keys where steps[id]?.exhausted == true { update(id) { $0.failureHandled = true } }
            for id in steps.keys where steps[id]?.undoExhausted == true { update(id) { $0.undoFailureHandled = true } }
        }
    }

    private mutating func succeed(_ id: String, phase: AttemptPhase, outputs: [String: String], at time: Date) {
        if phase == .undo {
            update(id) { step in
                step.openAttempt = nil
                step.undone = true
                step.undoNextAt = nil
            }
            return
        }
        completions += 1
        let order = completions
        update(id) { step in
            step.openAttempt = nil
            step.succeededAt = time
            step.completionOrder = order
            step.outputs = outputs
            step.nextAttemptAt = nil
            step.exhausted = false
            step.decisionPending = nil
            step.progress = nil
        }
    }

    private mutating func rejectGate(_ id: String, error: StepError) {
        update(id) { step in
            step.lastError = error
            step.exhausted = true
            step.failureHandled = false
        }
    }

    private mutating func startNewBudget(_ id: String, at time: Date) {
        update(id) { step in
            if step.undoExhausted {
                step.undoExhausted = false
                step.undoFailureHandled = false
                step.undoNextAt = time
                step.undoBudgetFirstAttempt = step.undoAttempts + 1
                step.undoBudgetStartedAt = nil
                step.undoStartedAt = nil
                if !step.undoApprovalSatisfied {
                    // A rejected or timed-out undo gate asks again.
                    step.undoApprovalRequest = nil
                    step.undoApprovals = []
                }
                return
            }
            step.exhausted = false
            step.failureHandled = false
            step.budgetFirstAttempt = step.attempts + 1
            step.budgetStartedAt = nil
            step.nextAttemptAt = time
            if step.approvalRequest != nil, !step.approvalSatisfied || step.lastError?.code.hasPrefix("Approval") == true {
                // A rejected or timed-out gate asks again.
                step.approvalRequest = nil
                step.approvals = []
                step.approvalTimedOut = false
            }
            step.lastError = nil
        }
    }

    private mutating func update(_ id: String, _ change: (inout StepState) -> Void) {
        guard var step = steps[id] else { return }
        change(&step)
        steps[id] = step
    }
}
