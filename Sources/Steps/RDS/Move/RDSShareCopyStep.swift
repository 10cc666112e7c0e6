import AWSServices
import Engine
import Foundation
import Runbook

/// `rds.copy-snapshot-for-share`, `rds.copy-cluster-snapshot-for-share`: in the source account,
/// a copy of the run's snapshot re-encrypted under the share key (`sourceShareKey`), so that
/// what is shared is not under the AWS managed `aws/rds` key, which no other account may use
/// (AWS-NOTES §5.1; AWSSupport-ShareRDSSnapshot does the same, AWS-NOTES-2 KMS-1). CreateDBSnapshot
/// has no KmsKeyId, so a copy is the only way to change the key. Idempotent by the copy's
/// identifier (`<snapshot>-share`); `check` describes it. Undo deletes it if this run made it.
/// With `sourceShareKey: auto` and a source not on aws/rds, it completes at once as not needed.
struct RDSShareCopyStep<Kind: RDSResourceKind>: RDSMoveStep {
    let sessions: any AccountSessions

    /// The copy under the share key, its key, and when RDS began it (the wait counts from then).
    struct Outputs: Encodable, Sendable {
        var shareCopy: String
        var shareCopyArn: String
        var kmsKeyId: String
        var startedAt: Date
        /// Set when there is no copy: `sourceShareKey: auto` and the source is not on aws/rds.
        var note: String?
    }

    func run(_ settings: Kind.Settings, _ context: StepContext) async throws -> TypedStepResult<Outputs> {
        let move = work(context, settings)
        if !move.rekeys { return .done(notNeeded(move)) }
        if let existing = try await move.shareCopy() { return .done(try outputs(existing, move)) }
        guard let key = move.shareKeyArn, !key.isEmpty else {
            throw StepError(
                code: StepErrorCode.invalidInputs, message: "the share key is unknown: re-run `share-key` or the preflight",
                retryable: false, account: move.sourceAccount, resource: move.shareCopyId)
        }
        let recorded = move.output(of: "snapshot", "snapshotArn").flatMap { $0.isEmpty ? nil : $0 }
        var sourceArn = recorded
        if sourceArn == nil { sourceArn = try await move.sourceSnapshot()?.arn }
        guard let sourceArn else {
            throw StepError(
                code: Kind.snapshotNotFound.name, message: "\(Kind.snapshotNoun) \(move.snapshotId) is gone from \(move.settings.from)",
                retryable: false, account: move.sourceAccount, resource: move.snapshotId)
        }
        let client = try await move.sourceRDS()
        do {
            let copy = try await move.calls.mutate(Kind.copyOperation, account: move.sourceAccount, resource: move.shareCopyId) {
                let result = try await Kind.copy(
                    from: sourceArn, to: move.shareCopyId, kmsKeyId: key, tags: move.runTags("rekey"), client: client)
                return (result.value, result.requestId)
            }
            return .done(try outputs(copy, move))
        } catch let error as StepError where error.code == Kind.snapshotAlreadyExists {
            guard let existing = try await move.shareCopy() else { throw error }
            return .done(try outputs(existing, move))
        }
    }

    func check(_ context: StepContext) async throws -> CheckResult {
        let move = try work(context)
        if !move.rekeys { return try .done(notNeeded(move)) }
        guard let existing = try await move.shareCopy() else { return .notDone }
        return try .done(outputs(existing, move))
    }

    func undo(_ context: StepContext) async throws {
        let move = try work(context)
        try await RDSSnapshotCleanup.delete(
            try await move.shareCopy(), in: move.settings.from, move: move, client: try await move.sourceRDS(), account: move.sourceAccount)
    }

    /// `auto` with a source not on aws/rds: the snapshot itself is shared; nothing to copy.
    private func notNeeded(_ move: RDSMoveContext<Kind>) -> Outputs {
        Outputs(
            shareCopy: "", shareCopyArn: "", kmsKeyId: "", startedAt: move.startedAt(of: "snapshot") ?? move.now(),
            note: "not needed: the source is not on aws/rds, so \(move.snapshotId) is shared as it is")
    }

    /// A snapshot with the share copy's name must be this run's copy.
    private func outputs(_ copy: Kind.Snapshot, _ move: RDSMoveContext<Kind>) throws -> Outputs {
        guard move.createdByThisRun(copy.tags) else {
            throw StepError(
                code: "SnapshotNameTaken",
                message: "\(move.settings.from) already has a \(Kind.snapshotNoun) `\(copy.identifier)` that this run did not copy; "
                    + "name another snapshot in `with.snapshot` or remove it",
                retryable: false, account: move.sourceAccount, resource: copy.arn ?? copy.identifier)
        }
        return Outputs(
            shareCopy: copy.identifier, shareCopyArn: copy.arn ?? "", kmsKeyId: copy.kmsKeyId ?? "",
            startedAt: copy.snapshotCreateTime ?? move.now())
    }
}
