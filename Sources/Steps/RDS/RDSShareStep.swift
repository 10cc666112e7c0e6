import AWSServices
import Engine
import Foundation
import Runbook

/// `rds.share-snapshot`: adds the target account to the source snapshot's `restore` attribute
/// (ModifyDBSnapshotAttribute). Sharing twice is harmless; `check` reads the attribute. Undo
/// removes the target account again (a snapshot already gone has nothing to unshare).
struct RDSShareStep: Step {
    let sessions: any AccountSessions

    func run(_ context: StepContext) async throws -> StepResult {
        let move = try RDSMoveContext(context, sessions: sessions)
        let targetId = try await move.targetAccountId()
        let client = try await move.sourceRDS()
        if try await sharedWith(move, client: client).contains(targetId) {
            return .done(outputs: ["sharedWith": targetId])
        }
        let resource = context.output(of: "\(context.step.origin).snapshot", "snapshotArn") ?? move.snapshotId
        _ = try await move.journal.mutate(
            service: "rds", operation: "ModifyDBSnapshotAttribute", account: move.sourceAccount, resource: resource
        ) {
            let result = try await client.modifyDBSnapshotAttribute(snapshotIdentifier: move.snapshotId, valuesToAdd: [targetId])
            return (result.value, result.requestId)
        }
        return .done(outputs: ["sharedWith": targetId])
    }

    func check(_ context: StepContext) async throws -> CheckResult {
        let move = try RDSMoveContext(context, sessions: sessions)
        let targetId = try await move.targetAccountId()
        let shared = try await sharedWith(move, client: try await move.sourceRDS())
        return shared.contains(targetId) ? .done(outputs: ["sharedWith": targetId]) : .notDone
    }

    func undo(_ context: StepContext) async throws {
        let move = try RDSMoveContext(context, sessions: sessions)
        let targetId = try await move.targetAccountId()
        let client = try await move.sourceRDS()
        guard try await move.sourceSnapshot() != nil, try await sharedWith(move, client: client).contains(targetId) else { return }
        do {
            _ = try await move.journal.mutate(
                service: "rds", operation: "ModifyDBSnapshotAttribute", account: move.sourceAccount, resource: move.snapshotId
            ) {
                let result = try await client.modifyDBSnapshotAttribute(snapshotIdentifier: move.snapshotId, valuesToRemove: [targetId])
                return (result.value, result.requestId)
            }
        } catch let error as StepError where error.code == "DBSnapshotNotFound" || error.code == "DBSnapshotNotFoundFault" {
            return
        }
    }

    private func sharedWith(_ move: RDSMoveContext, client: RDSClient) async throws -> [String] {
        try await RDSStepFailure.read(account: move.sourceAccount, resource: move.snapshotId) {
            try await client.describeDBSnapshotAttributes(snapshotIdentifier: move.snapshotId).value.restoreAccounts
        }
    }
}
