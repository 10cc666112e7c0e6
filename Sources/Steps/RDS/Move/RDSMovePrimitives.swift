import Foundation
import Runbook

/// The step types of the snapshot chain of one kind of move, as plans and journals name them.
struct RDSSnapshotChainTypes: Sendable {
    var snapshot: String
    var waitSnapshot: String
    var share: String
    var copy: String
    var waitCopy: String
}

/// How one move's primitives are planned: in which account, whether they mutate (and so can be
/// undone), how long they are expected to take, and how they are retried — the same for both kinds.
struct RDSMovePrimitives: Sendable {
    var from: String
    var to: String
    var waitTimeout: Duration
    /// The step's `with:`, handed to every primitive.
    var inputs: JSONValue

    func primitive(_ name: String, _ type: String, _ title: String, inTarget: Bool, mutating: Bool, minutes: Int) -> PrimitiveTemplate {
        PrimitiveTemplate(
            name: name, type: type, title: title, account: inTarget ? to : from, effect: mutating ? .mutating : .readOnly,
            reversibility: mutating ? .reversible : .nothingToUndo, estimatedDuration: .seconds(minutes * 60), inputs: inputs,
            retry: name.hasPrefix("wait-") ? RDSMovePlanning.pollRetry(waitTimeout) : RDSMovePlanning.callRetry)
    }

    /// `snapshot` → `wait-snapshot` → `share` → `copy` → `wait-copy`.
    /// - Parameters:
    ///   - subject: how titles name what is moved (`` `admin-db` ``, `` cluster `admin-aurora` ``).
    ///   - source: its identifier.
    func snapshotChain<Kind: RDSResourceKind>(
        _ kind: Kind.Type, subject: String, source: String, snapshot: String?, kmsKey: String
    ) -> [PrimitiveTemplate] {
        let types = Kind.chainTypes
        let noun = Kind.snapshotNoun
        let snapshotName = snapshot.map { "`\($0)`" } ?? "named after the run"
        let timeout = RunbookDuration.format(waitTimeout)
        return [
            primitive(
                "snapshot", types.snapshot, "Snapshot \(subject) in \(from) (manual \(noun) \(snapshotName))",
                inTarget: false, mutating: true, minutes: 1),
            primitive(
                "wait-snapshot", types.waitSnapshot, "Wait for the snapshot of `\(source)` in \(from) (up to \(timeout))",
                inTarget: false, mutating: false, minutes: 30),
            primitive("share", types.share, "Share the \(noun) with \(to) (undo: unshare)", inTarget: false, mutating: true, minutes: 1),
            primitive(
                "copy", types.copy,
                "Copy the shared \(noun) into \(to) by ARN, re-encrypted with `\(kmsKey)`, tags copied (undo: delete the copy)",
                inTarget: true, mutating: true, minutes: 1),
            primitive("wait-copy", types.waitCopy, "Wait for the copy in \(to) (up to \(timeout))", inTarget: true, mutating: false, minutes: 60),
        ]
    }
}
