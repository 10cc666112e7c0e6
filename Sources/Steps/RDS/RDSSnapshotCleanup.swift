import AWSServices
import Engine

/// Deleting a snapshot the move created, for undo: idempotent (gone is done), and a snapshot still
/// being created or copied is a retryable failure (RDS deletes only `available` snapshots).
enum RDSSnapshotCleanup {
    static func delete(_ snapshot: RDSDBSnapshot, move: RDSMoveContext, client: RDSClient, account: String) async throws {
        guard snapshot.status == "available" || snapshot.status == "failed" else {
            throw StepError(
                code: "InvalidDBSnapshotState",
                message: "snapshot \(snapshot.identifier) is \(snapshot.status); it can be deleted once it is available",
                retryable: true, account: account, resource: snapshot.arn ?? snapshot.identifier)
        }
        do {
            _ = try await move.journal.mutate(
                service: "rds", operation: "DeleteDBSnapshot", account: account, resource: snapshot.arn ?? snapshot.identifier
            ) {
                let result = try await client.deleteDBSnapshot(snapshotIdentifier: snapshot.identifier)
                return (result.value, result.requestId)
            }
        } catch let error as StepError where error.code == "DBSnapshotNotFound" || error.code == "DBSnapshotNotFoundFault" {
            return
        }
    }
}
