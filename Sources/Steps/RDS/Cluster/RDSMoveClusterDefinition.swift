import Foundation
import Runbook

/// `uses: rds.move-cluster`: moves an Aurora DB cluster to another account by cluster snapshot →
/// share → copy re-encrypted with the target's key → restore the cluster → create its member
/// instances (AWS-NOTES §5.5: RestoreDBClusterFromSnapshot creates only the cluster). Expands into
/// eleven primitives; each receives the step's `with:` as inputs:
///
/// `preflight` (read-only) → `snapshot` → `wait-snapshot` → `share` → `copy` → `wait-copy` →
/// `restore` → `wait-cluster` → `members` → `wait-members` → `verify` (read-only; outputs
/// `endpoint`, `readerEndpoint`, `port`, `arn`).
///
/// With `sourceShareKey` the snapshot is re-keyed in the source before it is shared, as for an
/// instance (`RDSMovePrimitives.snapshotChain`); `optionGroup` is refused (`refusedInputs`).
///
/// Every mutating primitive is reversible and its undo acts only on what this run created (by the
/// `cutover:run` tag): rollback deletes the members and the restored cluster (without a final
/// snapshot — their titles say so), deletes the copy, removes the share and deletes the source
/// snapshot if the run took it. The source cluster is never touched.
public struct RDSMoveClusterDefinition: StepDefinition {
    public init() {}

    public var type: String { "rds.move-cluster" }
    public var summary: String {
        "Move an Aurora DB cluster to another account: snapshot, share, copy re-encrypted with the target's key, restore, create members, verify."
    }

    public var inputs: [StepInput] {
        [
            StepInput("cluster", .string, required: true, summary: "The Aurora DB cluster identifier in the source account."),
            StepInput("from", .account, required: true, summary: "The account the cluster is in."),
            StepInput("to", .account, required: true, summary: "The account to restore it in."),
            StepInput(
                "kmsKey", .string, required: true,
                summary: "The target's KMS key (alias or ARN) to re-encrypt the copy and the cluster with."),
            StepInput("subnetGroup", .string, required: true, summary: "The DB subnet group in the target."),
            StepInput("securityGroups", .list, required: true, summary: "VPC security group IDs in the target, e.g. `[sg-0abc]`."),
            StepInput(
                "clusterParameterGroup", .string,
                summary: "The DB cluster parameter group in the target (required when the source uses a non-default one)."),
            StepInput("instanceClass", .string, summary: "The members' instance class; the source members' by default."),
            StepInput(
                "instances", .int,
                summary: "How many member instances to create (the first is the writer); as many as the source has by default."),
            StepInput("deletionProtection", .bool, summary: "Deletion protection for the restored cluster; the source's by default."),
            StepInput(
                "targetCluster", .string,
                summary: "The restored cluster's identifier; the source's by default. Members are `<targetCluster>-1…N`."),
            StepInput(
                "snapshot", .string,
                summary:
                    "The cluster snapshot identifier; derived from the run ID by default. An existing snapshot of the cluster is used as is."
            ),
            StepInput("pollInterval", .duration, summary: "How often the waits look at RDS (default 30s)."),
            StepInput("waitTimeout", .duration, summary: "How long each wait may take (default 12h)."),
        ] + RDSMovePlanning.shareKeyInputs
    }

    /// Option groups do not apply to Aurora: CreateDBInstance's OptionGroupName "doesn't apply to
    /// Amazon Aurora", and RestoreDBClusterFromSnapshot's says clusters get "a default option group
    /// that can't be modified" (BC-RDS). Aurora MySQL's features (audit, S3 integration) are
    /// cluster parameters: `clusterParameterGroup`.
    public var refusedInputs: [String: String] {
        [
            "optionGroup":
                "option groups do not apply to Aurora clusters (RDS: a DB cluster has a default option group that can't be "
                + "modified, and OptionGroupName doesn't apply to Aurora instances); Aurora's engine features are set in the "
                + "cluster parameter group: use `clusterParameterGroup:` and remove `optionGroup:`"
        ]
    }

