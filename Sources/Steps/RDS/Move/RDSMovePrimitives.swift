import AWSServices
import Foundation
import Runbook

/// The step types of the snapshot chain of one kind of move, as plans and journals name them.
struct RDSSnapshotChainTypes: Sendable {
    var snapshot: String
    var waitSnapshot: String
    var share: String
    var copy: String
    var waitCopy: String
    /// The copy under the share key in the source, its wait, and its removal at the end.
    var rekey: String
    var waitRekey: String
    var removeShareCopy: String
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

    /// `snapshot` → `wait-snapshot` → `share` → `copy` → `wait-copy`; with a share key
    /// (`sourceShareKey`), `share-key` (when the run creates it) first and `rekey` →
    /// `wait-rekey` before `share`, which then shares the re-keyed copy. With `auto` (the
    /// default) they are planned alike and work only if the preflight finds the source on aws/rds.
    /// - Parameters:
    ///   - subject: how titles name what is moved (`` `admin-db` ``, `` cluster `admin-aurora` ``).
    ///   - source: its identifier.
    func snapshotChain<Kind: RDSResourceKind>(
        _ kind: Kind.Type, subject: String, source: String, snapshot: String?, kmsKey: String, shareKey: RDSShareKeyChoice? = nil,
        shareKeyDeletionDays: Int = KMSKeyDeletion.defaultWindow
    ) -> [PrimitiveTemplate] {
        let types = Kind.chainTypes
        let noun = Kind.snapshotNoun
        let snapshotName = snapshot.map { "`\($0)`" } ?? "named after the run"
        let timeout = RunbookDuration.format(waitTimeout)
        var head: [PrimitiveTemplate] = []
        var rekey: [PrimitiveTemplate] = []
        var shared = noun
        if let shareKey {
            let why = "a snapshot under the AWS managed key aws/rds cannot be shared with another account"
            // With `auto` the plan cannot know the source's key: each share-key primitive says it
            // works only if the preflight finds aws/rds, and otherwise completes as not needed.
            let onlyIf =
                shareKey == .auto
                ? "Only if the preflight finds the source on aws/rds (sourceShareKey: auto), else done at once as not needed: " : ""
            let keyText: String
            switch shareKey {
            case .create, .auto:
                keyText = "the run's own key"
                var create = primitive(
                    "share-key", RDSShareKeyStep.type,
                    onlyIf + "Create a KMS key in \(from) for the shared copy (sourceShareKey: \(shareKey.text); \(why)); its policy lets "
                        + "\(to) only Decrypt, DescribeKey and CreateGrant for AWS resources; tagged with the run "
                        + "(undo, after an approval: schedule its deletion, \(shareKeyDeletionDays)-day pending window)",
                    inTarget: false, mutating: true, minutes: 1)
                create.undoApproval = UndoApproval(
                    message: "Schedule deletion of the KMS key this run created in \(from) for the shared copy: KMS deletes it after a "
                        + "pending window of \(shareKeyDeletionDays) days (CancelKeyDeletion can bring it back until then); "
                        + "nothing the run leaves is encrypted under it.",
                    onlyIf: shareKey == .auto ? Self.keyCreated : nil)
                head = [create]
            case let .named(key):
                keyText = "`\(key)`"
            }
            rekey = [
                primitive(
                    "rekey", types.rekey,
                    onlyIf + "Copy the \(noun) in \(from) re-encrypted with \(keyText) (sourceShareKey; \(why)) (undo: delete the copy)",
                    inTarget: false, mutating: true, minutes: 1),
                primitive(
                    "wait-rekey", types.waitRekey, onlyIf + "Wait for the re-encrypted copy in \(from) (up to \(timeout))",
                    inTarget: false, mutating: false, minutes: 30),
            ]
            shared = shareKey == .auto ? "\(noun) (its re-encrypted copy if the source is on aws/rds)" : "re-encrypted copy"
        }
        return head + [
            primitive(
                "snapshot", types.snapshot, "Snapshot \(subject) in \(from) (manual \(noun) \(snapshotName))",
                inTarget: false, mutating: true, minutes: 1),
            primitive(
                "wait-snapshot", types.waitSnapshot, "Wait for the snapshot of `\(source)` in \(from) (up to \(timeout))",
                inTarget: false, mutating: false, minutes: 30),
        ] + rekey + [
            primitive("share", types.share, "Share the \(shared) with \(to) (undo: unshare)", inTarget: false, mutating: true, minutes: 1),
            primitive(
                "copy", types.copy,
                "Copy the shared \(noun) into \(to) by ARN, re-encrypted with `\(kmsKey)`, tags copied (undo: delete the copy)",
                inTarget: true, mutating: true, minutes: 1),
            primitive(
                "wait-copy", types.waitCopy, "Wait for the copy in \(to) (up to \(timeout))", inTarget: true, mutating: false, minutes: 60),
        ]
    }

    /// What decides, with `sourceShareKey: auto`, whether the key's deletion is approved at all:
    /// `share-key` journaled `status: created` (the run made a key; not "not needed").
    static let keyCreated = ApprovalCondition(
        primitive: "share-key", output: "status", equals: RDSShareKeyStep.Outputs.Status.created.rawValue)

    /// After the move, with a share key: `remove-share-copy` (the re-encrypted copy in the source;
    /// an operator decides when it is the last copy) and, when the run may have created the key,
    /// `delete-share-key` after an approval that states the pending window — with `auto`, asked
    /// only if the run did create one (`keyCreated`).
    func shareKeyCleanup<Kind: RDSResourceKind>(_ kind: Kind.Type, shareKey: RDSShareKeyChoice?, deletionDays: Int) -> [PrimitiveTemplate] {
        guard let shareKey else { return [] }
        let onlyIf = shareKey == .auto ? "Only if the source was on aws/rds (sourceShareKey: auto), else done at once as not needed: " : ""
        let remove = PrimitiveTemplate(
            name: "remove-share-copy", type: Kind.chainTypes.removeShareCopy,
            title: onlyIf + "Delete the re-encrypted \(Kind.snapshotNoun) in \(from), the vehicle of the share (the snapshot and the "
                + "copy in \(to) stay; if both are gone it is the last copy and an operator decides `delete-last-copy`)",
            account: from, effect: .mutating, reversibility: .nothingToUndo, estimatedDuration: .seconds(60), inputs: inputs,
            retry: RDSMovePlanning.callRetry, onFailure: .decide, decisionOptions: [.retry, .deleteLastCopy, .rollback],
            decisionRetries: [.deleteLastCopy: RDSMovePlanning.callRetry])
        guard shareKey.mayCreateKey else { return [remove] }
        var schedule = PrimitiveTemplate(
            name: "delete-share-key", type: RDSShareKeyDeletionStep.type,
            title: onlyIf + "Schedule deletion of the KMS key this run created in \(from) for the shared copy, after an approval"
                + (shareKey == .auto ? " (asked only if the run created the key)" : "") + ": KMS deletes it after a pending window of "
                + "\(deletionDays) days (shareKeyDeletionDays; CancelKeyDeletion can bring it back until then). Nothing the move "
                + "leaves is encrypted under it.",
            account: from, effect: .mutating, reversibility: .nothingToUndo, estimatedDuration: .seconds(60), inputs: inputs,
            retry: RDSMovePlanning.callRetry, requiresApproval: true)
        if shareKey == .auto { schedule.approvalCondition = Self.keyCreated }
        return [remove, schedule]
    }
}
