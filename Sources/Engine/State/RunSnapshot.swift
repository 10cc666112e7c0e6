import Foundation
import Runbook

/// A run as `status` shows it: what is done, what runs, who must approve what, what waits until when.
public struct RunSnapshot: Sendable, Equatable, Codable {
    public struct Step: Sendable, Equatable, Codable {
        public var id: String
        public var type: String
        public var title: String
        public var account: String?
        public var status: StepState.Status
        public var attempts: Int
        public var nextAt: Date?
        public var approvedBy: [String]
        public var approvalsRequired: Int?
        public var decisionOptions: [String]?
        public var decisionReason: String?
        public var progress: String?
        public var lastError: StepError?
        public var finishedAt: Date?
        public var irreversible: Bool
    }

    public var runId: String
    public var runbook: String
    public var planHash: String
    public var status: RunStatus
    public var reason: String
    public var initiator: String
    public var createdAt: Date
    public var windowStart: Date?
    public var windowEnd: Date?
    public var steps: [Step]

    public var done: Int { steps.filter { $0.status == .succeeded || $0.status == .skippedAfterFailure }.count }
}

extension RunSnapshot {
    /// The snapshot of a run in `state`; `inFlight` and `progress` are what only a live executor
    /// knows (attempts running now, their latest progress text).
    public init(runId: String, state: RunState, inFlight: Set<String> = [], progress: [String: String] = [:]) {
        self.init(
            runId: runId, runbook: state.plan.runbookName, planHash: state.plan.hash, status: state.status,
            reason: state.statusReason, initiator: state.initiator.user, createdAt: state.createdAt,
            windowStart: state.plan.window?.start, windowEnd: state.plan.window?.end,
            steps: state.plan.steps.map { planned in
                let step = state.steps[planned.id] ?? StepState(id: planned.id)
                return RunSnapshot.Step(
                    id: planned.id, type: planned.type, title: planned.title, account: planned.account,
                    status: step.status(inFlight: inFlight.contains(planned.id)), attempts: step.attempts,
                    nextAt: step.nextAttemptAt ?? step.undoNextAt ?? step.timerDue ?? step.pendingApprovalRequest?.deadline,
                    approvedBy: step.approvedBy, approvalsRequired: step.pendingApprovalRequest?.policy.required,
                    decisionOptions: step.decisionPending?.options.map(\.rawValue), decisionReason: step.decisionPending?.reason,
                    progress: step.undoneByHand.map { "undone by hand, marked by \($0.user)" } ?? progress[planned.id] ?? step.progress,
                    lastError: step.lastError,
                    finishedAt: step.succeededAt, irreversible: planned.reversibility.isPointOfNoReturn)
            })
    }
}

extension RunExecutor {
    public func snapshot() -> RunSnapshot {
        RunSnapshot(runId: runId, state: state, inFlight: inFlight, progress: progress)
    }
}
