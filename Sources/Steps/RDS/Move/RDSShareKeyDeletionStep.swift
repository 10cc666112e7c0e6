import AWSClient
import AWSServices
import Engine
import Foundation
import Runbook

/// `rds.schedule-share-key-deletion` (`sourceShareKey: create`; after an approval whose message
/// states the pending window): ScheduleKeyDeletion of the key the run created, once nothing uses
/// it — the target's copy is re-encrypted with the target's key and available, and the share
/// copy is removed (AWS-NOTES-2 KMS-4). KMS keeps the key `PendingDeletion` for the window
/// (`shareKeyDeletionDays`, 7–30, default 30), in which CancelKeyDeletion can still bring it back.
/// Idempotent: a key already pending deletion is done; `check` reads the key's state. Nothing to
/// undo: rollback has no use for the key either.
struct RDSShareKeyDeletionStep: Step {
    static let type = "rds.schedule-share-key-deletion"
    let sessions: any AccountSessions

    func run(_ context: StepContext) async throws -> StepResult {
        let key = try RDSShareKeyContext(context, sessions: sessions)
        guard let existing = try await key.runKey() else {
            return .done(outputs: ["status": "gone"])
        }
        if existing.keyState == "PendingDeletion" { return .done(outputs: Self.outputs(existing, days: key.inputs.shareKeyDeletionDays)) }
        let deletion = try await Self.schedule(existing, key)
        return .done(outputs: [
            "keyArn": existing.arn ?? existing.keyId, "status": "PendingDeletion",
            "deletionDate": deletion.deletionDate.map(RDSLookup.format) ?? "",
            "pendingWindowInDays": String(deletion.pendingWindowInDays ?? key.inputs.shareKeyDeletionDays),
        ])
    }

    func check(_ context: StepContext) async throws -> CheckResult {
        let key = try RDSShareKeyContext(context, sessions: sessions)
        guard let existing = try await key.runKey() else { return .done(outputs: ["status": "gone"]) }
        return existing.keyState == "PendingDeletion" ? .done(outputs: Self.outputs(existing, days: key.inputs.shareKeyDeletionDays)) : .notDone
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
                let deletion = try await kms.scheduleKeyDeletion(keyId: metadata.keyId, pendingWindowInDays: key.inputs.shareKeyDeletionDays)
                return (deletion, deletion.requestId)
            }
        } catch let error as StepError where error.code == .kmsInvalidState {
            let now = try await AWSCallBoundary.read(account: key.sourceAccount, resource: arn) { try await kms.describeKey(keyId: arn) }
            guard now.keyState == "PendingDeletion" else { throw error }
            return KMSKeyDeletion(keyId: arn, deletionDate: now.deletionDate, keyState: now.keyState)
        }
    }

    private static func outputs(_ metadata: KMSKeyMetadata, days: Int) -> [String: String] {
        [
            "keyArn": metadata.arn ?? metadata.keyId, "status": "PendingDeletion",
            "deletionDate": metadata.deletionDate.map(RDSLookup.format) ?? "", "pendingWindowInDays": String(days),
        ]
    }
}
