import AWSServices
import Engine

/// Deleting a snapshot or its copy for undo: only one carrying this run's tag (others are kept,
/// and said so), idempotent (gone is done), and one still being created or copied is a retryable
/// failure (RDS deletes only `available` snapshots).
enum RDSSnapshotCleanup {
    static func delete<Kind: RDSResourceKind>(
        _ snapshot: Kind.Snapshot?, in accountName: String, move: RDSMoveContext<Kind>, client: RDSClient, account: String
    ) async throws {
        guard let snapshot, snapshot.status != "deleted", snapshot.status != "deleting" else { return }
        let resource = snapshot.arn ?? snapshot.identifier
        guard move.createdByThisRun(snapshot.tags) else {
            await move.step.progress("\(Kind.snapshotNoun) \(snapshot.identifier) in \(accountName) was not created by this run; kept")
            return
        }
        guard snapshot.status == "available" || snapshot.status == "failed" else {
            throw StepError(
                code: Kind.snapshotNotDeletable.name,
                message: "\(Kind.snapshotNoun) \(snapshot.identifier) is \(snapshot.status); it can be deleted once it is available",
                retryable: true, account: account, resource: resource)
        }
        do {
            _ = try await move.calls.mutate(Kind.deleteSnapshotOperation, account: account, resource: resource) {
                let result = try await Kind.deleteSnapshot(snapshot.identifier, client: client)
                return (result.value, result.requestId)
            }
        } catch let error as StepError where error.code == Kind.snapshotNotFound {
            return
        }
    }
}
