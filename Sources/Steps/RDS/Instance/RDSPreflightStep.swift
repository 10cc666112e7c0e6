import AWSClient
import AWSServices
import Engine
import Foundation
import Runbook

/// `rds.preflight-move` (read-only): everything the move needs, checked before anything is
/// created, and every problem reported at once:
///
/// - the source instance exists, is `available` and is not an Aurora cluster member;
/// - its storage key (or the key of the snapshot the runbook names) can be shared: the AWS managed
///   `aws/rds` key cannot, and the failure says what to do instead; a customer managed key must be
///   usable by the target account;
/// - the target has the KMS key, DB subnet group, security groups (in the subnet group's VPC) and
///   parameter group the runbook names — no silent fall-back to the account's defaults;
/// - the source's option groups (DescribeOptionGroups): every persistent or permanent option
///   (Oracle TDE…) stays with the snapshot, so the target's `optionGroup` must hold each of them,
///   and a group with options needs a target group named at all (`RDSOptionGroupCheck`);
/// - with `sourceShareKey: <key>`, that key is customer managed, in the source, and usable by the
///   target (with `create`, the run makes such a key); with `auto` (the default), whether the
///   source is on aws/rds, journaled as `shareKeyNeeded` for the share-key primitives;
/// - the target has no instance with the restored instance's name yet.
///
/// Outputs what later primitives compare against: engine, engine version, the target key's ARN,
/// the source's Multi-AZ and deletion protection, the snapshot name.
struct RDSPreflightStep: RDSMoveStep {
    typealias Kind = RDSInstanceKind
    let sessions: any AccountSessions

    func run(_ settings: RDSInstanceKind.Settings, _ context: StepContext) async throws -> TypedStepResult<RDSPreflightOutputs> {
        let move = work(context, settings)
        let s = move.settings
        var problems: [String] = []

        guard let instance = try await move.sourceInstance() else {
            throw StepError(
                code: AWSErrorCode.dbInstanceNotFound.name,
                message:
                    "no DB instance `\(s.instance)` in \(s.from) (\(move.sourceAccount)), region \(move.region); check `with.instance`",
                retryable: false, account: move.sourceAccount, resource: s.instance)
        }
        if instance.status != "available" {
            problems.append("`\(s.instance)` in \(s.from) is \(instance.status), not available; wait for it or fix it first")
        }
        if let cluster = instance.dbClusterIdentifier {
            problems.append("`\(s.instance)` is a member of Aurora cluster `\(cluster)`; move the cluster (rds.move-cluster) instead")
        }
        if s.parameterGroup == nil, let group = instance.dbParameterGroupNames.first, !group.hasPrefix("default.") {
            problems.append(
                "`\(s.instance)` uses parameter group `\(group)`, and the runbook names none for \(s.to): "
                    + "the restore would fall back to the default; create the group in \(s.to) and set `parameterGroup:`")
        }
        problems += try await RDSOptionGroupCheck(move: move).problems(instance)

        // Which key protects the data that will be shared: the named snapshot's, else the instance's.
        var existing: RDSDBSnapshot?
        if s.snapshot != nil { existing = try await move.sourceSnapshot() }
        if let existing, existing.instanceIdentifier?.lowercased() != s.instance.lowercased() {
            problems.append(
                "snapshot `\(existing.identifier)` in \(s.from) is of instance `\(existing.instanceIdentifier ?? "?")`, not `\(s.instance)`"
            )
        }
        let encrypted = existing?.encrypted ?? instance.storageEncrypted
        let sourceKey = existing?.kmsKeyId ?? instance.kmsKeyId
        let targetId = try await move.targetAccountId()
        var shareKeyArn: String?
        var shareKeyNeeded = s.shareKey != nil
        let what = existing != nil ? "snapshot `\(move.snapshotId)`" : "`\(s.instance)`"
        switch s.shareKey {
        case let .named(key):
            let (arn, keyProblems) = try await Self.checks(move).shareKeyProblems(key, targetId: targetId)
            shareKeyArn = arn
            problems += keyProblems
        case .auto:
            let finding = try await Self.checks(move).autoShareKey(
                encrypted: encrypted, sourceKey: sourceKey, targetId: targetId, what: what, copyCall: "CopyDBSnapshot")
            shareKeyNeeded = finding.shareKeyNeeded
            problems += finding.problems
        case .create:
            break
        case .none:
            if encrypted, let sourceKey {
                problems += try await Self.checks(move).sourceKeyProblems(
                    sourceKey, targetId: targetId, what: what, copyCall: "CopyDBSnapshot")
            }
        }

        let (targetKeyArn, keyProblems) = try await Self.checks(move).targetKey(s.kmsKey)
        problems += keyProblems
        problems += try await placementProblems(move)

        if let clash = try await move.targetInstance(), !move.createdByThisRun(clash.tags) {
            problems.append(
                "\(s.to) already has a DB instance `\(clash.identifier)` (\(clash.status)); choose another `targetInstance:` "
                    + "or remove it")
        }

        if !problems.isEmpty {
            throw StepError(
                code: "PreflightFailed",
                message: "cannot move `\(s.instance)` from \(s.from) to \(s.to):\n- " + problems.joined(separator: "\n- "),
                retryable: false, account: move.sourceAccount, resource: instance.arn ?? s.instance)
        }
        return .done(
            RDSPreflightOutputs(
                sourceArn: instance.arn ?? "", engine: instance.engine ?? "", engineVersion: instance.engineVersion ?? "",
                targetKeyArn: targetKeyArn ?? s.kmsKey, targetAccountId: targetId, snapshot: move.snapshotId, multiAZ: instance.multiAZ,
                deletionProtection: instance.deletionProtection, sourceEncrypted: encrypted, sourceKey: sourceKey, shareKeyArn: shareKeyArn,
                shareKeyNeeded: shareKeyNeeded))
    }

    func check(_ context: StepContext) async throws -> CheckResult { .notDone }

    private static func checks(_ move: RDSMoveContext<RDSInstanceKind>) -> RDSPreflightChecks {
        RDSPreflightChecks(
            sessions: move.sessions, from: move.settings.from, to: move.settings.to, sourceAccount: move.sourceAccount,
            targetAccount: move.targetAccount)
    }

    /// Subnet group, security groups (in the subnet group's VPC) and parameter group in the target.
    private func placementProblems(_ move: RDSMoveContext<RDSInstanceKind>) async throws -> [String] {
        let s = move.settings
        let checks = Self.checks(move)
        let placement = try await checks.placement()
        var problems = try await checks.networkProblems(subnetGroup: s.subnetGroup, securityGroups: s.securityGroups, placement: placement)
        if let group = s.parameterGroup {
            let exists = try await AWSCallBoundary.read(account: move.targetAccount, resource: group) {
                try await placement.parameterGroupExists(group)
            }
            if !exists {
                problems.append("\(s.to) has no DB parameter group `\(group)`; create it or fix `with.parameterGroup`")
            }
        }
        return problems
    }
}
