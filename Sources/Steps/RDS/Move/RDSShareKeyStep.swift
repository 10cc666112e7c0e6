import AWSClient
import AWSServices
import Engine
import Foundation
import Runbook

/// `rds.create-share-key` (`sourceShareKey: create`, or `auto` with a source on aws/rds): a symmetric customer managed key in the
/// source account for the snapshot copy that is shared, with a key policy granting the target
/// account only what the copy needs (`RDSShareKeyContext.keyPolicy`), tagged with the run. Found
/// by its tags on every attempt and by `check`, so a crash never makes a second key.
///
/// Undo schedules the key's deletion — after an approval that states the pending window (KMS
/// deletes nothing for 7–30 days, and CancelKeyDeletion can bring the key back until then).
/// A key already pending deletion is left as it is. With `auto` and a source the preflight found
/// shareable as it is, it completes at once as `not needed`, and its undo finds no key of the run.
struct RDSShareKeyStep: SessionStep {
    typealias Work = RDSShareKeyContext
    static let type = "rds.create-share-key"
    let sessions: any AccountSessions

    /// The run's key, by ARN (what the share copy is encrypted with) and ID, and whether there is
    /// one: `not needed` (`sourceShareKey: auto`, the source is not on aws/rds) leaves both empty.
    /// The key deletion's approval is asked only if `status` is `created`.
    struct Outputs: Encodable, Sendable {
        enum Status: String, Encodable, Sendable {
            case created
            case notNeeded = "not needed"
        }
        var keyArn: String
        var keyId: String
        var status: Status
        /// Why nothing was created, in words for the audit.
        var note: String?

        init(keyArn: String, keyId: String, status: Status = .created, note: String? = nil) {
            self.keyArn = keyArn
            self.keyId = keyId
            self.status = status
            self.note = note
        }

        static let notNeeded = Outputs(
            keyArn: "", keyId: "", status: .notNeeded,
            note: "not needed: the preflight found the source unencrypted or under a customer managed key, which can be shared as it is")
    }

    func run(_ inputs: RDSMoveCommonInputs, _ context: StepContext) async throws -> TypedStepResult<Outputs> {
        let key = work(context, inputs)
        if key.notNeeded { return .done(.notNeeded) }
        if let existing = try await key.runKey() { return .done(try outputs(existing, key)) }
        let source = try await key.accountId(key.inputs.from)
        let target = try await key.accountId(key.inputs.to)
        let request = CreateKeyRequest(
            description: "Cutover run \(context.runId): encrypts the copy of the snapshot shared with \(key.inputs.to) (\(target)); "
                + "scheduled for deletion when the move is done",
            policy: RDSShareKeyContext.keyPolicy(source: source, target: target), tags: key.keyTags)
        let kms = try await key.sourceKMS()
        let created = try await key.calls.mutate("CreateKey", account: key.sourceAccount, resource: "share key of \(context.step.origin)") {
            try await kms.createKey(request)
        }
        return .done(try outputs(created, key))
    }

    func check(_ context: StepContext) async throws -> CheckResult {
        let key = try work(context)
        if key.notNeeded { return try .done(Outputs.notNeeded) }
        guard let existing = try await key.runKey() else { return .notDone }
        return try .done(outputs(existing, key))
    }

    func undo(_ context: StepContext) async throws {
        let key = try work(context)
        guard let existing = try await key.runKey(), existing.keyState != "PendingDeletion" else { return }
        try await RDSShareKeyDeletionStep.schedule(existing, key)
    }

    /// A key pending deletion cannot encrypt the share copy: that is a state to stop on.
    private func outputs(_ metadata: KMSKeyMetadata, _ key: RDSShareKeyContext) throws -> Outputs {
        if metadata.keyState == "PendingDeletion" {
            throw StepError(
                code: StepErrorCode.shareKeyPendingDeletion,
                message: "the run's share key \(metadata.arn ?? metadata.keyId) in \(key.inputs.from) is pending deletion; "
                    + "cancel it (aws kms cancel-key-deletion, then enable-key) and retry, or roll back",
                retryable: false, account: key.sourceAccount, resource: metadata.arn ?? metadata.keyId)
        }
        return Outputs(keyArn: metadata.arn ?? metadata.keyId, keyId: metadata.keyId)
    }
}
