import AWSClient
import AWSServices
import Engine
import Foundation
import Runbook

/// `rds.restore-instance`: RestoreDBInstanceFromDBSnapshot of the copy in the target, with every
/// placement setting passed explicitly (subnet group, security groups, parameter group, option
/// group when the runbook names one — the
/// API's defaults would land in the default VPC), the instance class, Multi-AZ and deletion
/// protection (the source's when the runbook does not say), and the source instance's tags plus
/// the run's. Idempotent by instance identifier; `check` describes the instance in the target.
///
/// Undo deletes the restored instance **without a final snapshot** — it needs care: once clients
/// write to the new instance, rollback discards those writes. It refuses to delete an instance
/// this run did not create, and one with deletion protection (the operator lifts it first).
struct RDSRestoreStep: RDSMoveStep {
    typealias Kind = RDSInstanceKind
    let sessions: any AccountSessions

    /// The restored instance and when RDS began restoring it (the wait counts from then).
    struct Outputs: Encodable, Sendable {
        var instance: String
        var arn: String
        var startedAt: Date
    }

    func run(_ settings: RDSInstanceKind.Settings, _ context: StepContext) async throws -> TypedStepResult<Outputs> {
        let move = work(context, settings)
        if let existing = try await move.targetInstance() { return .done(try outputs(existing, move)) }
        let s = move.settings
        let sourceTags = try await move.sourceInstance()?.tags ?? [:]
        let request = RestoreDBInstanceFromDBSnapshotRequest(
            instanceIdentifier: s.targetInstance, snapshotIdentifier: move.copyId, dbSubnetGroupName: s.subnetGroup,
            vpcSecurityGroupIds: s.securityGroups, dbParameterGroupName: s.parameterGroup, optionGroupName: s.optionGroup,
            instanceClass: s.instanceClass,
            multiAZ: s.multiAZ ?? move.output(of: "preflight", "multiAZ").map { $0 == "true" },
            deletionProtection: s.deletionProtection ?? move.output(of: "preflight", "deletionProtection").map { $0 == "true" },
            tags: sourceTags.merging(move.runTags("restore")) { $1 })
        let client = try await move.targetRDS()
        do {
            let instance = try await move.calls.mutate(
                "RestoreDBInstanceFromDBSnapshot", account: move.targetAccount, resource: s.targetInstance
            ) {
                let result = try await client.restoreDBInstanceFromDBSnapshot(request)
                return (result.value, result.requestId)
            }
            return .done(try outputs(instance, move))
        } catch let error as StepError where error.code == .dbInstanceAlreadyExists {
            guard let existing = try await move.targetInstance() else { throw error }
            return .done(try outputs(existing, move))
        }
    }

    func check(_ context: StepContext) async throws -> CheckResult {
        let move = try work(context)
        guard let existing = try await move.targetInstance() else { return .notDone }
        guard move.createdByThisRun(existing.tags) else {
            return .unknown(reason: "\(move.settings.to) has an instance `\(existing.identifier)` that this run did not restore")
        }
        return try .done(outputs(existing, move))
    }

    func undo(_ context: StepContext) async throws {
        let move = try work(context)
        let s = move.settings
        guard let instance = try await move.targetInstance(), instance.status != "deleting", instance.status != "deleted" else { return }
        guard move.createdByThisRun(instance.tags) else {
            throw StepError(
                code: "NotCreatedByThisRun",
                message: "instance \(instance.identifier) in \(s.to) does not carry this run's tag; it is not deleted by rollback",
                retryable: false, account: move.targetAccount, resource: instance.arn ?? instance.identifier)
        }
        if instance.deletionProtection {
            throw StepError(
                code: "DeletionProtected",
                message: "instance \(instance.identifier) in \(s.to) has deletion protection; turn it off "
                    + "(ModifyDBInstance --no-deletion-protection) if it really is to go, then retry the rollback",
                retryable: false, account: move.targetAccount, resource: instance.arn ?? instance.identifier)
        }
        let client = try await move.targetRDS()
        do {
            _ = try await move.calls.mutate(
                "DeleteDBInstance", account: move.targetAccount, resource: instance.arn ?? instance.identifier
            ) {
                let result = try await client.deleteDBInstance(
                    DeleteDBInstanceRequest(
                        instanceIdentifier: instance.identifier, finalSnapshot: .skip, deleteAutomatedBackups: true))
                return (result.value, result.requestId)
            }
        } catch let error as StepError where error.code == .dbInstanceNotFound {
            return
        }
    }

    private func outputs(_ instance: RDSDBInstance, _ move: RDSMoveContext<RDSInstanceKind>) throws -> Outputs {
        guard move.createdByThisRun(instance.tags) else {
            throw StepError(
                code: AWSErrorCode.dbInstanceAlreadyExists.name,
                message: "\(move.settings.to) already has an instance `\(instance.identifier)` that this run did not restore; "
                    + "choose another `targetInstance:` or remove it",
                retryable: false, account: move.targetAccount, resource: instance.arn ?? instance.identifier)
        }
        return Outputs(instance: instance.identifier, arn: instance.arn ?? "", startedAt: instance.instanceCreateTime ?? move.now())
    }
}
