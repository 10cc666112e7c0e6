import AWSClient
import AWSServices
import Engine
import Foundation
import Runbook

/// `rds.schedule-share-key-deletion` (`sourceShareKey: create`, or `auto`; after an approval whose
/// message states the pending window — with `auto` asked only if `share-key` created a key, else
/// the step completes at once as `not needed`): ScheduleKeyDeletion of the key the run created, once nothing uses
/// it — the target's copy is re-encrypted with the target's key and available, and the share
/// copy is removed (AWS-NOTES-2 KMS-4). KMS keeps the key `PendingDeletion` for the window
/// (`shareKeyDeletionDays`, 7–30, default 30), in which CancelKeyDeletion can still bring it back.
/// Idempotent: a key already pending deletion is done; `check` reads the key's state. Nothing to
/// undo: rollback has no use for the key either.
struct RDSShareKeyDeletionStep: SessionStep {
    typealias Work = RDSShareKeyContext
    static let type = "rds.schedule-share-key-deletion"
    let sessions: any AccountSessions

    /// The key pending deletion, when KMS deletes it and the window — or `gone` (no key left).
    struct Outputs: Encodable, Sendable {
        enum Status: String, Encodable, Sendable {
            case pendingDeletion = "PendingDeletion"
            case gone
            /// `sourceShareKey: auto` and the source was not on aws/rds: the run made no key.
            case notNeeded = "not needed"
        }
        var keyArn: String?
        var status: Status
        var deletionDate: Date?
        var pendingWindowInDays: Int?

        static let gone = Outputs(status: .gone)
        static let notNeeded = Outputs(status: .notNeeded)

        init(status: Status, keyArn: String? = nil, deletionDate: Date? = nil, pendingWindowInDays: Int? = nil) {
            self.status = status
            self.keyArn = keyArn
            self.deletionDate = deletionDate
            self.pendingWindowInDays = pendingWindowInDays
        }

        init(_ metadata: KMSKeyMetadata, days: Int) {
            self.init(
                status: .pendingDeletion, keyArn: metadata.arn ?? metadata.keyId, deletionDate: metadata.deletionDate,
                pendingWindowInDays: days)
        }
    }

    func run(_ inputs: RDSMoveCommonInputs, _ context: StepContext) async throws -> TypedStepResult<Outputs> {
        let key = work(context, inputs)
        if key.notNeeded { return .done(.notNeeded) }
        guard let existing = try await key.runKey() else { return .done(.gone) }
        if existing.keyState == "PendingDeletion" { return .done(Outputs(existing, days: inputs.shareKeyDeletionDays)) }
        let deletion = try await Self.schedule(existing, key)
        return .done(
            Outputs(
                status: .pendingDeletion, keyArn: existing.arn ?? existing.keyId, deletionDate: deletion.deletionDate,
                pendingWindowInDays: deletion.pendingWindowInDays ?? inputs.shareKeyDeletionDays))
    }

    func check(_ context: StepContext) async throws -> CheckResult {
        let key = try work(context)
        if key.notNeeded { return try .done(Outputs.notNeeded) }
        guard let existing = try await key.runKey() else { return try .done(Outputs.gone) }
        return existing.keyState == "PendingDeletion" ? try .done(Outputs(existing, days: key.inputs.shareKeyDeletionDays)) : .notDone
    }

    /// ScheduleKeyDeletion with the run's window; a key that became pending meanwhile (a lost
    /// answer, then the resend) is KMSInvalidStateException, which counts as done.
    @discardableResult
    static func schedule(_ metadata: KMSKeyMetadata, _ key: RDSShareKeyContext) async throws -> KMSKeyDeletion {
        let kms = try await key.sourceKMS()
        let arn = metadata.arn ?? metadata.keyId
        do {
            return try await key.calls.mutate("ScheduleKeyDeletion", account: key.sourceAccount, resource: arn) {
                // By key ID: the key is the caller's own (moto fails on an ARN here, see the conformance test).
                let deletion = try await kms.scheduleKeyDeletion(
                    keyId: metadata.keyId, pendingWindowInDays: key.inputs.shareKeyDeletionDays)
                return (deletion, deletion.requestId)
            }
        } catch let error as StepError where error.code == .kmsInvalidState {
            let now = try await AWSCallBoundary.read(account: key.sourceAccount, resource: arn) { try await kms.describeKey(keyId: arn) }
            guard now.keyState == "PendingDeletion" else { throw error }
            return KMSKeyDeletion(keyId: arn, deletionDate: now.deletionDate, keyState: now.keyState)
        }
    }
}
