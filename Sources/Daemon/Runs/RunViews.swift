import ControlProtocol
import Engine
import Foundation
import Runbook

/// The control API's views of a run, built from the engine's state: pure, so `status` output can
/// be tested without a daemon.
enum RunViews {
    static func view(state: RunState, snapshot: RunSnapshot, now: Date, halt: RunHalt? = nil) -> RunView {
        RunView(
            run: halted(snapshot, halt), now: now, pendingApprovals: pendingApprovals(state: state, snapshot: snapshot),
            pendingDecisions: pendingDecisions(snapshot: snapshot), halt: halt)
    }

    /// A finished run's view from its snapshot alone, for a run with no approval gate still asking
    /// (the caller checks): its pending decisions are in the snapshot, its pending approvals are none.
    static func view(finished snapshot: RunSnapshot, now: Date, halt: RunHalt? = nil) -> RunView {
        RunView(
            run: halted(snapshot, halt), now: now, pendingApprovals: [],
            pendingDecisions: pendingDecisions(snapshot: snapshot), halt: halt)
    }

    /// A halted run keeps its journaled status; its reason says it stopped and what to do, so
    /// `cutoverctl status` shows it on the run's first line.
    static func halted(_ snapshot: RunSnapshot, _ halt: RunHalt?) -> RunSnapshot {
        guard let halt else { return snapshot }
        var snapshot = snapshot
        snapshot.reason = "STOPPED — \(halt.message)"
        return snapshot
    }

    static func summary(_ snapshot: RunSnapshot, halt: RunHalt? = nil) -> RunSummary {
        let snapshot = halted(snapshot, halt)
        let current = snapshot.steps.filter { [.running, .waiting, .awaitingApproval, .awaitingDecision, .undoing].contains($0.status) }
            .map { "\($0.id) (\($0.status.rawValue))" }
        return RunSummary(
            runId: snapshot.runId, runbook: snapshot.runbook, status: snapshot.status, reason: snapshot.reason,
            initiator: snapshot.initiator, createdAt: snapshot.createdAt, stepsDone: snapshot.done,
            stepsTotal: snapshot.steps.count, current: current.isEmpty ? nil : current.joined(separator: ", "), halt: halt)
    }

    static func pendingApprovals(state: RunState, snapshot: RunSnapshot) -> [PendingApproval] {
        snapshot.steps.filter { $0.status == .awaitingApproval }.compactMap { step in
            // During a rollback a step may wait for its undo's gate (a destructive undo) instead of its own.
            guard let request = state.steps[step.id]?.pendingApprovalRequest else { return nil }
            return PendingApproval(
                step: step.id, title: step.title, message: request.message, required: request.policy.required,
                approvedBy: step.approvedBy, approvers: request.policy.approvers.map(\.description),
                initiatorMayApprove: request.policy.allowInitiator, distinct: request.policy.distinct,
                deadline: request.deadline, irreversible: step.irreversible)
        }
    }

    /// The decisions asked of a run, from what its snapshot keeps of them (the snapshot copies each
    /// step's pending decision: reason and options).
    static func pendingDecisions(snapshot: RunSnapshot) -> [PendingDecision] {
        snapshot.steps.filter { $0.status == .awaitingDecision }.compactMap { step in
            guard let reason = step.decisionReason, let options = step.decisionOptions else { return nil }
            return PendingDecision(step: step.id, title: step.title, reason: reason, options: options)
        }
    }

    /// Every approval and rejection of the run, in journal order.
    static func decided(_ events: [(RunEvent, Date)]) -> [ApprovalRecord] {
        events.compactMap { event, time in
            guard case let .approvalDecided(decision) = event else { return nil }
            return ApprovalRecord(
                step: decision.step, verdict: decision.verdict.rawValue,
                by: decision.verdict == .timedOut ? nil : decision.by, at: time, comment: decision.comment)
        }
    }

    /// A one-line account of a journal record for `events` and `status --watch`.
    static func summary(of event: RunEvent) -> String {
        switch event {
        case let .runCreated(e): return "run \(e.runId) of \(e.plan.runbookName) started by \(e.initiator)"
        case let .runStatusChanged(e): return "run \(e.status.rawValue): \(e.reason) (\(e.by))"
        case let .attemptStarted(e): return "\(e.step): attempt \(e.attempt) \(e.phase == .undo ? "undoing" : "started")"
        case let .attemptSucceeded(e): return "\(e.step): \(e.phase == .undo ? "undone" : "succeeded") (attempt \(e.attempt))"
        case let .attemptFailed(e):
            let next = e.nextAttemptAt.map { "; next attempt at \(ControlJSON.format($0))" } ?? "; \(e.exhausted ?? "no more attempts")"
            return "\(e.step): attempt \(e.attempt) failed: \(e.error)\(next)"
        case let .pollPending(e): return "\(e.step): not yet"
        case let .attemptReconciled(e): return "\(e.step): attempt \(e.attempt) reconciled after restart: \(e.finding.rawValue)"
        case let .awsCall(e):
            let call = e.call
            return "\(e.step): \(call.service) \(call.operation) in \(call.account ?? "?") → \(call.outcome)"
                + (call.requestId.map { " (request \($0))" } ?? "")
        case let .timerSet(e): return "\(e.step): waiting until \(ControlJSON.format(e.due))"
        case let .approvalRequested(e): return "\(e.step): waiting for approval" + (e.message.map { " — \($0)" } ?? "")
        case let .approvalDecided(e): return "\(e.step): \(e.verdict.rawValue) by \(e.by)" + (e.comment.map { ": \($0)" } ?? "")
        case let .approvalSkipped(e): return e.summary
        case let .decisionRequested(e):
            return "\(e.step): decision needed (\(e.options.map(\.rawValue).joined(separator: " | "))): \(e.reason)"
        case let .decisionMade(e): return "\(e.step): \(e.by) chose \(e.option)"
        case let .operatorAction(e): return "operator \(e.action.rawValue) by \(e.by)"
        case let .windowOverrun(e): return "window overrun: \(e.action.rawValue)"
        case let .guardChecked(e): return GuardChecked.summary(e)
        }
    }
}
