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
}

extension RDSMoveInstanceDefinition {
    /// Retries for the calls themselves (throttling, 5xx): a few, backing off.
    static let callRetry = RetryPolicy(
        backoff: .exponential(initial: .seconds(5), multiplier: 2, cap: .seconds(60), jitter: true), maxAttempts: 6)

    /// Retries for a wait's describe calls: every poll is an attempt, so the budget is the wait's
    /// time, not a count.
    static func pollRetry(_ timeout: Duration) -> RetryPolicy {
        RetryPolicy(backoff: .exponential(initial: .seconds(5), multiplier: 2, cap: .seconds(60), jitter: true), maxElapsed: timeout)
    }

    static func templates(_ n: RDSMovePlanNames, inputs: JSONValue) -> [PrimitiveTemplate] {
        let snapshotName = n.snapshot.map { "`\($0)`" } ?? "named after the run"
        let timeout = RunbookDuration.format(n.waitTimeout)
        var placement = "subnet group `\(n.subnetGroup)`, security groups \(n.securityGroups.joined(separator: ", "))"
        if let group = n.parameterGroup { placement += ", parameter group `\(group)`" }
        func primitive(
            _ name: String, _ type: String, _ title: String, account: String, mutating: Bool, minutes: Int
        ) -> PrimitiveTemplate {
            PrimitiveTemplate(
                name: name, type: type, title: title, account: account, effect: mutating ? .mutating : .readOnly,
                reversibility: mutating ? .reversible : .nothingToUndo, estimatedDuration: .seconds(minutes * 60),
                inputs: inputs, retry: name.hasPrefix("wait-") ? pollRetry(n.waitTimeout) : callRetry)
        }
        var restore = primitive(
            "restore", "rds.restore-instance",
            "Restore `\(n.targetInstance)` in \(n.to) from the copy with \(placement) "
                + "(undo NEEDS CARE and an approval: deletes the restored instance without a final snapshot)",
            account: n.to, mutating: true, minutes: 1)
        restore.undoApproval = UndoApproval(
            message: "Delete DB instance `\(n.targetInstance)` in \(n.to) WITHOUT a final snapshot: whatever was written to "
                + "it since the restore is lost. `\(n.instance)` in \(n.from) is untouched.")
        return [
            primitive(
                "preflight", "rds.preflight-move",
                "Check `\(n.instance)` in \(n.from) can move to \(n.to): available, key shareable; \(n.to) has key `\(n.kmsKey)`, \(placement)",
                account: n.from, mutating: false, minutes: 1),
            primitive(
                "snapshot", "rds.snapshot-instance", "Snapshot `\(n.instance)` in \(n.from) (manual snapshot \(snapshotName))",
                account: n.from, mutating: true, minutes: 1),
            primitive(
                "wait-snapshot", "rds.wait-snapshot", "Wait for the snapshot of `\(n.instance)` in \(n.from) (up to \(timeout))",
                account: n.from, mutating: false, minutes: 30),
            primitive(
                "share", "rds.share-snapshot", "Share the snapshot with \(n.to) (undo: unshare)",
                account: n.from, mutating: true, minutes: 1),
            primitive(
                "copy", "rds.copy-shared-snapshot",
                "Copy the shared snapshot into \(n.to) by ARN, re-encrypted with `\(n.kmsKey)`, tags copied (undo: delete the copy)",
                account: n.to, mutating: true, minutes: 1),
            primitive(
                "wait-copy", "rds.wait-snapshot-copy", "Wait for the copy in \(n.to) (up to \(timeout))",
                account: n.to, mutating: false, minutes: 60),
            restore,
            primitive(
                "wait-restore", "rds.wait-instance", "Wait for `\(n.targetInstance)` in \(n.to) to be available (up to \(timeout))",
                account: n.to, mutating: false, minutes: 30),
            primitive(
                "verify", "rds.verify-restore",
                "Verify `\(n.targetInstance)` in \(n.to): available, same engine version, encrypted with `\(n.kmsKey)`; output its endpoint",
                account: n.to, mutating: false, minutes: 1),
        ]
    }
}