    public func expand(_ step: StepSpec, in context: ExpansionContext) throws(RunbookDiagnostics) -> [PrimitiveTemplate] {
        var reader = StepInputReader(step, context: context)
        let cluster = reader.string("cluster", required: true)
        let from = reader.account("from", required: true)
        let to = reader.account("to", required: true)
        let kmsKey = reader.string("kmsKey", required: true)
        let subnetGroup = reader.string("subnetGroup", required: true)
        let securityGroups = RDSMovePlanning.securityGroups(&reader)
        let parameterGroup = reader.string("clusterParameterGroup")
        let instanceClass = reader.string("instanceClass")
        let instances = reader.int("instances")
        let deletionProtection = reader.bool("deletionProtection")
        let targetCluster = reader.string("targetCluster")
        let snapshot = reader.string("snapshot")
        let pollInterval = reader.duration("pollInterval")
        let waitTimeout = reader.duration("waitTimeout")
        let (sourceShareKey, deletionDays) = RDSMovePlanning.shareKey(&reader)

        RDSMovePlanning.checkMoveInputs(
            &reader, moving: "cluster `\(cluster ?? "?")`", from: from, to: to, kmsKey: kmsKey, pollInterval: pollInterval)
        // Members are `<targetCluster>-N`, and instance identifiers stop at 63 characters.
        for (key, value) in [("cluster", cluster), ("targetCluster", targetCluster)] {
            if let value, !RDSMovePlanning.isIdentifier(value, max: 60) {
                reader.report(
                    "bad-value", "`with.\(key)` of step `\(step.id)` is not a usable DB cluster identifier: `\(value)`",
                    hint:
                        "1–60 letters, digits and hyphens (room for the members' `-N`), starting with a letter, no `--`, not ending in `-`",
                    at: reader.value(key))
            }
        }
        if let snapshot, !RDSMovePlanning.isIdentifier(snapshot, max: 255) {
            reader.report(
                "bad-value", "`with.snapshot` of step `\(step.id)` is not a DB cluster snapshot identifier: `\(snapshot)`",
                hint: "letters, digits and hyphens, starting with a letter, no `--`, not ending in `-`", at: reader.value("snapshot"))
        }
        if let instances, !(1...15).contains(instances) {
            reader.report(
                "bad-value", "`with.instances` of step `\(step.id)` is \(instances)",
                hint: "an Aurora cluster has 1 writer and up to 15 instances in all", at: reader.value("instances"))
        }
        try reader.finish()
        guard let cluster, let from, let to, let kmsKey, let subnetGroup else { return [] }

        let settings = RDSMoveSettings(
            RDSClusterMoveInputs(
                cluster: cluster, clusterParameterGroup: parameterGroup, instanceClass: instanceClass, instances: instances,
                targetClusterName: targetCluster),
            common: RDSMoveCommonInputs(
                from: from, to: to, kmsKey: kmsKey, subnetGroup: subnetGroup, securityGroups: securityGroups,
                deletionProtection: deletionProtection, snapshot: snapshot, pollSeconds: pollInterval?.timeInterval,
                waitTimeoutSeconds: waitTimeout?.timeInterval, sourceShareKey: sourceShareKey, shareKeyDeletionDaysInput: deletionDays))
        let inputs = try StepValues.encode(settings, of: step)

        return RDSMoveClusterPlan(
            cluster: cluster, from: from, to: to, kmsKey: kmsKey, subnetGroup: subnetGroup, securityGroups: securityGroups,
            clusterParameterGroup: parameterGroup, targetCluster: targetCluster ?? cluster, instances: instances,
            instanceClass: instanceClass, snapshot: snapshot, waitTimeout: settings.waitTimeout,
            shareKey: settings.shareKey, shareKeyDeletionDays: settings.common.shareKeyDeletionDays
        ).templates(inputs: inputs)
    }
}
