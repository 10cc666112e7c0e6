import AWSServices
import Engine
import Foundation
import Runbook

/// `rds.snapshot-instance`, `rds.snapshot-cluster`: a manual snapshot of the source instance or
/// cluster, idempotent by identifier — an existing snapshot of the same source with that name is
/// the result (after a crash, or one the runbook names). Undo deletes it, but only when this run
/// created it.
struct RDSSnapshotStep<Kind: RDSResourceKind>: RDSMoveStep {
    let sessions: any AccountSessions

    /// The snapshot, when RDS began it, and whether this run made it (undo deletes only then).
    struct Outputs: Encodable, Sendable {
        var snapshot: String
        var snapshotArn: String
        var startedAt: Date
        var createdByRun: Bool
    }

    func run(_ settings: Kind.Settings, _ context: StepContext) async throws -> TypedStepResult<Outputs> {
        let move = work(context, settings)
        if let existing = try await move.sourceSnapshot() { return .done(try outputs(existing, move)) }
        let client = try await move.sourceRDS()
        do {
            let created = try await move.calls.mutate(Kind.createSnapshotOperation, account: move.sourceAccount, resource: move.snapshotId)
            {
                let result = try await Kind.createSnapshot(
                    move.snapshotId, of: move.settings.source, tags: move.runTags("snapshot"), client: client)
                return (result.value, result.requestId)
            }
            return .done(try outputs(created, move))
        } catch let error as StepError where error.code == Kind.snapshotAlreadyExists || error.code == Kind.sourceBusy {
            // Created between our describe and create (another attempt), or by this very call whose
            // answer was lost, the client's resend then finding the source `backing-up`: take it
            // if it is ours to take.
            guard let existing = try await move.sourceSnapshot() else { throw error }
            return .done(try outputs(existing, move))
        }
    }

    func check(_ context: StepContext) async throws -> CheckResult {
        let move = try work(context)
        guard let existing = try await move.sourceSnapshot() else { return .notDone }
        return try .done(outputs(existing, move))
    }

    func undo(_ context: StepContext) async throws {
        let move = try work(context)
        try await RDSSnapshotCleanup.delete(
            try await move.sourceSnapshot(), in: move.settings.from, move: move, client: try await move.sourceRDS(),
            account: move.sourceAccount)
    }

    func describe(_ step: PlannedStep) -> String { step.title }

    /// The snapshot must be of the instance or cluster being moved, else the name is taken by something else.
    private func outputs(_ snapshot: Kind.Snapshot, _ move: RDSMoveContext<Kind>) throws -> Outputs {
        let s = move.settings
        guard snapshot.sourceIdentifier?.lowercased() == s.source.lowercased() else {
            throw StepError(
                code: "SnapshotNameTaken",
                message:
                    "\(Kind.snapshotNoun) `\(snapshot.identifier)` in \(s.from) is of `\(snapshot.sourceIdentifier ?? "?")`, not `\(s.source)`; "
                    + "name another one in `with.snapshot`",
                retryable: false, account: move.sourceAccount, resource: snapshot.arn ?? snapshot.identifier)
        }
        return Outputs(
            snapshot: snapshot.identifier, snapshotArn: snapshot.arn ?? "", startedAt: snapshot.snapshotCreateTime ?? move.now(),
            createdByRun: move.createdByThisRun(snapshot.tags))
    }
}
