import AWSServices
import Engine
import Foundation
import Runbook

/// `rds.copy-shared-cluster-snapshot`: in the target, CopyDBClusterSnapshot of the shared
/// snapshot by its ARN, re-encrypted with the target's own key (KmsKeyId is mandatory for an
/// encrypted shared snapshot, and an error for an unencrypted one), tags copied and the run's tag
/// added. Idempotent by the copy's identifier; `check` describes it in the target. Undo deletes
/// the copy if this run made it.
struct RDSClusterCopyStep: Step {
    let sessions: any AccountSessions

    func run(_ context: StepContext) async throws -> StepResult {
        let move = try RDSClusterMoveContext(context, sessions: sessions)
        if let existing = try await move.targetSnapshot() { return .done(outputs: try outputs(existing, move)) }
        let source = try await move.sourceSnapshot()
        guard let sourceArn = move.output(of: "snapshot", "snapshotArn").flatMap({ $0.isEmpty ? nil : $0 }) ?? source?.arn else {
            throw StepError(code: "DBClusterSnapshotNotFoundFault", message: "cluster snapshot \(move.snapshotId) is gone from \(move.settings.from)",
                            retryable: false, account: move.sourceAccount, resource: move.snapshotId)
        }
        let encrypted = source?.storageEncrypted ?? (move.output(of: "preflight", "sourceEncrypted") == "true")
        let request = CopyDBClusterSnapshotRequest(
            sourceSnapshotIdentifier: sourceArn, targetSnapshotIdentifier: move.copyId,
            kmsKeyId: encrypted ? move.output(of: "preflight", "targetKeyArn") ?? move.settings.kmsKey : nil, copyTags: true,
            tags: move.runTags("copy"))
        let client = try await move.targetRDS()
        do {
            let copy = try await move.journal.mutate(
                service: "rds", operation: "CopyDBClusterSnapshot", account: move.targetAccount, resource: move.copyId
            ) {
                let result = try await client.copyDBClusterSnapshot(request)
                return (result.value, result.requestId)
            }
            return .done(outputs: try outputs(copy, move))
        } catch let error as StepError where error.code == "DBClusterSnapshotAlreadyExistsFault" {
            guard let existing = try await move.targetSnapshot() else { throw error }
            return .done(outputs: try outputs(existing, move))
        }
    }

    func check(_ context: StepContext) async throws -> CheckResult {
        let move = try RDSClusterMoveContext(context, sessions: sessions)
        guard let existing = try await move.targetSnapshot() else { return .notDone }
        return .done(outputs: try outputs(existing, move))
    }

    func undo(_ context: StepContext) async throws {
        let move = try RDSClusterMoveContext(context, sessions: sessions)
        try await RDSClusterSnapshotCleanup.delete(
            try await move.targetSnapshot(), in: move.settings.to, move: move, client: try await move.targetRDS(), account: move.targetAccount)
    }

    /// A snapshot with the copy's name must be a copy made by this run.
    private func outputs(_ copy: RDSDBClusterSnapshot, _ move: RDSClusterMoveContext) throws -> [String: String] {
        guard move.createdByThisRun(copy.tags) else {
            throw StepError(
                code: "SnapshotNameTaken",
                message: "\(move.settings.to) already has a cluster snapshot `\(copy.identifier)` that this run did not copy; "
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
