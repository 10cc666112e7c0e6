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
/// - the target has no instance with the restored instance's name yet.
///
/// Outputs what later primitives compare against: engine, engine version, the target key's ARN,
/// the source's Multi-AZ and deletion protection, the snapshot name.
struct RDSPreflightStep: Step {
    let sessions: any AccountSessions

    func run(_ context: StepContext) async throws -> StepResult {
        let move = try RDSMoveContext(context, sessions: sessions)
        let s = move.settings
        var problems: [String] = []

        guard let instance = try await move.sourceInstance() else {
            throw StepError(
                code: "DBInstanceNotFound",
                message: "no DB instance `\(s.instance)` in \(s.from) (\(move.sourceAccount)), region \(move.region); check `with.instance`",
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

        // Which key protects the data that will be shared: the named snapshot's, else the instance's.
        var existing: RDSDBSnapshot?
        if s.snapshot != nil { existing = try await move.sourceSnapshot() }
        if let existing, existing.instanceIdentifier?.lowercased() != s.instance.lowercased() {
            problems.append(
                "snapshot `\(existing.identifier)` in \(s.from) is of instance `\(existing.instanceIdentifier ?? "?")`, not `\(s.instance)`")
        }
        let encrypted = existing?.encrypted ?? instance.storageEncrypted
        let sourceKey = existing?.kmsKeyId ?? instance.kmsKeyId
        let targetId = try await move.targetAccountId()
        if encrypted, let sourceKey {
            problems += try await sourceKeyProblems(sourceKey, move: move, targetId: targetId, fromSnapshot: existing != nil)
        }

        let (targetKeyArn, keyProblems) = try await targetKey(move)
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
        var outputs: [String: String] = [
            "sourceArn": instance.arn ?? "",
            "engine": instance.engine ?? "",
            "engineVersion": instance.engineVersion ?? "",
            "targetKeyArn": targetKeyArn ?? s.kmsKey,
            "targetAccountId": targetId,
            "snapshot": move.snapshotId,
            "multiAZ": String(instance.multiAZ),
            "deletionProtection": String(instance.deletionProtection),
            "sourceEncrypted": String(encrypted),
        ]
        if let sourceKey { outputs["sourceKey"] = sourceKey }
        return .done(outputs: outputs)
    }

    func check(_ context: StepContext) async throws -> CheckResult { .notDone }

    /// The source key must be customer managed and usable by the target account.
    private func sourceKeyProblems(_ keyArn: String, move: RDSMoveContext, targetId: String, fromSnapshot: Bool) async throws -> [String] {
        let s = move.settings
        let metadata = try await RDSStepFailure.read(account: move.sourceAccount, resource: keyArn) {
            try await sessions.kms(s.from).describeKey(keyId: keyArn)
        }
        let what = fromSnapshot ? "snapshot `\(move.snapshotId)`" : "`\(s.instance)`"
        if metadata.isAWSManaged {
            return [
                "\(what) in \(s.from) is encrypted with the AWS managed key aws/rds (\(metadata.arn ?? keyArn)), "
                    + "which cannot be shared with another account. Way out: in \(s.from), copy a snapshot of `\(s.instance)` "
                    + "re-encrypted with a customer managed KMS key whose key policy allows account \(targetId) "
                    + "(kms:CreateGrant, Decrypt, DescribeKey, ReEncrypt*, GenerateDataKey*, Encrypt) — CopyDBSnapshot with "
                    + "KmsKeyId — then name that copy in `with.snapshot:` and run the move again"
            ]
        }
        if metadata.keyState.map({ $0 != "Enabled" }) ?? false {
            return ["the key of \(what) in \(s.from) (\(metadata.arn ?? keyArn)) is \(metadata.keyState ?? "not enabled")"]
        }
        // The target must be able to use the source key to copy the shared snapshot.
        do {
            _ = try await sessions.kms(s.to).describeKey(keyId: metadata.arn ?? keyArn)
            return []
        } catch let error as AWSError where !RDSStepFailure.isTransient(error) {
            return [
                "\(s.to) (\(targetId)) cannot use the key of \(what), \(metadata.arn ?? keyArn) (\(error.code)): "
                    + "add account \(targetId) to that key's policy in \(s.from) (kms:CreateGrant, Decrypt, DescribeKey, "
                    + "ReEncrypt*, GenerateDataKey*, Encrypt)"
            ]
        } catch {
            throw RDSStepFailure.stepError(error, account: move.targetAccount, resource: keyArn)
        }
    }

    /// The key the copy is re-encrypted with must exist, enabled, in the target.
    private func targetKey(_ move: RDSMoveContext) async throws -> (String?, [String]) {
        let s = move.settings
        do {
            let metadata = try await sessions.kms(s.to).describeKey(keyId: s.kmsKey)
            if let owner = metadata.awsAccountId, owner != move.targetAccount, move.sessions.accountId(s.to) != nil {
                return (metadata.arn, ["KMS key `\(s.kmsKey)` belongs to account \(owner), not to \(s.to) (\(move.targetAccount))"])
            }
            if metadata.keyState.map({ $0 != "Enabled" }) ?? false {
                return (metadata.arn, ["KMS key `\(s.kmsKey)` in \(s.to) is \(metadata.keyState ?? "not enabled")"])
            }
            return (metadata.arn, [])
        } catch let error as AWSError where !RDSStepFailure.isTransient(error) {
            return (nil, ["\(s.to) has no usable KMS key `\(s.kmsKey)` (\(error.code)); create it or fix `with.kmsKey`"])
        } catch {
            throw RDSStepFailure.stepError(error, account: move.targetAccount, resource: s.kmsKey)
        }
    }

    /// Subnet group, security groups (in the subnet group's VPC) and parameter group in the target.
    private func placementProblems(_ move: RDSMoveContext) async throws -> [String] {
        let s = move.settings
        let rds = try await sessions.client(.rds, account: s.to)
        let ec2 = try await sessions.client(RDSPlacementClient.ec2Service, account: s.to)
        let placement = RDSPlacementClient(rds: rds, ec2: ec2)
        var problems: [String] = []
        let subnet = try await RDSStepFailure.read(account: move.targetAccount, resource: s.subnetGroup) {
            try await placement.subnetGroupVpc(s.subnetGroup)
        }
        if !subnet.exists {
            problems.append("\(s.to) has no DB subnet group `\(s.subnetGroup)`; create it or fix `with.subnetGroup`")
        }
        var missing: [String] = []
        var elsewhere: [String] = []
        for group in s.securityGroups {
            let found = try await RDSStepFailure.read(account: move.targetAccount, resource: group) {
                try await placement.securityGroupVpc(group)
            }
            if !found.exists {
                missing.append(group)
            } else if let vpc = subnet.vpcId, let groupVpc = found.vpcId, groupVpc != vpc {
                elsewhere.append("\(group) (\(groupVpc))")
            }
        }
        if !missing.isEmpty {
            problems.append("\(s.to) has no security group \(missing.joined(separator: ", ")); fix `with.securityGroups`")
        }
        if !elsewhere.isEmpty {
            problems.append(
                "security groups \(elsewhere.joined(separator: ", ")) are not in the VPC of subnet group `\(s.subnetGroup)` (\(subnet.vpcId ?? "?"))")
        }
        if let group = s.parameterGroup {
            let exists = try await RDSStepFailure.read(account: move.targetAccount, resource: group) {
                try await placement.parameterGroupExists(group)
            }
            if !exists {
                problems.append("\(s.to) has no DB parameter group `\(group)`; create it or fix `with.parameterGroup`")
            }
        }
        return problems
    }
}
