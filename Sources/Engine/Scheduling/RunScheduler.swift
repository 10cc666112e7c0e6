import Foundation
import Runbook

/// The engine's pure core: given a run's state, the time, and which steps are in flight, what
/// happens next. It returns at most one event to journal (the caller commits it, applies it and
/// asks again) or the attempts to launch, and when to look again. No I/O, no clock of its own.
public enum RunScheduler {
    public struct Launch: Sendable, Equatable {
        public enum Kind: String, Sendable, Equatable {
            case run, undo
            /// Reconcile an attempt the journal shows started and never finished (`check`).
            case reconcile
        }

        public var step: String
        public var kind: Kind
        public var attempt: Int
        public var decision: DecisionOption?
    }

    public enum Decision: Sendable, Equatable {
        /// Journal this, apply it, decide again.
        case journal(RunEvent)
        /// Launch these (possibly none) and look again at `wake` or when something finishes.
        case launch([Launch], wake: Date?)
    }

    public static func decide(_ state: RunState, now: Date, inFlight: Set<String>) -> Decision {
        if state.status.isTerminal { return .launch([], wake: nil) }

        // After a crash: reconcile every attempt without an outcome before anything else moves.
        let orphans = state.plan.steps.filter { state.steps[$0.id]?.openAttempt != nil && !inFlight.contains($0.id) }
        if !orphans.isEmpty {
            return .launch(
                orphans.map { step in
                    let open = state.steps[step.id]!.openAttempt!
                    return Launch(
                        step: step.id, kind: open.phase == .undo ? .undo : .reconcile, attempt: open.attempt,
                        decision: open.decision)
                }, wake: nil)
        }

        switch state.status {
        case .paused, .completed, .rolledBack, .cancelled:
            return .launch([], wake: nil)
        case .rollingBack:
            return decideRollback(state, now: now, inFlight: inFlight)
        case .running:
            return decideForward(state, now: now, inFlight: inFlight)
        }
    }

    // MARK: Forward

