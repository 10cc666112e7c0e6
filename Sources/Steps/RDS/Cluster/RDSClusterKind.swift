import AWSClient
import AWSServices
import Foundation

/// Moving an Aurora cluster: DB cluster snapshots, and waits for the restored cluster and its members.
enum RDSClusterKind: RDSResourceKind {
    typealias Own = RDSClusterMoveInputs
    typealias Snapshot = RDSDBClusterSnapshot

    static let snapshotNoun = "cluster snapshot"
    static let copyNoun = "cluster snapshot copy"
    static let chainTypes = RDSSnapshotChainTypes(
        snapshot: "rds.snapshot-cluster", waitSnapshot: "rds.wait-cluster-snapshot", share: "rds.share-cluster-snapshot",
        copy: "rds.copy-shared-cluster-snapshot", waitCopy: "rds.wait-cluster-snapshot-copy",
        rekey: "rds.copy-cluster-snapshot-for-share", waitRekey: "rds.wait-cluster-snapshot-for-share",
        removeShareCopy: "rds.delete-cluster-snapshot-for-share")
    static let createSnapshotOperation = "CreateDBClusterSnapshot"
    static let shareOperation = "ModifyDBClusterSnapshotAttribute"
    static let copyOperation = "CopyDBClusterSnapshot"
    static let deleteSnapshotOperation = "DeleteDBClusterSnapshot"
    static let snapshotNotFound = AWSErrorCode.dbClusterSnapshotNotFound
    static let snapshotAlreadyExists = AWSErrorCode.dbClusterSnapshotAlreadyExists
    static let sourceBusy = AWSErrorCode.invalidDBClusterState
    static let snapshotNotDeletable = AWSErrorCode.invalidDBClusterSnapshotState

    static func describeSnapshot(_ id: String, client: RDSClient) async throws -> RDSDBClusterSnapshot? {
        try await client.describeDBClusterSnapshots(DescribeDBClusterSnapshotsRequest(snapshotIdentifier: id)).items.first
    }

    static func createSnapshot(
        _ id: String, of source: String, tags: [String: String], client: RDSClient
    ) async throws -> RDSResult<RDSDBClusterSnapshot> {
        try await client.createDBClusterSnapshot(snapshotIdentifier: id, clusterIdentifier: source, tags: tags)
    }

    static func sharedWith(_ id: String, client: RDSClient) async throws -> [String] {
        try await client.describeDBClusterSnapshotAttributes(snapshotIdentifier: id).value.restoreAccounts
    }

    static func share(
        _ id: String, add: [String]?, remove: [String]?, client: RDSClient
    ) async throws -> RDSResult<RDSSnapshotAttributes> {
        try await client.modifyDBClusterSnapshotAttribute(snapshotIdentifier: id, valuesToAdd: add, valuesToRemove: remove)
    }

    static func copy(
        from sourceArn: String, to id: String, kmsKeyId: String?, tags: [String: String], client: RDSClient
    ) async throws -> RDSResult<RDSDBClusterSnapshot> {
        try await client.copyDBClusterSnapshot(
            CopyDBClusterSnapshotRequest(
                sourceSnapshotIdentifier: sourceArn, targetSnapshotIdentifier: id, kmsKeyId: kmsKeyId, copyTags: true, tags: tags))
    }

    static func deleteSnapshot(_ id: String, client: RDSClient) async throws -> RDSResult<RDSDBClusterSnapshot> {
        try await client.deleteDBClusterSnapshot(snapshotIdentifier: id)
    }

    static func snapshotState(_ status: String?) -> RDSWaitState { RDSWaiters.clusterSnapshotState(status) }

    /// The source is described for its encryption: KmsKeyId is mandatory when copying an encrypted
    /// shared cluster snapshot, and an error for an unencrypted one.
    static func copySource(_ move: RDSMoveContext<Self>) async throws -> (arn: String?, kmsKeyId: String?) {
        let source = try await move.sharedSnapshot()
        let recorded = move.rekeys ? move.output(of: "rekey", "shareCopyArn") : move.output(of: "snapshot", "snapshotArn")
        let arn = recorded.flatMap { $0.isEmpty ? nil : $0 } ?? source?.arn
        let encrypted = source?.storageEncrypted ?? (move.output(of: "preflight", "sourceEncrypted") == "true")
        return (arn, encrypted ? move.output(of: "preflight", "targetKeyArn") ?? move.settings.kmsKey : nil)
    }

    static func observeRestored(_ target: RDSWaitTarget, _ move: RDSMoveContext<Self>) async throws -> RDSWaitObservation {
        let s = move.settings
        guard target == .members else {
            let cluster = try await move.targetCluster()
            return RDSWaitObservation(
                state: RDSWaiters.clusterState(cluster?.status), status: cluster?.status, what: "cluster \(s.targetCluster) in \(s.to)",
                progress: cluster?.status ?? "not found", account: move.targetAccount, resource: cluster?.arn ?? s.targetCluster,
                expected: RDSReadinessEstimate.clusterRestore)
        }
        let members = try await move.targetMembers()
        let ids = move.memberIds
        let states = ids.map { RDSWaiters.instanceState(members[$0]?.status) }
        let pending = ids.filter { members[$0]?.status != "available" }.map { "\($0) \(members[$0]?.status ?? "not found")" }
        var state = RDSWaitState.pending
        if let failed = zip(ids, states).first(where: { if case .failed = $0.1 { true } else { false } }),
            case let .failed(reason) = failed.1
        {
            state = .failed(reason: "member \(failed.0): \(reason)")
        } else if !ids.isEmpty, states.allSatisfy({ $0 == .done }) {
            state = .done
        }
        return RDSWaitObservation(
            state: state, status: nil, what: "members of \(s.targetCluster) in \(s.to)",
            progress: "\(ids.count - pending.count)/\(ids.count) available"
                + (pending.isEmpty ? "" : " (\(pending.joined(separator: ", ")))"),
            account: move.targetAccount, resource: s.targetCluster, expected: RDSReadinessEstimate.clusterMember)
    }
}

extension RDSMoveContext where Kind == RDSClusterKind {
    /// The members to create: the runbook's count, else the source's (from the preflight).
    var memberIds: [String] {
        settings.own.memberIdentifiers(count: settings.instances ?? output(of: "preflight", "memberCount").flatMap { Int($0) } ?? 0)
    }

    func sourceCluster() async throws -> RDSDBCluster? {
        try await RDSLookup.cluster(settings.cluster, client: try await sourceRDS(), account: sourceAccount)
    }

    func targetCluster() async throws -> RDSDBCluster? {
        try await RDSLookup.cluster(settings.targetCluster, client: try await targetRDS(), account: targetAccount)
    }

    /// The members of the restored cluster that exist, by identifier (absent ones left out).
    func targetMembers() async throws -> [String: RDSDBInstance] {
        let client = try await targetRDS()
        var found: [String: RDSDBInstance] = [:]
        for id in memberIds {
            found[id] = try await RDSLookup.instance(id, client: client, account: targetAccount)
        }
        return found
    }
}
