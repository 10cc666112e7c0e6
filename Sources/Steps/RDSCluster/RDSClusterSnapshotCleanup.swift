import AWSServices
import Engine

/// Deleting a cluster snapshot the move created, for undo: only one carrying this run's tag
/// (others are kept, and said so), idempotent (gone is done), and one still being created or
/// copied is a retryable failure (RDS deletes only `available` snapshots).
enum RDSClusterSnapshotCleanup {
    static func delete(_ snapshot: RDSDBClusterSnapshot?, in accountName: String, move: RDSClusterMoveContext, client: RDSClient, account: String) async throws {
        guard let snapshot, snapshot.status != "deleted", snapshot.status != "deleting" else { return }
        let resource = snapshot.arn ?? snapshot.identifier
        guard move.createdByThisRun(snapshot.tags) else {
            await move.step.progress("cluster snapshot \(snapshot.identifier) in \(accountName) was not created by this run; kept")
            return
        }
        guard snapshot.status == "available" || snapshot.status == "failed" else {
            throw StepError(
                code: "InvalidDBClusterSnapshotStateFault",
                message: "cluster snapshot \(snapshot.identifier) is \(snapshot.status); it can be deleted once it is available",
                retryable: true, account: account, resource: resource)
        }
        do {
            _ = try await move.journal.mutate(service: "rds", operation: "DeleteDBClusterSnapshot", account: account, resource: resource) {
                let result = try await client.deleteDBClusterSnapshot(snapshotIdentifier: snapshot.identifier)
                return (result.value, result.requestId)
            }
        } catch let error as StepError where error.code == "DBClusterSnapshotNotFoundFault" {
            return
        }
    }
}
