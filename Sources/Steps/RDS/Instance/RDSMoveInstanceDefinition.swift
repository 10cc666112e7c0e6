import Foundation
import Runbook

/// `uses: rds.move-instance`: moves an RDS DB instance (not Aurora) to another account by
/// snapshot → share → copy re-encrypted with the target's key → restore (DESIGN.md "The RDS
/// move"; AWS-NOTES §5). Expands into nine primitives; each receives the step's `with:` as inputs:
///
/// `preflight` (read-only) → `snapshot` → `wait-snapshot` → `share` → `copy` → `wait-copy` →
/// `restore` → `wait-restore` → `verify` (read-only; outputs `endpoint`, `port`, `arn`).
///
/// With `sourceShareKey` (a source under `aws/rds`, whose snapshots cannot be shared) the plan
/// also has `share-key` (when the run creates the key), `rekey` → `wait-rekey` before `share`, and
/// `remove-share-copy` → `delete-share-key` (after an approval) at the end; `optionGroup` is the
/// target's option group the preflight compares and the restore uses.
///
/// Every mutating primitive is reversible; rollback deletes the restored instance (without a
/// final snapshot — the restore's title says so), deletes the copy, removes the share and deletes
/// the source snapshot if the run took it. The source instance is never touched.
public struct RDSMoveInstanceDefinition: StepDefinition {
    public init() {}

    public var type: String { "rds.move-instance" }
    public var summary: String {
        "Move an RDS DB instance to another account: snapshot, share, copy re-encrypted with the target's key, restore, verify."
    }

    public var inputs: [StepInput] {
        [
            StepInput("instance", .string, required: true, summary: "The DB instance identifier in the source account."),
            StepInput("from", .account, required: true, summary: "The account the instance is in."),
            StepInput("to", .account, required: true, summary: "The account to restore it in."),
            StepInput("kmsKey", .string, required: true, summary: "The target's KMS key (alias or ARN) to re-encrypt the copy with."),
            StepInput("subnetGroup", .string, required: true, summary: "The DB subnet group in the target."),
            StepInput("securityGroups", .list, required: true, summary: "VPC security group IDs in the target, e.g. `[sg-0abc]`."),
            StepInput(
                "parameterGroup", .string,
                summary: "The DB parameter group in the target (required when the source uses a non-default one)."),
            StepInput("instanceClass", .string, summary: "The restored instance's class; the snapshot's by default."),
            StepInput("multiAZ", .bool, summary: "Multi-AZ for the restored instance; the source's setting by default."),
            StepInput("deletionProtection", .bool, summary: "Deletion protection for the restored instance; the source's by default."),
            StepInput("targetInstance", .string, summary: "The restored instance's identifier; the source's by default."),
            StepInput(
                "snapshot", .string,
                summary: "The snapshot identifier; derived from the run ID by default. An existing snapshot of the instance is used as is."),
            StepInput(
                "optionGroup", .string,
                summary: "The option group in the target to restore into; it must hold every persistent or permanent option (e.g. "
                    + "Oracle TDE) of the source's groups. Required when the source's option group has options."),
            StepInput("pollInterval", .duration, summary: "How often the waits look at RDS (default 30s)."),
            StepInput("waitTimeout", .duration, summary: "How long each wait may take (default 12h)."),
        ] + RDSMovePlanning.shareKeyInputs
    }

    public func expand(_ step: StepSpec, in context: ExpansionContext) throws(RunbookDiagnostics) -> [PrimitiveTemplate] {
        var reader = StepInputReader(step, context: context)
        let instance = reader.string("instance", required: true)
        let from = reader.account("from", required: true)
        let to = reader.account("to", required: true)
        let kmsKey = reader.string("kmsKey", required: true)
        let subnetGroup = reader.string("subnetGroup", required: true)
        let securityGroups = RDSMovePlanning.securityGroups(&reader)
        let parameterGroup = reader.string("parameterGroup")
        let instanceClass = reader.string("instanceClass")
        let multiAZ = reader.bool("multiAZ")
        let deletionProtection = reader.bool("deletionProtection")
        let targetInstance = reader.string("targetInstance")
        let snapshot = reader.string("snapshot")
        let pollInterval = reader.duration("pollInterval")
        let waitTimeout = reader.duration("waitTimeout")
        let optionGroup = reader.string("optionGroup")
        let (sourceShareKey, deletionDays) = RDSMovePlanning.shareKey(&reader)

        RDSMovePlanning.checkMoveInputs(
            &reader, moving: "`\(instance ?? "the instance")`", from: from, to: to, kmsKey: kmsKey, pollInterval: pollInterval)
        for (key, value) in [("instance", instance), ("targetInstance", targetInstance)] {
            if let value, !RDSMovePlanning.isIdentifier(value, max: 63) {
                reader.report(
                    "bad-value", "`with.\(key)` of step `\(step.id)` is not an RDS instance identifier: `\(value)`",
                    hint: "1–63 letters, digits and hyphens, starting with a letter, no `--`, not ending in `-`",
                    at: reader.value(key))
            }
        }
        if let snapshot, !RDSMovePlanning.isIdentifier(snapshot, max: 255) {
            reader.report(
                "bad-value", "`with.snapshot` of step `\(step.id)` is not an RDS snapshot identifier: `\(snapshot)`",
                hint: "letters, digits and hyphens, starting with a letter, no `--`, not ending in `-`",
                at: reader.value("snapshot"))
        }
        try reader.finish()
        guard let instance, let from, let to, let kmsKey, let subnetGroup else { return [] }

        let settings = RDSMoveSettings(
            RDSInstanceMoveInputs(
                instance: instance, parameterGroup: parameterGroup, instanceClass: instanceClass, multiAZ: multiAZ,
                targetInstanceName: targetInstance, optionGroup: optionGroup),
            common: RDSMoveCommonInputs(
                from: from, to: to, kmsKey: kmsKey, subnetGroup: subnetGroup, securityGroups: securityGroups,
                deletionProtection: deletionProtection, snapshot: snapshot, pollSeconds: pollInterval?.timeInterval,
                waitTimeoutSeconds: waitTimeout?.timeInterval, sourceShareKey: sourceShareKey, shareKeyDeletionDaysInput: deletionDays))
        let inputs = try StepValues.encode(settings, of: step)

        return Self.templates(
            RDSMovePlanNames(
                instance: instance, from: from, to: to, kmsKey: kmsKey, subnetGroup: subnetGroup,
                securityGroups: securityGroups, parameterGroup: parameterGroup,
                targetInstance: targetInstance ?? instance, snapshot: snapshot,
                waitTimeout: settings.waitTimeout, optionGroup: optionGroup,
                shareKey: settings.shareKey, shareKeyDeletionDays: settings.common.shareKeyDeletionDays),
            inputs: inputs)
    }
}
