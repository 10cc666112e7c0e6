import Foundation
import Runbook

/// What a step sees while it runs: its plan entry, the attempt, the clock, the outputs of steps
/// that finished before it, the operator's decision when one sent it here, and a way to journal
/// the AWS calls it makes and report progress.
public struct StepContext: Sendable {
    public var runId: String
    public var step: PlannedStep
    /// 1-based over the step's whole life (retries, operator retries and reconciliation included).
    public var attempt: Int
    public var phase: AttemptPhase
    public var clock: any EngineClock
    public var plan: RunbookPlan
    /// Outputs of finished steps by step id.
    public var outputs: [String: [String: String]]
    /// The decision option that led to this attempt (`slow-retry`), if any.
    public var decision: DecisionOption?
    let sink: StepEventSink
    /// The first attempt of the current retry budget (an operator `retry` starts a new one): lets
    /// a step tell a new try after a failure from a resume of the same try (a Batch Operations
    /// job that ended Failed is replaced on a retry, followed on a resume).
    public var budgetFirstAttempt = 1
    /// When this step's undo began (an undo attempt only): its first attempt since the rollback
    /// reached the step or an operator retried the undo. Polls (`.notYet`) do not move it, so a
    /// compensation that waits for AWS can give up a set time after it began.
    public var undoStartedAt: Date?

    /// Journals an AWS call right after it returns (with its request ID). Throws when the journal
    /// cannot record it: the step must stop, as the engine can no longer prove what happened.
    public func record(_ call: AWSCallRecord) async throws {
        try await sink.record(call, step: step.id, attempt: attempt)
    }

    /// Reports progress for `status` (objects copied, bytes, rate); not journaled.
    public func progress(_ text: String) async {
        await sink.progress(text, step: step.id)
    }

    /// An output of an earlier step, e.g. the deletion time of the source bucket.
    public func output(of stepId: String, _ key: String) -> String? { outputs[stepId]?[key] }
}

/// Whether an attempt moves the run forward or rolls it back.
public enum AttemptPhase: String, Sendable, Hashable, Codable {
    case forward
    case undo
}

/// Where a step's journaled side records go (the run executor).
protocol StepEventSink: Sendable {
    func record(_ call: AWSCallRecord, step: String, attempt: Int) async throws
    func progress(_ text: String, step: String) async
}
