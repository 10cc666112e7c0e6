import Foundation
import Runbook

/// Operator actions. Each checks that it makes sense now, journals the decision with the
/// caller's OS identity before it takes effect, and wakes the run loop.
extension RunExecutor {
    public func approve(step id: String, by identity: OperatorIdentity, comment: String? = nil) throws(EngineError) {
        if let (request, step) = try undoGate(id) {
            if let refusal = ApprovalRules.refusal(
                policy: request.policy, identity: identity, initiator: state.initiator,
                previous: step.undoApprovals, step: id)
            {
                throw refusal
            }
            try commit(
                .approvalDecided(
                    ApprovalDecided(
                        step: id, verdict: .approved, by: identity, comment: comment,
                        phase: .undo)))
            return
        }
        let (planned, step) = try gate(id)
        if let refusal = ApprovalRules.refusal(
            policy: step.approvalRequest?.policy ?? planned.approval ?? ApprovalPolicy(),
            identity: identity, initiator: state.initiator,
            previous: step.approvals, step: id)
        {
            throw refusal
        }
        try commit(.approvalDecided(ApprovalDecided(step: id, verdict: .approved, by: identity, comment: comment)))
    }

    public func reject(step id: String, by identity: OperatorIdentity, reason: String) throws(EngineError) {
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw EngineError(.commentRequired, "say why you reject \(id) (--comment): the record keeps it")
        }
        if let (request, _) = try undoGate(id) {
            if !request.policy.approvers.isEmpty, !ApprovalRules.isApprover(identity, request.policy.approvers) {
                throw EngineError(
                    .notAnApprover,
                    "\(identity.user) may not decide on the undo of \(id): approvers are "
                        + request.policy.approvers.map(\.description).joined(separator: ", "))
            }
            try commit(
                .approvalDecided(
                    ApprovalDecided(
                        step: id, verdict: .rejected, by: identity, comment: reason,
                        phase: .undo)))
            return
        }
        let (planned, step) = try gate(id)
        let policy = step.approvalRequest?.policy ?? planned.approval ?? ApprovalPolicy()
        if !policy.approvers.isEmpty, !ApprovalRules.isApprover(identity, policy.approvers) {
            throw EngineError(
                .notAnApprover,
                "\(identity.user) may not decide on \(id): approvers are "
                    + policy.approvers.map(\.description).joined(separator: ", "))
        }
        try commit(.approvalDecided(ApprovalDecided(step: id, verdict: .rejected, by: identity, comment: reason)))
    }

    public func decide(step id: String, option: DecisionOption, by identity: OperatorIdentity, comment: String? = nil) throws(EngineError) {
        guard let step = state.steps[id] else { throw stepNotFound(id) }
        guard let pending = step.decisionPending else {
            throw EngineError(.notWaitingForDecision, "\(id) is not waiting for a decision (it is \(status(of: id)))")
        }
        guard pending.options.contains(option) else {
            throw EngineError(
                .unknownOption,
                "\(option) is not an option for \(id); choose one of "
                    + pending.options.map(\.rawValue).joined(separator: ", "))
        }
        try commit(.decisionMade(DecisionMade(step: id, option: option, by: identity, comment: comment)))
        switch option {
        case .rollback:
            try commit(
                .runStatusChanged(RunStatusChanged(status: .rollingBack, reason: "\(identity.user) chose rollback at \(id)", by: identity)))
        case .pause:
            try commit(.runStatusChanged(RunStatusChanged(status: .paused, reason: "\(identity.user) chose pause at \(id)", by: identity)))
        case .cancel:
            try commit(.runStatusChanged(RunStatusChanged(status: .cancelled, reason: "\(identity.user) cancelled at \(id)", by: identity)))
        default:
            if state.status == .paused {
                try commit(
                    .runStatusChanged(RunStatusChanged(status: .running, reason: "\(identity.user) chose \(option) at \(id)", by: identity))
                )
            }
        }
    }

    public func pause(by identity: OperatorIdentity, comment: String? = nil) throws(EngineError) {
        guard state.status == .running || state.status == .rollingBack else { throw transition("pause") }
        try commit(.operatorAction(OperatorActionTaken(action: .pause, step: nil, by: identity, comment: comment)))
        try commit(.runStatusChanged(RunStatusChanged(status: .paused, reason: "paused by \(identity.user)", by: identity)))
    }

    public func resume(by identity: OperatorIdentity, comment: String? = nil) throws(EngineError) {
        guard state.status == .paused else { throw transition("resume") }
        if !state.rollbackRequested, let failed = blockedStep() {
            throw EngineError(
                .invalidTransition,
                "\(failed.id) failed (\(failed.lastError.map(\.description) ?? "no error recorded")); "
                    + "use `retry` to try it again or `rollback`")
        }
        try commit(.operatorAction(OperatorActionTaken(action: .resume, step: nil, by: identity, comment: comment)))
        let next: RunStatus = state.rollbackRequested ? .rollingBack : .running
        try commit(.runStatusChanged(RunStatusChanged(status: next, reason: "resumed by \(identity.user)", by: identity)))
    }

    public func cancel(by identity: OperatorIdentity, comment: String? = nil) throws(EngineError) {
        guard !state.status.isTerminal else { throw transition("cancel") }
        try commit(.operatorAction(OperatorActionTaken(action: .cancel, step: nil, by: identity, comment: comment)))
        try commit(.runStatusChanged(RunStatusChanged(status: .cancelled, reason: "cancelled by \(identity.user)", by: identity)))
    }

    public func rollback(by identity: OperatorIdentity, comment: String? = nil) throws(EngineError) {
        guard !state.status.isTerminal, state.status != .rollingBack else { throw transition("roll back") }
        try commit(.operatorAction(OperatorActionTaken(action: .rollback, step: nil, by: identity, comment: comment)))
        try commit(.runStatusChanged(RunStatusChanged(status: .rollingBack, reason: "rollback by \(identity.user)", by: identity)))
    }

    /// Gives a failed step (or, with nil, the one that stopped the run) a new retry budget.
    public func retry(step id: String? = nil, by identity: OperatorIdentity, comment: String? = nil) throws(EngineError) {
        guard !state.status.isTerminal else { throw transition("retry") }
        let target: String
        if let id {
            guard let step = state.steps[id] else { throw stepNotFound(id) }
            guard step.exhausted || step.undoExhausted else {
                throw EngineError(.nothingToRetry, "\(id) has not failed (it is \(status(of: id)))")
            }
            target = id
        } else {
            guard let failed = blockedStep() ?? state.steps.values.first(where: { $0.undoExhausted }) else {
                throw EngineError(.nothingToRetry, "no step of \(runId) has failed")
            }
            target = failed.id
        }
        try commit(.operatorAction(OperatorActionTaken(action: .retry, step: target, by: identity, comment: comment)))
        if state.status == .paused {
            let next: RunStatus = state.rollbackRequested ? .rollingBack : .running
            try commit(.runStatusChanged(RunStatusChanged(status: next, reason: "\(identity.user) retried \(target)", by: identity)))
        }
    }

    /// Records that an operator put a step back by hand after its undo failed (someone changed
    /// the record since, a restoring rollout never finished): the rollback goes on past it. Only
    /// for a failed undo, and only with a comment, which is the audit log's account of what was
    /// done by hand.
    public func markUndone(step id: String, by identity: OperatorIdentity, comment: String?) throws(EngineError) {
        guard !state.status.isTerminal else { throw transition("mark an undo done") }
        guard let step = state.steps[id] else { throw stepNotFound(id) }
        guard step.undoExhausted, !step.undone else {
            throw EngineError(
                .undoNotFailed, "the undo of \(id) has not failed (it is \(status(of: id))); only a failed undo can be marked done")
        }
        guard let comment, !comment.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw EngineError(
                .commentRequired, "say what was done by hand to put \(id) back: marking its undo done needs a comment for the audit log")
        }
        try commit(.operatorAction(OperatorActionTaken(action: .markUndone, step: id, by: identity, comment: comment)))
        if state.status == .paused, state.rollbackRequested {
            try commit(
                .runStatusChanged(
                    RunStatusChanged(status: .rollingBack, reason: "\(identity.user) marked the undo of \(id) done", by: identity)))
        }
    }

    // MARK: Helpers

    private func gate(_ id: String) throws(EngineError) -> (PlannedStep, StepState) {
        guard let planned = state.plan.step(id), let step = state.steps[id] else { throw stepNotFound(id) }
        guard !state.status.isTerminal, step.approvalRequest != nil, !step.approvalSatisfied, !step.exhausted else {
            throw EngineError(
                .notWaitingForApproval,
                "\(id) is not waiting for approval (it is \(status(of: id)); the run is \(state.status.rawValue))")
        }
        return (planned, step)
    }

    /// The pending gate in front of `id`'s undo during a rollback, if that is what waits.
    private func undoGate(_ id: String) throws(EngineError) -> (ApprovalRequested, StepState)? {
        guard let step = state.steps[id] else { throw stepNotFound(id) }
        guard state.status == .rollingBack, let request = step.undoApprovalRequest, !step.undoApprovalSatisfied,
            !step.undoExhausted, !step.undone
        else { return nil }
        return (request, step)
    }

    private func commit(_ event: RunEvent) throws(EngineError) {
        guard append(event) else {
            throw EngineError(
                .journalUnavailable,
                "the journal refused the record (\(halted?.description ?? "unknown")); "
                    + "nothing was changed")
        }
        wake()
    }

    private func blockedStep() -> StepState? {
        state.plan.steps.compactMap { state.steps[$0.id] }.first { $0.exhausted && !$0.continuedAfterFailure }
    }

    private func status(of id: String) -> String {
        state.steps[id]?.status(inFlight: inFlight.contains(id)).rawValue ?? "unknown"
    }

    private func stepNotFound(_ id: String) -> EngineError {
        EngineError(.stepNotFound, "run \(runId) has no step \(id); `cutoverctl status \(runId)` lists them")
    }

    private func transition(_ verb: String) -> EngineError {
        EngineError(.invalidTransition, "cannot \(verb) run \(runId): it is \(state.status.rawValue) (\(state.statusReason))")
    }
}
