import Engine
import Foundation
import Runbook

/// The inputs every primitive of a move receives whatever it moves (the planner copies the step's
/// `with:` into each): the instance or cluster, and what both moves take alike.
protocol RDSMoveInputs: Sendable {
    /// The instance or cluster being moved, in the source account.
    var source: String { get }
    var common: RDSMoveCommonInputs { get }

    init(_ step: PlannedStep) throws
}

/// What both moves take alike: the two accounts, the target key and placement, the snapshot's
/// name and the wait's pace.
struct RDSMoveCommonInputs: Sendable, Equatable {
    var from: String
    var to: String
    var kmsKey: String
    var subnetGroup: String
    var securityGroups: [String]
    /// For the restored instance or cluster; nil: the source's.
    var deletionProtection: Bool?
    /// The snapshot the runbook names; nil: derived from the run ID.
    var snapshot: String?
    var pollInterval: Duration
    var waitTimeout: Duration

    init(_ reader: RDSMoveInputReader) throws {
        from = try reader.required("from")
        to = try reader.required("to")
        kmsKey = try reader.required("kmsKey")
        subnetGroup = try reader.required("subnetGroup")
        securityGroups = reader.inputs["securityGroups"]?.arrayValue?.compactMap(\.stringValue) ?? []
        deletionProtection = reader.inputs["deletionProtection"]?.boolValue
        snapshot = reader.inputs["snapshot"]?.stringValue
        pollInterval = reader.duration("pollSeconds") ?? RDSMoveInputReader.defaultPollInterval
        waitTimeout = reader.duration("waitTimeoutSeconds") ?? RDSMoveInputReader.defaultWaitTimeout
    }
}

extension RDSMoveInputs {
    var from: String { common.from }
    var to: String { common.to }
    var kmsKey: String { common.kmsKey }
    var subnetGroup: String { common.subnetGroup }
    var securityGroups: [String] { common.securityGroups }
    var deletionProtection: Bool? { common.deletionProtection }
    var snapshot: String? { common.snapshot }
    var pollInterval: Duration { common.pollInterval }
    var waitTimeout: Duration { common.waitTimeout }

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

    func duration(_ key: String) -> Duration? {
        inputs[key]?.numberValue.map { .milliseconds(Int64($0 * 1000)) }
    }
}
