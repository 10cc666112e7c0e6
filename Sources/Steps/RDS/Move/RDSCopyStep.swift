import AWSServices
import Engine
import Foundation
import Runbook

/// `rds.copy-shared-snapshot`, `rds.copy-shared-cluster-snapshot`: in the target, a copy of the
/// shared snapshot by its ARN, re-encrypted with the target's own key (so nothing depends on the
/// source key afterwards), tags copied and the run's tag added. Idempotent by the copy's
/// identifier; `check` describes it in the target. Undo deletes the copy if this run made it.
struct RDSCopyStep<Kind: RDSResourceKind>: RDSMoveStep {
    let sessions: any AccountSessions

    /// The copy in the target, its key, and when RDS began it (the wait counts from then).
    struct Outputs: Encodable, Sendable {
        var copy: String
        var copyArn: String
        var kmsKeyId: String
        var startedAt: Date
    }

    func run(_ settings: Kind.Settings, _ context: StepContext) async throws -> TypedStepResult<Outputs> {
        let move = work(context, settings)
        if let existing = try await move.targetSnapshot() { return .done(try outputs(existing, move)) }
        let source = try await Kind.copySource(move)
        guard let sourceArn = source.arn else {
            throw StepError(
                code: Kind.snapshotNotFound.name,
                message: "\(Kind.snapshotNoun) \(move.sharedSnapshotId) is gone from \(move.settings.from)",
                retryable: false, account: move.sourceAccount, resource: move.sharedSnapshotId)
        }
        let client = try await move.targetRDS()
        do {
            let copy = try await move.calls.mutate(Kind.copyOperation, account: move.targetAccount, resource: move.copyId) {
                let result = try await Kind.copy(
                    from: sourceArn, to: move.copyId, kmsKeyId: source.kmsKeyId, tags: move.runTags("copy"), client: client)
                return (result.value, result.requestId)
            }
            return .done(try outputs(copy, move))
        } catch let error as StepError where error.code == Kind.snapshotAlreadyExists {
            guard let existing = try await move.targetSnapshot() else { throw error }
            return .done(try outputs(existing, move))
        }
    }

    func check(_ context: StepContext) async throws -> CheckResult {
        let move = try work(context)
        guard let existing = try await move.targetSnapshot() else { return .notDone }
        return try .done(outputs(existing, move))
    }

    func undo(_ context: StepContext) async throws {
        let move = try work(context)
        try await RDSSnapshotCleanup.delete(
            try await move.targetSnapshot(), in: move.settings.to, move: move, client: try await move.targetRDS(),
            account: move.targetAccount)
    }

    /// A snapshot with the copy's name must be a copy of the shared snapshot made by this run.
    private func outputs(_ copy: Kind.Snapshot, _ move: RDSMoveContext<Kind>) throws -> Outputs {
        guard move.createdByThisRun(copy.tags) else {
            throw StepError(
                code: "SnapshotNameTaken",
                message: "\(move.settings.to) already has a \(Kind.snapshotNoun) `\(copy.identifier)` that this run did not copy; "
                    + "name another snapshot in `with.snapshot` or remove it",
                retryable: false, account: move.targetAccount, resource: copy.arn ?? copy.identifier)
        }
        return Outputs(
            copy: copy.identifier, copyArn: copy.arn ?? "", kmsKeyId: copy.kmsKeyId ?? "", startedAt: copy.snapshotCreateTime ?? move.now())
    }
}
