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
    var shareKey: RDSShareKeyChoice? = nil
    var shareKeyDeletionDays: Int = 30

    func templates(inputs: JSONValue) -> [PrimitiveTemplate] {
        let plan = RDSMovePrimitives(from: from, to: to, waitTimeout: waitTimeout, inputs: inputs)
        let timeout = RunbookDuration.format(waitTimeout)
        var placement = "subnet group `\(subnetGroup)`, security groups \(securityGroups.joined(separator: ", "))"
        if let group = clusterParameterGroup { placement += ", cluster parameter group `\(group)`" }
        let count = instances.map { "\($0)" } ?? "as many as the source has"
        let members = "`\(targetCluster)-1…N` (\(count), class \(instanceClass.map { "`\($0)`" } ?? "of the source members"))"
        // Both undos destroy what the target may already be using: each waits for an approval.
        var restore = plan.primitive(
            "restore", "rds.restore-cluster",
            "Restore cluster `\(targetCluster)` in \(to) from the copy, encrypted with `\(kmsKey)`, with \(placement) "
                + "(undo DESTRUCTIVE and gated by an approval: deletes the restored cluster without a final snapshot)",
            inTarget: true, mutating: true, minutes: 1)
        restore.undoApproval = UndoApproval(
            message: "Delete Aurora cluster `\(targetCluster)` in \(to) WITHOUT a final snapshot: whatever was written to it "
                + "since the restore is lost. `\(cluster)` in \(from) is untouched.")
        var createMembers = plan.primitive(
            "members", "rds.create-cluster-members",
            "Create the members \(members) in `\(targetCluster)` "
                + "(undo DESTRUCTIVE and gated by an approval: deletes the members this run created)",
            inTarget: true, mutating: true, minutes: 1)
        createMembers.undoApproval = UndoApproval(
            message: "Delete the members of `\(targetCluster)` in \(to) that this run created: connections to them end.")
        return [
            plan.primitive(
                "preflight", "rds.preflight-cluster-move",
                "Check Aurora cluster `\(cluster)` in \(from) can move to \(to): available, key shareable; \(to) has key `\(kmsKey)`, \(placement)",
                inTarget: false, mutating: false, minutes: 1)
        ]
            + plan.snapshotChain(
                RDSClusterKind.self, subject: "cluster `\(cluster)`", source: cluster, snapshot: snapshot, kmsKey: kmsKey,
                shareKey: shareKey,
                shareKeyDeletionDays: shareKeyDeletionDays)
            + [
                restore,
                plan.primitive(
                    "wait-cluster", "rds.wait-cluster", "Wait for cluster `\(targetCluster)` in \(to) to be available (up to \(timeout))",
                    inTarget: true, mutating: false, minutes: 30),
                createMembers,
                plan.primitive(
                    "wait-members", "rds.wait-cluster-members",
                    "Wait for the members of `\(targetCluster)` to be available (up to \(timeout))",
                    inTarget: true, mutating: false, minutes: 30),
                plan.primitive(
                    "verify", "rds.verify-cluster",
                    "Verify `\(targetCluster)` in \(to): available, same engine version, encrypted with `\(kmsKey)`, members available; "
                        + "output its endpoints",
                    inTarget: true, mutating: false, minutes: 1),
            ]
            + plan.shareKeyCleanup(RDSClusterKind.self, shareKey: shareKey, deletionDays: shareKeyDeletionDays)
    }
}
