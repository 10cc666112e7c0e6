import AWSServices
import Engine
import Foundation
import Runbook

/// `rds.share-snapshot`, `rds.share-cluster-snapshot`: adds the target account to the `restore`
/// attribute of the source snapshot (or of its copy under the share key, when the move re-keys) (Modify[DB|DBCluster]SnapshotAttribute). Sharing twice is
/// harmless; `check` reads the attribute. Undo removes the target account again (a snapshot
/// already gone has nothing to unshare).
struct RDSShareStep<Kind: RDSResourceKind>: RDSMoveStep {
    let sessions: any AccountSessions

    /// The account ID the snapshot is shared with.
    struct Outputs: Encodable, Sendable {
        var sharedWith: String
    }

    func run(_ settings: Kind.Settings, _ context: StepContext) async throws -> TypedStepResult<Outputs> {
        let move = work(context, settings)
        let targetId = try await move.targetAccountId()
        if try await sharedWith(move).contains(targetId) { return .done(Outputs(sharedWith: targetId)) }
        let arn = move.rekeys ? move.output(of: "rekey", "shareCopyArn") : move.output(of: "snapshot", "snapshotArn")
        try await modify(move, add: [targetId], resource: arn.flatMap { $0.isEmpty ? nil : $0 } ?? move.sharedSnapshotId)
        return .done(Outputs(sharedWith: targetId))
    }

    func check(_ context: StepContext) async throws -> CheckResult {
        let move = try work(context)
        let targetId = try await move.targetAccountId()
        return try await sharedWith(move).contains(targetId) ? .done(Outputs(sharedWith: targetId)) : .notDone
    }

    func undo(_ context: StepContext) async throws {
        let move = try work(context)
        let targetId = try await move.targetAccountId()
        guard try await move.sharedSnapshot() != nil, try await sharedWith(move).contains(targetId) else { return }
        do {
            try await modify(move, remove: [targetId], resource: move.sharedSnapshotId)
        } catch let error as StepError where error.code == Kind.snapshotNotFound {
            return
        }
    }

    private func modify(_ move: RDSMoveContext<Kind>, add: [String]? = nil, remove: [String]? = nil, resource: String) async throws {
        let client = try await move.sourceRDS()
        _ = try await move.calls.mutate(Kind.shareOperation, account: move.sourceAccount, resource: resource) {
            let result = try await Kind.share(move.sharedSnapshotId, add: add, remove: remove, client: client)
            return (result.value, result.requestId)
        }
    }

    private func sharedWith(_ move: RDSMoveContext<Kind>) async throws -> [String] {
        try await AWSCallBoundary.read(account: move.sourceAccount, resource: move.sharedSnapshotId) {
            try await Kind.sharedWith(move.sharedSnapshotId, client: try await move.sourceRDS())
        }
    }
}
