import Foundation
import Runbook

/// What the plan says about one RDS move, and the nine primitives it expands into.
struct RDSMovePlanNames: Sendable {
    var instance: String
    var from: String
    var to: String
    var kmsKey: String
    var subnetGroup: String
    var securityGroups: [String]
    var parameterGroup: String?
    var targetInstance: String
    var snapshot: String?
    var waitTimeout: Duration
    var optionGroup: String? = nil
    var shareKey: RDSShareKeyChoice? = nil
    var shareKeyDeletionDays: Int = 30
}

extension RDSMoveInstanceDefinition {
    static func templates(_ n: RDSMovePlanNames, inputs: JSONValue) -> [PrimitiveTemplate] {
        let plan = RDSMovePrimitives(from: n.from, to: n.to, waitTimeout: n.waitTimeout, inputs: inputs)
        let timeout = RunbookDuration.format(n.waitTimeout)
        var placement = "subnet group `\(n.subnetGroup)`, security groups \(n.securityGroups.joined(separator: ", "))"
        if let group = n.parameterGroup { placement += ", parameter group `\(group)`" }
        if let group = n.optionGroup { placement += ", option group `\(group)`" }
        var restore = plan.primitive(
            "restore", "rds.restore-instance",
            "Restore `\(n.targetInstance)` in \(n.to) from the copy with \(placement) "
                + "(undo NEEDS CARE and an approval: deletes the restored instance without a final snapshot)",
            inTarget: true, mutating: true, minutes: 1)
        restore.undoApproval = UndoApproval(
            message: "Delete DB instance `\(n.targetInstance)` in \(n.to) WITHOUT a final snapshot: whatever was written to "
                + "it since the restore is lost. `\(n.instance)` in \(n.from) is untouched.")
        return [
            plan.primitive(
                "preflight", "rds.preflight-move",
                "Check `\(n.instance)` in \(n.from) can move to \(n.to): available, key shareable"
                    + (n.shareKey == nil ? "" : " (or re-encrypted for the share)")
                    + ", persistent and permanent options in the target's option group; \(n.to) has key `\(n.kmsKey)`, \(placement)",
                inTarget: false, mutating: false, minutes: 1)
        ]
            + plan.snapshotChain(
                RDSInstanceKind.self, subject: "`\(n.instance)`", source: n.instance, snapshot: n.snapshot, kmsKey: n.kmsKey,
                shareKey: n.shareKey, shareKeyDeletionDays: n.shareKeyDeletionDays)
            + [
                restore,
                plan.primitive(
                    "wait-restore", "rds.wait-instance", "Wait for `\(n.targetInstance)` in \(n.to) to be available (up to \(timeout))",
                    inTarget: true, mutating: false, minutes: 30),
                plan.primitive(
                    "verify", "rds.verify-restore",
                    "Verify `\(n.targetInstance)` in \(n.to): available, same engine version, encrypted with `\(n.kmsKey)`; output its endpoint",
                    inTarget: true, mutating: false, minutes: 1),
            ]
            + plan.shareKeyCleanup(RDSInstanceKind.self, shareKey: n.shareKey, deletionDays: n.shareKeyDeletionDays)
    }
}
