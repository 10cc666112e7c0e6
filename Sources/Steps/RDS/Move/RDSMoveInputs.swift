import Engine
import Foundation
import Runbook

/// The inputs every primitive of a move receives whatever it moves (the planner copies the step's
/// `with:` into each): the two accounts, the target key, the snapshot's name and the wait's pace.
protocol RDSMoveInputs: Sendable {
    /// The instance or cluster being moved, in the source account.
    var source: String { get }
    var from: String { get }
    var to: String { get }
    var kmsKey: String { get }
    /// The snapshot the runbook names; nil: derived from the run ID.
    var snapshot: String? { get }
    var pollInterval: Duration { get }
    var waitTimeout: Duration { get }

    init(_ step: PlannedStep) throws
}

extension RDSMoveInputs {
    /// The snapshot in the source, and the name of its copy in the target: the runbook's, or
    /// `cutover-<source>-<run ID>` — the same on every attempt of the run, so creating and copying
    /// it are idempotent by identifier.
    func snapshotIdentifier(runId: String) -> String {
        snapshot ?? RDSNaming.identifier("cutover-\(source)-\(runId)")
    }
}

/// Reads a move's planned inputs: the required ones (a missing one means the plan is not this
/// code's: re-plan), and the wait's pace.
struct RDSMoveInputReader {
    let step: PlannedStep

    init(_ step: PlannedStep) { self.step = step }

    /// botocore's interval for RDS waiters.
    static let defaultPollInterval: Duration = .seconds(30)
    /// Not botocore's 30 minutes: copying or restoring a large database takes hours.
    static let defaultWaitTimeout: Duration = .seconds(12 * 3600)

    var inputs: JSONValue { step.inputs }

    func required(_ key: String) throws -> String {
        guard let value = inputs[key]?.stringValue, !value.isEmpty else {
            throw StepError(code: StepErrorCode.invalidInputs, message: "\(step.id) has no `\(key)` input; re-plan the runbook", retryable: false)
        }
        return value
    }

    var securityGroups: [String] { inputs["securityGroups"]?.arrayValue?.compactMap(\.stringValue) ?? [] }
    var pollInterval: Duration { duration("pollSeconds") ?? Self.defaultPollInterval }
    var waitTimeout: Duration { duration("waitTimeoutSeconds") ?? Self.defaultWaitTimeout }

    private func duration(_ key: String) -> Duration? {
        inputs[key]?.numberValue.map { .milliseconds(Int64($0 * 1000)) }
    }
}
