import AWSClient
import AWSServices
import Engine
import Foundation
import Runbook

/// `rds.delete-instance` (irreversible; the engine runs it only after its approval): deletes the
/// instance with DeleteDBInstance, taking a final snapshot unless the runbook said
/// `skipFinalSnapshot: true`. Idempotent: an instance already `deleting` or gone is done, and
/// `check` reports it so, so a restart never issues the delete twice. An instance with deletion
/// protection on is refused with what to do.
struct RDSDecommissionStep: TypedStep {
    let sessions: any AccountSessions

    /// What the step hands on: the instance, `deleting` or `gone`, and the final snapshot taken.
    struct Outputs: Encodable, Sendable {
        enum Status: String, Encodable, Sendable { case deleting, gone }
        var instance: String
        var status: Status
        var finalSnapshot: String?
    }

    func run(_ s: RDSDecommissionInputs, _ context: StepContext) async throws -> TypedStepResult<Outputs> {
        let accountId = sessions.accountId(s.account) ?? s.account
        let client = try await sessions.rds(s.account)
        let finalSnapshot = s.finalSnapshot(runId: context.runId)
        func outputs(_ status: Outputs.Status) -> Outputs { Outputs(instance: s.instance, status: status, finalSnapshot: finalSnapshot) }
        guard let instance = try await RDSLookup.instance(s.instance, client: client, account: accountId) else {
            return .done(outputs(.gone))
        }
        if instance.status == "deleting" { return .done(outputs(.deleting)) }
        if instance.deletionProtection {
            throw StepError(
                code: "DeletionProtected",
                message: "DB instance `\(s.instance)` in \(s.account) (\(accountId)) has deletion protection on, so it is not deleted. "
                    + "If it is really to go, turn protection off (aws rds modify-db-instance --db-instance-identifier \(s.instance) "
                    + "--no-deletion-protection --apply-immediately), then retry this step; otherwise roll back or skip it.",
                retryable: false, account: accountId, resource: instance.arn ?? s.instance)
        }
        let request = DeleteDBInstanceRequest(
            instanceIdentifier: s.instance, finalSnapshot: finalSnapshot.map { .take(identifier: $0) } ?? .skip)
        let calls = AWSCallBoundary(context: context, service: "rds", region: sessions.region)
        do {
            _ = try await calls.mutate("DeleteDBInstance", account: accountId, resource: instance.arn ?? s.instance) {
                let result = try await client.deleteDBInstance(request)
                return (result.value, result.requestId)
            }
        } catch let error as StepError where error.code == .dbInstanceNotFound {
            return .done(outputs(.gone))
        }
        return .done(outputs(.deleting))
    }

    /// Done when the instance is deleting or gone: the delete was issued (by this run or before it).
    func check(_ context: StepContext) async throws -> CheckResult {
        let s = try decodeInputs(context)
        let accountId = sessions.accountId(s.account) ?? s.account
        let client = try await sessions.rds(s.account)
        let finalSnapshot = s.finalSnapshot(runId: context.runId)
        guard let instance = try await RDSLookup.instance(s.instance, client: client, account: accountId) else {
            return try .done(Outputs(instance: s.instance, status: .gone, finalSnapshot: finalSnapshot))
        }
        return instance.status == "deleting"
            ? try .done(Outputs(instance: s.instance, status: .deleting, finalSnapshot: finalSnapshot)) : .notDone
    }
}