    private static func decideForward(_ state: RunState, now: Date, inFlight: Set<String>) -> Decision {
        let plan = state.plan
        let unsettled = plan.steps.filter { !(state.steps[$0.id]?.settled ?? true) }
        if unsettled.isEmpty, inFlight.isEmpty {
            return .journal(
                .runStatusChanged(
                    RunStatusChanged(
                        status: .completed, reason: "every step finished", by: .engine)))
        }

        if let window = plan.window, now >= window.end, !state.windowOverrunHandled,
            unsettled.contains(where: { $0.window == .inside })
        {
            return .journal(.windowOverrun(WindowOverrun(action: window.onOverrun, windowEnd: window.end)))
        }

        var launches: [Launch] = []
        var wake: Date?
        func wakeAt(_ date: Date) { wake = min(wake ?? date, date) }
        // The window's end is a moment to look again: `onOverrun` applies then.
        if let window = plan.window, now < window.end, unsettled.contains(where: { $0.window == .inside }) {
            wakeAt(window.end)
        }

        for planned in unsettled where !inFlight.contains(planned.id) {
            guard let step = state.steps[planned.id] else { continue }
            let depsSettled = planned.dependsOn.allSatisfy { state.steps[$0]?.settled ?? true }
            guard depsSettled else { continue }

            if step.exhausted {
                if step.failureHandled { continue }
                return .journal(reactToFailure(planned, step))
            }
            if step.decisionPending != nil { continue }

            if let window = plan.window, planned.window == .inside {
                if now < window.start {
                    wakeAt(window.start)
                    continue
                }
                if now >= window.end, !state.windowOverrunAccepted { continue }
            }

            // Invariant 4: a point of no return is gated even if a plan forgot to say so.
            if let policy = planned.approval ?? (planned.reversibility.isPointOfNoReturn ? ApprovalPolicy() : nil),
                !step.approvalSatisfied, !step.approvalSkipped
            {
                if let skip = skippedGate(planned.approvalCondition, of: planned, step.approvalRequest, state: state, phase: nil) {
                    return .journal(.approvalSkipped(skip))
                }
                if planned.reversibility.isPointOfNoReturn, let window = plan.window, !step.projectionAccepted,
                    !state.windowOverrunAccepted, now < window.end
                {
                    let remaining = WindowProjection.remaining(plan: plan, state: state)
                    let left = window.end.timeIntervalSince(now)
                    if remaining > left {
                        return .journal(
                            .decisionRequested(
                                DecisionRequested(
                                    step: planned.id, options: [.proceed, .rollback, .pause],
                                    reason: "\(planned.id) is a point of no return and the remaining work "
                                        + "(about \(format(remaining))) does not fit in the \(format(left)) left in the window")))
                    }
                }
                guard let request = step.approvalRequest else {
                    // The approvers read the message with its step outputs filled in (a new endpoint).
                    let outputs = state.steps.compactMapValues { $0.succeeded ? $0.outputs : nil }
                    return .journal(
                        .approvalRequested(
                            ApprovalRequested(
                                step: planned.id, policy: policy, message: planned.resolvingOutputs(outputs).step.message ?? planned.title,
                                deadline: policy.timeout.map { now.addingTimeInterval($0.timeInterval) })))
                }
                if let deadline = request.deadline {
                    if now >= deadline {
                        return .journal(
                            .approvalDecided(
                                ApprovalDecided(
                                    step: planned.id, verdict: .timedOut, by: .engine,
                                    comment: "no approval within \(policy.timeout.map(format) ?? "the timeout")")))
                    }
                    wakeAt(deadline)
                }
                continue
            }

            switch planned.type {
            case "approval":
                return .journal(
                    .attemptSucceeded(
                        AttemptSucceeded(
                            step: planned.id, attempt: 1, phase: .forward,
                            outputs: ["approvedBy": step.approvedBy.joined(separator: ",")])))
            case "wait":
                guard let due = step.timerDue else {
                    return .journal(
                        .timerSet(
                            TimerSet(
                                step: planned.id, purpose: .wait,
                                due: waitDue(planned, state: state, now: now))))
                }
                if now >= due {
                    return .journal(
                        .attemptSucceeded(
                            AttemptSucceeded(
                                step: planned.id, attempt: 1, phase: .forward, outputs: ["waitedUntil": EventTime.format(due)])))
                }
                wakeAt(due)
            default:
                if let timeout = planned.timeout, let started = step.budgetStartedAt,
                    now >= started.addingTimeInterval(timeout.timeInterval)
                {
                    return .journal(
                        .attemptFailed(
                            AttemptFailed(
                                step: planned.id, attempt: step.attempts, phase: .forward,
                                error: StepError(
                                    code: "StepTimeout",
                                    message: "not finished \(format(timeout.timeInterval)) after its first attempt"
                                        + (step.progress.map { " (last progress: \($0))" } ?? ""),
                                    retryable: false),
                                nextAttemptAt: nil, exhausted: "timeout")))
                }
                if let due = step.nextAttemptAt, due > now {
                    wakeAt(due)
                    continue
                }
                launches.append(
                    Launch(
                        step: planned.id, kind: .run, attempt: step.attempts + 1,
                        decision: step.lastDecision))
            }
        }
        return .launch(launches, wake: wake)
    }

    private static func reactToFailure(_ planned: PlannedStep, _ step: StepState) -> RunEvent {
        let error = step.lastError.map(\.description) ?? "failed"
        switch planned.onFailure {
        case .rollback:
            return .runStatusChanged(
                RunStatusChanged(
                    status: .rollingBack, reason: "\(planned.id) failed: \(error)", by: .engine))
        case .decide:
            return .decisionRequested(
                DecisionRequested(
                    step: planned.id, options: planned.decisionOptions,
                    reason: "\(planned.id) failed: \(error)"))
        case .pause, .continue:
            // `continue` is settled by the fold; reaching here means pause.
            return .runStatusChanged(
                RunStatusChanged(
                    status: .paused, reason: "\(planned.id) failed: \(error)", by: .engine))
        }
    }

    private static func waitDue(_ planned: PlannedStep, state: RunState, now: Date) -> Date {
        if let until = planned.inputs["until"]?.stringValue, let date = EventTime.parse(until) { return date }
        let seconds = planned.inputs["for"]?.numberValue ?? 0
        var from = now
        if let after = planned.inputs["after"]?.stringValue, let finished = state.steps[after]?.succeededAt {
            from = finished
        }
        return from.addingTimeInterval(seconds)
    }

    // MARK: Rollback

