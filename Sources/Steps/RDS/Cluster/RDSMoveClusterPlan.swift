import Foundation
import Runbook

/// What the plan says about one cluster move, and the eleven primitives it expands into.
struct RDSMoveClusterPlan: Sendable {
    var cluster: String
    var from: String
    var to: String
    var kmsKey: String
    var subnetGroup: String
    var securityGroups: [String]
    var clusterParameterGroup: String?
    var targetCluster: String
    var instances: Int?
    var instanceClass: String?
    var snapshot: String?
    var waitTimeout: Duration

    func templates(inputs: JSONValue) -> [PrimitiveTemplate] {
        let snapshotName = snapshot.map { "`\($0)`" } ?? "named after the run"
        let timeout = RunbookDuration.format(waitTimeout)
        var placement = "subnet group `\(subnetGroup)`, security groups \(securityGroups.joined(separator: ", "))"
        if let group = clusterParameterGroup { placement += ", cluster parameter group `\(group)`" }
        let count = instances.map { "\($0)" } ?? "as many as the source has"
        let members = "`\(targetCluster)-1…N` (\(count), class \(instanceClass.map { "`\($0)`" } ?? "of the source members"))"
        func primitive(_ name: String, _ type: String, _ title: String, inTarget: Bool, mutating: Bool, minutes: Int) -> PrimitiveTemplate {
            PrimitiveTemplate(
                name: name, type: type, title: title, account: inTarget ? to : from, effect: mutating ? .mutating : .readOnly,
                reversibility: mutating ? .reversible : .nothingToUndo, estimatedDuration: .seconds(minutes * 60), inputs: inputs,
                retry: name.hasPrefix("wait-") ? RDSMoveInstanceDefinition.pollRetry(waitTimeout) : RDSMoveInstanceDefinition.callRetry)
        }
        // Both undos destroy what the target may already be using: each waits for an approval.
        var restore = primitive(
            "restore", "rds.restore-cluster",
            "Restore cluster `\(targetCluster)` in \(to) from the copy, encrypted with `\(kmsKey)`, with \(placement) "
                + "(undo DESTRUCTIVE and gated by an approval: deletes the restored cluster without a final snapshot)",
            inTarget: true, mutating: true, minutes: 1)
        restore.undoApproval = UndoApproval(
            message: "Delete Aurora cluster `\(targetCluster)` in \(to) WITHOUT a final snapshot: whatever was written to it "
                + "since the restore is lost. `\(cluster)` in \(from) is untouched.")
        var createMembers = primitive(
            "members", "rds.create-cluster-members",
            "Create the members \(members) in `\(targetCluster)` "
                + "(undo DESTRUCTIVE and gated by an approval: deletes the members this run created)",
            inTarget: true, mutating: true, minutes: 1)
        createMembers.undoApproval = UndoApproval(
            message: "Delete the members of `\(targetCluster)` in \(to) that this run created: connections to them end.")
        return [
            primitive(
                "preflight", "rds.preflight-cluster-move",
                "Check Aurora cluster `\(cluster)` in \(from) can move to \(to): available, key shareable; \(to) has key `\(kmsKey)`, \(placement)",
                inTarget: false, mutating: false, minutes: 1),
            primitive(
                "snapshot", "rds.snapshot-cluster", "Snapshot cluster `\(cluster)` in \(from) (manual cluster snapshot \(snapshotName))",
                inTarget: false, mutating: true, minutes: 1),
            primitive(
                "wait-snapshot", "rds.wait-cluster-snapshot", "Wait for the snapshot of `\(cluster)` in \(from) (up to \(timeout))",
                inTarget: false, mutating: false, minutes: 30),
            primitive(
                "share", "rds.share-cluster-snapshot", "Share the cluster snapshot with \(to) (undo: unshare)",
                inTarget: false, mutating: true, minutes: 1),
            primitive(
                "copy", "rds.copy-shared-cluster-snapshot",
                "Copy the shared cluster snapshot into \(to) by ARN, re-encrypted with `\(kmsKey)`, tags copied (undo: delete the copy)",
                inTarget: true, mutating: true, minutes: 1),
            primitive(
                "wait-copy", "rds.wait-cluster-snapshot-copy", "Wait for the copy in \(to) (up to \(timeout))",
                inTarget: true, mutating: false, minutes: 60),
            restore,
            primitive(
                "wait-cluster", "rds.wait-cluster", "Wait for cluster `\(targetCluster)` in \(to) to be available (up to \(timeout))",
                inTarget: true, mutating: false, minutes: 30),
            createMembers,
            primitive(
                "wait-members", "rds.wait-cluster-members", "Wait for the members of `\(targetCluster)` to be available (up to \(timeout))",
                inTarget: true, mutating: false, minutes: 30),
            primitive(
                "verify", "rds.verify-cluster",
                "Verify `\(targetCluster)` in \(to): available, same engine version, encrypted with `\(kmsKey)`, members available; "
                    + "output its endpoints",
                inTarget: true, mutating: false, minutes: 1),
        ]
    }
}
