import AWSServices
import Engine
import Foundation
import Runbook

/// `rds.copy-shared-snapshot`: in the target, CopyDBSnapshot of the shared snapshot by its ARN,
/// re-encrypted with the target's own key (so nothing depends on the source key afterwards), tags
/// copied and the run's tag added. Idempotent by the copy's identifier; `check` describes it in
/// the target. Undo deletes the copy if this run made it.
struct RDSCopyStep: Step {
    let sessions: any AccountSessions

    func run(_ context: StepContext) async throws -> StepResult {
        let move = try RDSMoveContext(context, sessions: sessions)
        if let existing = try await move.targetSnapshot() { return .done(outputs: try outputs(existing, move)) }
        let sourceArn = try await self.sourceArn(move)
        let keyArn = move.output(of: "preflight", "targetKeyArn") ?? move.settings.kmsKey
        let client = try await move.targetRDS()
        let request = CopyDBSnapshotRequest(
            sourceSnapshotIdentifier: sourceArn, targetSnapshotIdentifier: move.copyId, kmsKeyId: keyArn, copyTags: true,
            tags: move.runTags("copy"))
        do {
            let copy = try await move.journal.mutate(
                service: "rds", operation: "CopyDBSnapshot", account: move.targetAccount, resource: move.copyId
            ) {
                let result = try await client.copyDBSnapshot(request)
                return (result.value, result.requestId)
            }
            return .done(outputs: try outputs(copy, move))
        } catch let error as StepError where error.code == "DBSnapshotAlreadyExists" {
            guard let existing = try await move.targetSnapshot() else { throw error }
            return .done(outputs: try outputs(existing, move))
        }
    }

    func check(_ context: StepContext) async throws -> CheckResult {
        let move = try RDSMoveContext(context, sessions: sessions)
        guard let existing = try await move.targetSnapshot() else { return .notDone }
        return .done(outputs: try outputs(existing, move))
    }

    func undo(_ context: StepContext) async throws {
        let move = try RDSMoveContext(context, sessions: sessions)
        guard let copy = try await move.targetSnapshot(), copy.status != "deleted", copy.status != "deleting" else { return }
        guard move.createdByThisRun(copy.tags) else {
            await context.progress("snapshot \(copy.identifier) in \(move.settings.to) was not created by this run; kept")
            return
        }
        try await RDSSnapshotCleanup.delete(copy, move: move, client: try await move.targetRDS(), account: move.targetAccount)
    }

    /// The shared snapshot's ARN: from the snapshot primitive, else as the source describes it.
    private func sourceArn(_ move: RDSMoveContext) async throws -> String {
        if let arn = move.output(of: "snapshot", "snapshotArn"), !arn.isEmpty { return arn }
        guard let snapshot = try await move.sourceSnapshot(), let arn = snapshot.arn else {
            throw StepError(code: "DBSnapshotNotFound", message: "snapshot \(move.snapshotId) is gone from \(move.settings.from)",
                            retryable: false, account: move.sourceAccount, resource: move.snapshotId)
        }
        return arn
    }

    /// A snapshot with the copy's name must be a copy of the shared snapshot made by this run.
    private func outputs(_ copy: RDSDBSnapshot, _ move: RDSMoveContext) throws -> [String: String] {
        guard move.createdByThisRun(copy.tags) else {
            throw StepError(
                code: "SnapshotNameTaken",
                message: "\(move.settings.to) already has a snapshot `\(copy.identifier)` that this run did not copy; "
                    + "name another snapshot in `with.snapshot` or remove it",
                retryable: false, account: move.targetAccount, resource: copy.arn ?? copy.identifier)
        }
        return [
            "copy": copy.identifier,
            "copyArn": copy.arn ?? "",
            "kmsKeyId": copy.kmsKeyId ?? "",
            "startedAt": RDSMoveContext.format(copy.snapshotCreateTime ?? move.now()),
        ]
    }
}