    private static func decideRollback(_ state: RunState, now: Date, inFlight: Set<String>) -> Decision {
        // Never interrupt: forward attempts in flight finish (and are journaled) first.
        guard inFlight.isEmpty else { return .launch([], wake: nil) }
        // A compensated step that was attempted and never finished (the source emptied half-way)
        // is compensated too, first: it is the latest thing its branch did.
        let completed = state.plan.steps.compactMap { planned -> (PlannedStep, StepState)? in
            guard let step = state.steps[planned.id] else { return nil }
            // A reversible step between polls (a Batch Operations job it started and follows) is
            // undone too: its effect is under way, and only its undo stops it.
            let polling = planned.reversibility == .reversible && !step.succeeded && !step.exhausted && step.progress != nil
            guard step.succeeded || polling || (planned.reversibility == .compensated && step.attempts > 0) else { return nil }
            return (planned, step)
        }
        func order(_ step: StepState) -> Int { step.completionOrder ?? Int.max }
        let barrier = completed.filter { $0.0.reversibility == .irreversible }
            .max { order($0.1) < order($1.1) }
        let barrierOrder = barrier.map { order($0.1) } ?? 0
        let toUndo =
            completed
            .filter { $0.0.reversibility.isUndoable && !$0.1.undone && order($0.1) > barrierOrder }
            .sorted { order($0.1) > order($1.1) }

        guard let (planned, step) = toUndo.first else {
            let reason =
                barrier.map { "rolled back to \($0.0.id), which cannot be undone" }
                ?? "every reversible step undone"
            return .journal(.runStatusChanged(RunStatusChanged(status: .rolledBack, reason: reason, by: .engine)))
        }
        if step.undoExhausted {
            if step.undoFailureHandled { return .launch([], wake: nil) }
            return .journal(
                .runStatusChanged(
                    RunStatusChanged(
                        status: .paused,
                        reason: "rollback blocked: undo of \(planned.id) failed: \(step.lastError.map(\.description) ?? ""); "
                            + "retry it, or put it back by hand and mark it undone (cutoverctl mark-undone)",
                        by: .engine)))
        }
        if let gate = planned.undoApproval, !step.undoApprovalSatisfied, !step.undoApprovalSkipped,
            gate.onlyAfter.map({ (state.steps[$0]?.attempts ?? 0) > 0 }) ?? true
        {
            if let skip = skippedGate(gate.onlyIf, of: planned, step.undoApprovalRequest, state: state, phase: .undo) {
                return .journal(.approvalSkipped(skip))
            }
            guard let request = step.undoApprovalRequest else {
                return .journal(
                    .approvalRequested(
                        ApprovalRequested(
                            step: planned.id, policy: gate.policy, message: gate.message,
                            deadline: gate.policy.timeout.map { now.addingTimeInterval($0.timeInterval) }, phase: .undo)))
            }
            if let deadline = request.deadline {
                if now >= deadline {
                    return .journal(
                        .approvalDecided(
                            ApprovalDecided(
                                step: planned.id, verdict: .timedOut, by: .engine,
                                comment: "no approval within \(gate.policy.timeout.map(format) ?? "the timeout")", phase: .undo)))
                }
                return .launch([], wake: deadline)
            }
            return .launch([], wake: nil)
        }
        if let due = step.undoNextAt, due > now { return .launch([], wake: due) }
        return .launch([Launch(step: planned.id, kind: .undo, attempt: step.undoAttempts + 1, decision: nil)], wake: nil)
    }

    /// The record that a conditional gate is not asked, or nil when it is (no condition, already
    /// asked, a point of no return, or the condition holds or cannot be told yet). Decided from the
    /// journal alone, so a restart between the deciding output and this decision decides the same.
    private static func skippedGate(
        _ condition: ApprovalCondition?, of planned: PlannedStep, _ asked: ApprovalRequested?, state: RunState, phase: AttemptPhase?
    ) -> ApprovalSkipped? {
        guard let condition, asked == nil else { return nil }
        if phase == nil, planned.reversibility.isPointOfNoReturn { return nil }
        guard let source = state.steps[condition.primitive], source.succeeded else { return nil }
        guard !condition.holds(outputs: source.outputs) else { return nil }
        return ApprovalSkipped(step: planned.id, condition: condition, found: source.outputs[condition.output], phase: phase)
    }

    static func format(_ seconds: TimeInterval) -> String {
        RunbookDuration.format(.milliseconds(Int64((seconds * 1000).rounded())))
    }

    static func format(_ duration: Duration) -> String { RunbookDuration.format(duration) }
}
