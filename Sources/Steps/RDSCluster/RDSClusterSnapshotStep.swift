import AWSServices
import Engine
import Foundation
import Runbook

/// `rds.snapshot-cluster`: a manual cluster snapshot of the source cluster, idempotent by
/// identifier — an existing snapshot of the same cluster with that name is the result (after a
/// crash, or one the runbook names). Undo deletes it, but only when this run created it.
struct RDSClusterSnapshotStep: Step {
    let sessions: any AccountSessions

    func run(_ context: StepContext) async throws -> StepResult {
        let move = try RDSClusterMoveContext(context, sessions: sessions)
        if let existing = try await move.sourceSnapshot() { return .done(outputs: try outputs(existing, move)) }
        let client = try await move.sourceRDS()
        do {
            let created = try await move.journal.mutate(
                service: "rds", operation: "CreateDBClusterSnapshot", account: move.sourceAccount, resource: move.snapshotId
            ) {
                let result = try await client.createDBClusterSnapshot(
                    snapshotIdentifier: move.snapshotId, clusterIdentifier: move.settings.cluster, tags: move.runTags("snapshot"))
                return (result.value, result.requestId)
            }
            return .done(outputs: try outputs(created, move))
        } catch let error as StepError
            where error.code == "DBClusterSnapshotAlreadyExistsFault" || error.code == "InvalidDBClusterStateFault" {
            // As for instances: a lost answer whose resend met the cluster `backing-up` made it already.
            guard let existing = try await move.sourceSnapshot() else { throw error }
            return .done(outputs: try outputs(existing, move))
        }
    }

    func check(_ context: StepContext) async throws -> CheckResult {
        let move = try RDSClusterMoveContext(context, sessions: sessions)
        guard let existing = try await move.sourceSnapshot() else { return .notDone }
        return .done(outputs: try outputs(existing, move))
    }

    func undo(_ context: StepContext) async throws {
        let move = try RDSClusterMoveContext(context, sessions: sessions)
        try await RDSClusterSnapshotCleanup.delete(
            try await move.sourceSnapshot(), in: move.settings.from, move: move, client: try await move.sourceRDS(), account: move.sourceAccount)
    }

    /// The snapshot must be of the cluster being moved, else the name is taken by something else.
    private func outputs(_ snapshot: RDSDBClusterSnapshot, _ move: RDSClusterMoveContext) throws -> [String: String] {
        let s = move.settings
        guard snapshot.clusterIdentifier?.lowercased() == s.cluster.lowercased() else {
            throw StepError(
                code: "SnapshotNameTaken",
                message: "cluster snapshot `\(snapshot.identifier)` in \(s.from) is of `\(snapshot.clusterIdentifier ?? "?")`, not `\(s.cluster)`; "
                    + "name another one in `with.snapshot`",
                retryable: false, account: move.sourceAccount, resource: snapshot.arn ?? snapshot.identifier)
        }
        return [
            "snapshot": snapshot.identifier,
            "snapshotArn": snapshot.arn ?? "",
            "startedAt": RDSMoveContext.format(snapshot.snapshotCreateTime ?? move.now()),
            "createdByRun": String(move.createdByThisRun(snapshot.tags)),
        ]
    }
}
