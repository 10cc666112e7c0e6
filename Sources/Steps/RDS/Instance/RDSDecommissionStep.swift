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
struct RDSDecommissionStep: Step {
    let sessions: any AccountSessions

    /// The step's inputs, typed.
    struct Settings: Sendable {
        var instance: String
        var account: String
        var finalSnapshot: String?
        var skipFinalSnapshot: Bool

        init(_ step: PlannedStep, runId: String) throws {
            guard let instance = step.inputs["instance"]?.stringValue, let account = step.inputs["account"]?.stringValue else {
                throw StepError(code: StepErrorCode.invalidInputs, message: "\(step.id) has no `instance` or `account` input; re-plan the runbook",
                                retryable: false)
            }
            self.instance = instance
            self.account = account
            skipFinalSnapshot = step.inputs["skipFinalSnapshot"]?.boolValue ?? false
            finalSnapshot = skipFinalSnapshot
                ? nil : step.inputs["finalSnapshot"]?.stringValue ?? RDSNaming.identifier("cutover-final-\(instance)-\(runId)")
        }
    }

    func run(_ context: StepContext) async throws -> StepResult {
        let s = try Settings(context.step, runId: context.runId)
        let accountId = sessions.accountId(s.account) ?? s.account
        let client = try await sessions.rds(s.account)
        guard let instance = try await RDSLookup.instance(s.instance, client: client, account: accountId) else {
            return .done(outputs: outputs(s, status: "gone"))
        }
        if instance.status == "deleting" { return .done(outputs: outputs(s, status: "deleting")) }
        if instance.deletionProtection {
            throw StepError(
                code: "DeletionProtected",
                message: "DB instance `\(s.instance)` in \(s.account) (\(accountId)) has deletion protection on, so it is not deleted. "
                    + "If it is really to go, turn protection off (aws rds modify-db-instance --db-instance-identifier \(s.instance) "
                    + "--no-deletion-protection --apply-immediately), then retry this step; otherwise roll back or skip it.",
                retryable: false, account: accountId, resource: instance.arn ?? s.instance)
        }
        let request = DeleteDBInstanceRequest(
            instanceIdentifier: s.instance, finalSnapshot: s.finalSnapshot.map { .take(identifier: $0) } ?? .skip)
        let calls = AWSCallBoundary(context: context, service: "rds", region: sessions.region)
        do {
            _ = try await calls.mutate("DeleteDBInstance", account: accountId, resource: instance.arn ?? s.instance) {
                let result = try await client.deleteDBInstance(request)
                return (result.value, result.requestId)
            }
        } catch let error as StepError where error.code == .dbInstanceNotFound {
            return .done(outputs: outputs(s, status: "gone"))
        }
        return .done(outputs: outputs(s, status: "deleting"))
    }

    /// Done when the instance is deleting or gone: the delete was issued (by this run or before it).
    func check(_ context: StepContext) async throws -> CheckResult {
        let s = try Settings(context.step, runId: context.runId)
        let accountId = sessions.accountId(s.account) ?? s.account
        let client = try await sessions.rds(s.account)
        guard let instance = try await RDSLookup.instance(s.instance, client: client, account: accountId) else {
            return .done(outputs: outputs(s, status: "gone"))
        }
        return instance.status == "deleting" ? .done(outputs: outputs(s, status: "deleting")) : .notDone
    }

    private func outputs(_ s: Settings, status: String) -> [String: String] {
        var outputs = ["instance": s.instance, "status": status]
        if let snapshot = s.finalSnapshot { outputs["finalSnapshot"] = snapshot }
        return outputs
    }
}
