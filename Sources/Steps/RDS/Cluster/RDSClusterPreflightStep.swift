import AWSServices
import Engine
import Foundation
import Runbook

/// `rds.preflight-cluster-move` (read-only): everything the cluster move needs, checked before
/// anything is created, and every problem reported at once:
///
/// - the source cluster exists, is `available` and is Aurora; the members to create are known
///   (the runbook's `instances`/`instanceClass`, else the source's members);
/// - its storage key (or the key of the cluster snapshot the runbook names) can be shared: the AWS
///   managed `aws/rds` key cannot, and the failure says what to do instead; a customer managed key
///   must be usable by the target account;
/// - the target has the KMS key, DB subnet group, security groups (in the subnet group's VPC) and
///   cluster parameter group the runbook names — no silent fall-back to the account's defaults;
/// - the target has no cluster or member instance with the new names that this run did not create.
///
/// Outputs what later primitives use: engine, engine version, the target key's ARN, the member
/// count and class, the source's deletion protection, the snapshot name.
struct RDSClusterPreflightStep: RDSMoveStep {
    typealias Kind = RDSClusterKind
    let sessions: any AccountSessions

    func run(_ settings: RDSClusterKind.Settings, _ context: StepContext) async throws -> TypedStepResult<RDSPreflightOutputs> {
        let move = work(context, settings)
        let s = move.settings
        let checks = RDSPreflightChecks(
            sessions: sessions, from: s.from, to: s.to, sourceAccount: move.sourceAccount, targetAccount: move.targetAccount)
        var problems: [String] = []

        guard let cluster = try await move.sourceCluster() else {
            throw StepError(
                code: "DBClusterNotFound",
                message:
                    "no DB cluster `\(s.cluster)` in \(s.from) (\(move.sourceAccount)), region \(sessions.region); check `with.cluster`",
                retryable: false, account: move.sourceAccount, resource: s.cluster)
        }
        if cluster.status != "available" {
            problems.append("cluster `\(s.cluster)` in \(s.from) is \(cluster.status), not available; wait for it or fix it first")
        }
        let engine = cluster.engine ?? ""
        if !engine.hasPrefix("aurora") {
            problems.append(
                "`\(s.cluster)` runs \(engine.isEmpty ? "an unknown engine" : engine), not Aurora; rds.move-cluster moves Aurora clusters")
        }
        if s.clusterParameterGroup == nil, let group = cluster.dbClusterParameterGroupName, !group.hasPrefix("default.") {
            problems.append(
                "`\(s.cluster)` uses cluster parameter group `\(group)`, and the runbook names none for \(s.to): "
                    + "the restore would fall back to the default; create the group in \(s.to) and set `clusterParameterGroup:`")
        }
        let sourceMembers = try await AWSCallBoundary.read(account: move.sourceAccount, resource: s.cluster) {
            try await move.sourceRDS().describeAllDBInstances(
                DescribeDBInstancesRequest(filters: [RDSFilter(name: "db-cluster-id", values: [cluster.identifier])]))
        }
        let memberClass = s.instanceClass ?? sourceMembers.first?.instanceClass
        let memberCount = s.instances ?? sourceMembers.count
        if memberCount == 0 {
            problems.append("`\(s.cluster)` has no member instances to mirror; set `instances:` (and `instanceClass:`)")
        } else if memberClass == nil {
            problems.append("the members' instance class is unknown; set `instanceClass:`")
        }

        // Which key protects the data that will be shared: the named snapshot's, else the cluster's.
        var existing: RDSDBClusterSnapshot?
        if s.snapshot != nil { existing = try await move.sourceSnapshot() }
        if let existing, existing.clusterIdentifier?.lowercased() != s.cluster.lowercased() {
            problems.append(
                "cluster snapshot `\(existing.identifier)` in \(s.from) is of cluster `\(existing.clusterIdentifier ?? "?")`, not `\(s.cluster)`"
            )
        }
        let encrypted = existing?.storageEncrypted ?? cluster.storageEncrypted
        let sourceKey = existing?.kmsKeyId ?? cluster.kmsKeyId
        let targetId = try await move.targetAccountId()
        var shareKeyArn: String?
        var shareKeyNeeded = s.shareKey != nil
        let what = existing != nil ? "cluster snapshot `\(move.snapshotId)`" : "cluster `\(s.cluster)`"
        if s.shareKey == .auto {
            let finding = try await checks.autoShareKey(
                encrypted: encrypted, sourceKey: sourceKey, targetId: targetId, what: what, copyCall: "CopyDBClusterSnapshot")
            shareKeyNeeded = finding.shareKeyNeeded
            problems += finding.problems
        } else if s.shareKey != nil, !encrypted {
            // CopyDBClusterSnapshot refuses a KmsKeyId for an unencrypted cluster snapshot (AWS-NOTES §5.5).
            problems.append("`sourceShareKey` is for encrypted sources; cluster `\(s.cluster)` is not encrypted: remove `sourceShareKey`")
        } else if case let .named(key) = s.shareKey {
            let (arn, keyProblems) = try await checks.shareKeyProblems(key, targetId: targetId)
            shareKeyArn = arn
            problems += keyProblems
        } else if s.shareKey == nil, encrypted, let sourceKey {
            problems += try await checks.sourceKeyProblems(sourceKey, targetId: targetId, what: what, copyCall: "CopyDBClusterSnapshot")
        }

        let (targetKeyArn, keyProblems) = try await checks.targetKey(s.kmsKey)
        problems += keyProblems
        let placement = try await checks.placement()
        problems += try await checks.networkProblems(subnetGroup: s.subnetGroup, securityGroups: s.securityGroups, placement: placement)
        if let group = s.clusterParameterGroup {
            let exists = try await AWSCallBoundary.read(account: move.targetAccount, resource: group) {
                try await placement.clusterParameterGroupExists(group)
            }
            if !exists {
                problems.append("\(s.to) has no DB cluster parameter group `\(group)`; create it or fix `with.clusterParameterGroup`")
            }
        }
        problems += try await clashes(move, memberCount: memberCount)

        if !problems.isEmpty {
            throw StepError(
                code: "PreflightFailed",
                message: "cannot move cluster `\(s.cluster)` from \(s.from) to \(s.to):\n- " + problems.joined(separator: "\n- "),
                retryable: false, account: move.sourceAccount, resource: cluster.arn ?? s.cluster)
        }
        return .done(
            RDSPreflightOutputs(
                sourceArn: cluster.arn ?? "", engine: engine, engineVersion: cluster.engineVersion ?? "",
                targetKeyArn: targetKeyArn ?? s.kmsKey,
                targetAccountId: targetId, snapshot: move.snapshotId, memberCount: memberCount, memberClass: memberClass ?? "",
                deletionProtection: cluster.deletionProtection ?? false, sourceEncrypted: encrypted, sourceKey: sourceKey,
                shareKeyArn: shareKeyArn,
                shareKeyNeeded: shareKeyNeeded))
    }

    func check(_ context: StepContext) async throws -> CheckResult { .notDone }

    /// A cluster or member instance in the target with one of the new names, not created by this run.
    private func clashes(_ move: RDSMoveContext<RDSClusterKind>, memberCount: Int) async throws -> [String] {
        let s = move.settings
        var problems: [String] = []
        if let clash = try await move.targetCluster(), !move.createdByThisRun(clash.tags) {
            problems.append(
                "\(s.to) already has a DB cluster `\(clash.identifier)` (\(clash.status)); choose another `targetCluster:` or remove it")
        }
        let client = try await move.targetRDS()
        for id in s.own.memberIdentifiers(count: memberCount) {
            if let clash = try await RDSLookup.instance(id, client: client, account: move.targetAccount), !move.createdByThisRun(clash.tags)
            {
                problems.append(
                    "\(s.to) already has a DB instance `\(clash.identifier)`, a name the new members need; choose another `targetCluster:`")
            }
        }
        return problems
    }
}
