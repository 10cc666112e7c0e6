import AWSClient
import AWSServices
import Foundation

/// Moving a DB instance: DB snapshots, and a wait for the restored instance.
enum RDSInstanceKind: RDSResourceKind {
    typealias Own = RDSInstanceMoveInputs
    typealias Snapshot = RDSDBSnapshot

    static let snapshotNoun = "snapshot"
    static let copyNoun = "copy"
    static let chainTypes = RDSSnapshotChainTypes(
        snapshot: "rds.snapshot-instance", waitSnapshot: "rds.wait-snapshot", share: "rds.share-snapshot",
        copy: "rds.copy-shared-snapshot", waitCopy: "rds.wait-snapshot-copy",
        rekey: "rds.copy-snapshot-for-share", waitRekey: "rds.wait-snapshot-for-share", removeShareCopy: "rds.delete-snapshot-for-share")
    static let createSnapshotOperation = "CreateDBSnapshot"
    static let shareOperation = "ModifyDBSnapshotAttribute"
    static let copyOperation = "CopyDBSnapshot"
    static let deleteSnapshotOperation = "DeleteDBSnapshot"
    static let snapshotNotFound = AWSErrorCode.dbSnapshotNotFound
    static let snapshotAlreadyExists = AWSErrorCode.dbSnapshotAlreadyExists
    static let sourceBusy = AWSErrorCode.invalidDBInstanceState
    static let snapshotNotDeletable = AWSErrorCode.invalidDBSnapshotState

    static func describeSnapshot(_ id: String, client: RDSClient) async throws -> RDSDBSnapshot? {
        try await client.describeDBSnapshots(DescribeDBSnapshotsRequest(snapshotIdentifier: id)).items.first
    }

    static func createSnapshot(
        _ id: String, of source: String, tags: [String: String], client: RDSClient
    ) async throws -> RDSResult<RDSDBSnapshot> {
        try await client.createDBSnapshot(snapshotIdentifier: id, instanceIdentifier: source, tags: tags)
    }

    static func sharedWith(_ id: String, client: RDSClient) async throws -> [String] {
        try await client.describeDBSnapshotAttributes(snapshotIdentifier: id).value.restoreAccounts
    }

    static func share(
        _ id: String, add: [String]?, remove: [String]?, client: RDSClient
    ) async throws -> RDSResult<RDSSnapshotAttributes> {
        try await client.modifyDBSnapshotAttribute(snapshotIdentifier: id, valuesToAdd: add, valuesToRemove: remove)
    }

    static func copy(
        from sourceArn: String, to id: String, kmsKeyId: String?, tags: [String: String], client: RDSClient
    ) async throws -> RDSResult<RDSDBSnapshot> {
        try await client.copyDBSnapshot(
            CopyDBSnapshotRequest(
                sourceSnapshotIdentifier: sourceArn, targetSnapshotIdentifier: id, kmsKeyId: kmsKeyId, copyTags: true, tags: tags))
    }

    static func deleteSnapshot(_ id: String, client: RDSClient) async throws -> RDSResult<RDSDBSnapshot> {
        try await client.deleteDBSnapshot(snapshotIdentifier: id)
    }

    static func snapshotState(_ status: String?) -> RDSWaitState { RDSWaiters.snapshotState(status) }

    /// The ARN from the snapshot primitive (or the share copy's, when the move re-keys) (the source is described only when it is missing), and
    /// always the target key: instance snapshots are encrypted (the preflight refuses others).
    static func copySource(_ move: RDSMoveContext<Self>) async throws -> (arn: String?, kmsKeyId: String?) {
        let key = move.output(of: "preflight", "targetKeyArn") ?? move.settings.kmsKey
        if let arn = move.output(of: move.rekeys ? "rekey" : "snapshot", move.rekeys ? "shareCopyArn" : "snapshotArn"), !arn.isEmpty {
            return (arn, key)
        }
        return (try await move.sharedSnapshot()?.arn, key)
    }

    /// An instance has no members: both targets wait for the restored instance.
    static func observeRestored(_ target: RDSWaitTarget, _ move: RDSMoveContext<Self>) async throws -> RDSWaitObservation {
        let s = move.settings
        let instance = try await move.targetInstance()
        let status = instance?.status
        return RDSWaitObservation(
            state: RDSWaiters.instanceState(status), status: status, what: "instance \(s.targetInstance) in \(s.to)",
            progress: status ?? "not found", account: move.targetAccount, resource: instance?.arn ?? s.targetInstance,
            expected: RDSReadinessEstimate.instanceRestore(allocatedGiB: instance?.allocatedStorage))
    }
}

extension RDSMoveContext where Kind == RDSInstanceKind {
    /// The restored instance in the target, or nil when it does not exist.
    func targetInstance() async throws -> RDSDBInstance? {
        try await RDSLookup.instance(settings.targetInstance, client: try await targetRDS(), account: targetAccount)
    }

    /// The source instance, or nil when it does not exist.
    func sourceInstance() async throws -> RDSDBInstance? {
        try await RDSLookup.instance(settings.instance, client: try await sourceRDS(), account: sourceAccount)
    }
}
