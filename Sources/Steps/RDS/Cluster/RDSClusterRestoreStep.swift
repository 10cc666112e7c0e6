import AWSClient
import AWSServices
import Engine
import Foundation
import Runbook

/// `rds.restore-cluster`: RestoreDBClusterFromSnapshot of the copy in the target, with the
/// engine and engine version of the source, the target key (KmsKeyId), every placement setting
/// passed explicitly (subnet group, security groups, cluster parameter group — the API's defaults
/// would land in the default VPC), deletion protection (the source's unless the runbook says),
/// and the source cluster's tags plus the run's. It creates the cluster only; `members` adds the
/// instances. Idempotent by cluster identifier; `check` describes the cluster in the target.
///
/// Undo is DESTRUCTIVE: it deletes the restored cluster **without a final snapshot** (once clients
/// write to it, rollback discards those writes). It refuses a cluster this run did not create and
/// one with deletion protection (the operator lifts it first).
struct RDSClusterRestoreStep: RDSMoveStep {
    typealias Kind = RDSClusterKind
    let sessions: any AccountSessions

    /// The restored cluster and when RDS began restoring it (the wait counts from then).
    struct Outputs: Encodable, Sendable {
        var cluster: String
        var arn: String
        var startedAt: Date
    }

    func run(_ settings: RDSClusterKind.Settings, _ context: StepContext) async throws -> TypedStepResult<Outputs> {
        let move = work(context, settings)
        if let existing = try await move.targetCluster() { return .done(try outputs(existing, move)) }
        let s = move.settings
        let source = try await move.sourceCluster()
        guard let engine = move.output(of: "preflight", "engine") ?? source?.engine else {
            throw StepError(
                code: "DBClusterNotFound", message: "the engine of `\(s.cluster)` is unknown: re-run the preflight",
                retryable: false, account: move.sourceAccount, resource: s.cluster)
        }
        let version = move.output(of: "preflight", "engineVersion").flatMap { $0.isEmpty ? nil : $0 } ?? source?.engineVersion
        let request = RestoreDBClusterFromSnapshotRequest(
            clusterIdentifier: s.targetCluster, snapshotIdentifier: move.copyId, engine: engine, engineVersion: version,
            kmsKeyId: move.output(of: "preflight", "targetKeyArn") ?? s.kmsKey, dbSubnetGroupName: s.subnetGroup,
            vpcSecurityGroupIds: s.securityGroups, dbClusterParameterGroupName: s.clusterParameterGroup,
            deletionProtection: s.deletionProtection ?? move.output(of: "preflight", "deletionProtection").map { $0 == "true" },
            tags: (source?.tags ?? [:]).merging(move.runTags("restore")) { $1 })
        let client = try await move.targetRDS()
        do {
            let cluster = try await move.calls.mutate(
                "RestoreDBClusterFromSnapshot", account: move.targetAccount, resource: s.targetCluster
            ) {
                let result = try await client.restoreDBClusterFromSnapshot(request)
                return (result.value, result.requestId)
            }
            return .done(try outputs(cluster, move))
        } catch let error as StepError where error.code == .dbClusterAlreadyExists {
            guard let existing = try await move.targetCluster() else { throw error }
            return .done(try outputs(existing, move))
        }
    }

    func check(_ context: StepContext) async throws -> CheckResult {
        let move = try work(context)
        guard let existing = try await move.targetCluster() else { return .notDone }
        guard move.createdByThisRun(existing.tags) else {
            return .unknown(reason: "\(move.settings.to) has a cluster `\(existing.identifier)` that this run did not restore")
        }
        return try .done(outputs(existing, move))
    }

    func undo(_ context: StepContext) async throws {
        let move = try work(context)
        let s = move.settings
        guard let cluster = try await move.targetCluster(), cluster.status != "deleting", cluster.status != "deleted" else { return }
        let resource = cluster.arn ?? cluster.identifier
        guard move.createdByThisRun(cluster.tags) else {
            throw StepError(
                code: "NotCreatedByThisRun",
                message: "cluster \(cluster.identifier) in \(s.to) does not carry this run's tag; it is not deleted by rollback",
                retryable: false, account: move.targetAccount, resource: resource)
        }
        if cluster.deletionProtection == true {
            throw StepError(
                code: "DeletionProtected",
                message: "cluster \(cluster.identifier) in \(s.to) has deletion protection; turn it off "
                    + "(ModifyDBCluster --no-deletion-protection) if it really is to go, then retry the rollback",
                retryable: false, account: move.targetAccount, resource: resource)
        }
        let client = try await move.targetRDS()
        do {
            _ = try await move.calls.mutate("DeleteDBCluster", account: move.targetAccount, resource: resource) {
                let result = try await client.deleteDBCluster(clusterIdentifier: cluster.identifier, finalSnapshot: .skip)
                return (result.value, result.requestId)
            }
        } catch let error as StepError where error.code == .dbClusterNotFound {
            return
        } catch let error as StepError where error.code == .invalidDBClusterState {
            // Members this run did not create (or not yet deleting) keep the cluster alive.
            throw StepError(
                code: error.code,
                message: "cluster \(cluster.identifier) in \(s.to) cannot be deleted yet: \(error.message); "
                    + "delete its other members, then retry the rollback",
                retryable: true, account: move.targetAccount, resource: resource, requestId: error.requestId)
        }
    }

    private func outputs(_ cluster: RDSDBCluster, _ move: RDSMoveContext<RDSClusterKind>) throws -> Outputs {
        guard move.createdByThisRun(cluster.tags) else {
            throw StepError(
                code: AWSErrorCode.dbClusterAlreadyExists.name,
                message: "\(move.settings.to) already has a cluster `\(cluster.identifier)` that this run did not restore; "
                    + "choose another `targetCluster:` or remove it",
                retryable: false, account: move.targetAccount, resource: cluster.arn ?? cluster.identifier)
        }
        return Outputs(cluster: cluster.identifier, arn: cluster.arn ?? "", startedAt: cluster.clusterCreateTime ?? move.now())
    }
}
