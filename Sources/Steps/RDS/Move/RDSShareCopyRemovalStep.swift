import AWSServices
import Engine
import Foundation
import Runbook

/// `rds.delete-snapshot-for-share`, `rds.delete-cluster-snapshot-for-share`: at the end of the
/// move, deletes the copy made under the share key — it was only the vehicle of the share, and
/// the target's copy no longer depends on it (re-encrypted with the target's key).
///
/// It is never the only copy of anything as the move leaves things (the run's snapshot stays in
/// the source, the copy in the target). If both are gone by now, the share copy is the last copy
/// of that point in time, and the step stops for an operator: the decision `delete-last-copy`
/// (journaled with who gave it) deletes it anyway; `retry` looks again. Gone already is done.
/// Nothing to undo: rollback has no use for the share copy.
struct RDSShareCopyRemovalStep<Kind: RDSResourceKind>: RDSMoveStep {
    let sessions: any AccountSessions

    /// The share copy, and what became of it.
    struct Outputs: Encodable, Sendable {
        enum Status: String, Encodable, Sendable {
            case gone, deleted
            case kept = "kept (not this run's)"
            /// `sourceShareKey: auto` and the source was not on aws/rds: no copy was made.
            case notNeeded = "not needed"
        }
        var shareCopy: String
        var status: Status
    }

    func run(_ settings: Kind.Settings, _ context: StepContext) async throws -> TypedStepResult<Outputs> {
        let move = work(context, settings)
        if !move.rekeys { return .done(Outputs(shareCopy: "", status: .notNeeded)) }
        guard let copy = try await move.shareCopy(), copy.status != "deleted", copy.status != "deleting" else {
            return .done(Outputs(shareCopy: move.shareCopyId, status: .gone))
        }
        if context.decision != .deleteLastCopy {
            let original = try await move.sourceSnapshot()
            let targetCopy = try await move.targetSnapshot()
            if original?.status != "available" && targetCopy?.status != "available" {
                throw StepError(
                    code: StepErrorCode.lastCopy,
                    message: "\(Kind.snapshotNoun) \(copy.identifier) in \(move.settings.from) is the last copy of this point in time: "
                        + "\(move.snapshotId) in \(move.settings.from) and its copy in \(move.settings.to) are gone. It is kept. "
                        + "Decide `\(DecisionOption.deleteLastCopy)` to delete it anyway, or keep it and roll back or retry later.",
                    retryable: false, account: move.sourceAccount, resource: copy.arn ?? copy.identifier)
            }
        }
        try await RDSSnapshotCleanup.delete(
            copy, in: move.settings.from, move: move, client: try await move.sourceRDS(), account: move.sourceAccount)
        return .done(Outputs(shareCopy: copy.identifier, status: move.createdByThisRun(copy.tags) ? .deleted : .kept))
    }

    /// Done once the share copy is gone or being deleted.
    func check(_ context: StepContext) async throws -> CheckResult {
        let move = try work(context)
        if !move.rekeys { return try .done(Outputs(shareCopy: "", status: .notNeeded)) }
        guard let copy = try await move.shareCopy(), copy.status != "deleted", copy.status != "deleting" else {
            return try .done(Outputs(shareCopy: move.shareCopyId, status: .gone))
        }
        return .notDone
    }
}
