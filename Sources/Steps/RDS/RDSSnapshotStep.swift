import AWSServices
import Engine
import Foundation
import Runbook

/// `rds.snapshot-instance`: a manual snapshot of the source instance, idempotent by identifier —
/// an existing snapshot of the same instance with that name is the result (after a crash, or one
/// the runbook names). Undo deletes it, but only when this run created it.
struct RDSSnapshotStep: Step {
    let sessions: any AccountSessions

    func run(_ context: StepContext) async throws -> StepResult {
        let move = try RDSMoveContext(context, sessions: sessions)
        if let existing = try await move.sourceSnapshot() { return .done(outputs: try outputs(existing, move)) }
        let s = move.settings
        let client = try await move.sourceRDS()
        do {
            let created = try await move.journal.mutate(
                service: "rds", operation: "CreateDBSnapshot", account: move.sourceAccount, resource: move.snapshotId
            ) {
                let result = try await client.createDBSnapshot(
                    snapshotIdentifier: move.snapshotId, instanceIdentifier: s.instance, tags: move.runTags("snapshot"))
                return (result.value, result.requestId)
            }
            return .done(outputs: try outputs(created, move))
        } catch let error as StepError where error.code == "DBSnapshotAlreadyExists" || error.code == "InvalidDBInstanceState" {
            // Created between our describe and create (another attempt), or by this very call whose
            // answer was lost, the client's resend then finding the instance `backing-up`: take it
            // if it is ours to take.
            guard let existing = try await move.sourceSnapshot() else { throw error }
            return .done(outputs: try outputs(existing, move))
        }
    }

    func check(_ context: StepContext) async throws -> CheckResult {
        let move = try RDSMoveContext(context, sessions: sessions)
        guard let existing = try await move.sourceSnapshot() else { return .notDone }
        return .done(outputs: try outputs(existing, move))
    }

    func undo(_ context: StepContext) async throws {
        let move = try RDSMoveContext(context, sessions: sessions)
        guard let snapshot = try await move.sourceSnapshot(), snapshot.status != "deleted", snapshot.status != "deleting" else { return }
        guard move.createdByThisRun(snapshot.tags) else {
            await context.progress("snapshot \(snapshot.identifier) in \(move.settings.from) was not created by this run; kept")
            return
        }
        try await RDSSnapshotCleanup.delete(snapshot, move: move, client: try await move.sourceRDS(), account: move.sourceAccount)
    }

    func describe(_ step: PlannedStep) -> String { step.title }

    /// The snapshot must be of the instance being moved, else the name is taken by something else.
    private func outputs(_ snapshot: RDSDBSnapshot, _ move: RDSMoveContext) throws -> [String: String] {
        let s = move.settings
        guard snapshot.instanceIdentifier?.lowercased() == s.instance.lowercased() else {
            throw StepError(
                code: "SnapshotNameTaken",
                message: "snapshot `\(snapshot.identifier)` in \(s.from) is of `\(snapshot.instanceIdentifier ?? "?")`, not `\(s.instance)`; "
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
