import Foundation
import Runbook

/// The contract every primitive step implements (DESIGN.md, "Steps").
///
/// - `run` performs the effect. It may be called again after a crash, so it must be idempotent
///   (use AWS idempotency tokens where the API has them).
/// - `check` observes, read-only, whether the effect already happened. The engine calls it after a
///   crash when the journal shows an attempt that started and never finished.
/// - `undo` is rollback's compensation; irreversible steps are never undone (the plan says so).
/// - `compensate` is what the engine calls to undo: by default `undo`, done in one attempt. A
///   compensation that takes time (re-creating a deleted bucket once S3 releases its name)
///   returns `.notYet` and is called again, like a poll. It is re-run after a crash, so it must be
///   idempotent and compute its waits from journaled times (outputs), never from "now".
/// - `describe` is what `plan` and `status` show.
public protocol Step: Sendable {
    func run(_ context: StepContext) async throws -> StepResult
    func check(_ context: StepContext) async throws -> CheckResult
    func undo(_ context: StepContext) async throws
    func compensate(_ context: StepContext) async throws -> StepResult
    func describe(_ step: PlannedStep) -> String
}

extension Step {
    public func compensate(_ context: StepContext) async throws -> StepResult {
        try await undo(context)
        return .done()
    }

    public func undo(_ context: StepContext) async throws {
        throw StepError(code: "NotUndoable", message: "\(context.step.id) has no undo", retryable: false)
    }

    public func describe(_ step: PlannedStep) -> String { step.title }
}

/// What an attempt achieved.
public enum StepResult: Sendable, Equatable {
    /// The effect happened. Outputs are journaled and visible to later steps.
    case done(outputs: [String: String] = [:])
    /// A polled condition is not met yet (an RDS snapshot still `creating`): the engine journals the
    /// progress and calls `run` again after `after` (or the step's retry interval), until the
    /// step's `timeout` from its first attempt.
    case notYet(progress: String, after: Duration? = nil)
}

/// What `check` observed.
public enum CheckResult: Sendable, Equatable {
    case done(outputs: [String: String] = [:])
    case notDone
    /// Cannot tell (e.g. the account is unreachable): the run waits for an operator decision.
    case unknown(reason: String)
}

/// A failure a step reports, with what an operator needs: the stable code decides retries.
public struct StepError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    public var code: String
    public var message: String
    public var retryable: Bool
    public var account: String?
    public var resource: String?
    public var requestId: String?

    public init(
        code: String, message: String, retryable: Bool, account: String? = nil, resource: String? = nil,
        requestId: String? = nil
    ) {
        self.code = code
        self.message = message
        self.retryable = retryable
        self.account = account
        self.resource = resource
        self.requestId = requestId
    }

    public var description: String {
        var parts = ["\(code): \(message)"]
        if let account { parts.append("account \(account)") }
        if let resource { parts.append("resource \(resource)") }
        if let requestId { parts.append("request ID \(requestId)") }
        return parts.joined(separator: ", ")
    }

    /// Any error, as the engine journals it. Errors that are not `StepError` are not retried unless
    /// a policy names their code.
    public init(_ error: any Error) {
        if let stepError = error as? StepError {
            self = stepError
        } else {
            self.init(code: "\(type(of: error))", message: String(describing: error), retryable: false)
        }
    }
}

/// An AWS call a step made, journaled as it happens so the audit log can be matched to CloudTrail.
public struct AWSCallRecord: Sendable, Hashable, Codable {
    public var service: String
    public var operation: String
    public var account: String?
    public var region: String?
    public var resource: String?
    public var requestId: String?
    /// `ok` or the error code.
    public var outcome: String
    /// Transport-level retries the client made for this call.
    public var retries: Int
    public var mutating: Bool
    /// How many calls of the same operation this one record stands for, when a bulk step
    /// journals its successful calls in batches (`AWSCallBatch`; then `requestId` lists their
    /// request IDs, space-separated, and `resource` names the batch). Absent: one call.
    public var calls: Int?
    /// The S3 versions a version-preserving copy created, one per source version or delete marker
    /// copied by the calls of this record (`cutoverctl audit export --version-map` writes them
    /// out). Absent for every other call.
    public var versionMap: [VersionCopy]?

    /// One source version (or delete marker) and the version its copy got in the destination.
    public struct VersionCopy: Sendable, Hashable, Codable {
        public var key: String
        public var sourceVersionId: String
        public var versionId: String
        /// True when the entry is a delete marker (reproduced by a DeleteObject without version).
        public var deleteMarker: Bool?
        /// The entry's place in the key's history, 1 = oldest (versions and markers are journaled
        /// in separate records, one per operation).
        public var position: Int?

        public init(key: String, sourceVersionId: String, versionId: String, deleteMarker: Bool = false, position: Int? = nil) {
            self.key = key
            self.sourceVersionId = sourceVersionId
            self.versionId = versionId
            self.deleteMarker = deleteMarker ? true : nil
            self.position = position
        }
    }

    /// The number of calls the record stands for.
    public var callCount: Int { calls ?? 1 }

    public init(
        service: String, operation: String, account: String?, region: String?, resource: String?,
        requestId: String?, outcome: String, retries: Int = 0, mutating: Bool, calls: Int? = nil,
        versionMap: [VersionCopy]? = nil
    ) {
        self.calls = calls
        self.versionMap = versionMap
        self.service = service
        self.operation = operation
        self.account = account
        self.region = region
        self.resource = resource
        self.requestId = requestId
        self.outcome = outcome
        self.retries = retries
        self.mutating = mutating
    }
}
