import AWSServices
import Engine
import Foundation
import Runbook

/// One primitive of a cluster move at work: its settings, the two accounts' clients, the derived
/// names, the outputs of the primitives before it, and the journal for its mutating calls.
struct RDSClusterMoveContext: Sendable {
    let step: StepContext
    let settings: RDSClusterMoveSettings
    let sessions: any AccountSessions

    init(_ step: StepContext, sessions: any AccountSessions) throws {
        self.step = step
        self.settings = try RDSClusterMoveSettings(step.step)
        self.sessions = sessions
    }

    var runId: String { step.runId }
    var snapshotId: String { settings.snapshotIdentifier(runId: runId) }
    /// The copy in the target: the snapshot's name, unless both runbook accounts are one AWS account.
    var copyId: String { sourceAccount == targetAccount ? "\(snapshotId)-copy" : snapshotId }
    var journal: RDSCallJournal { RDSCallJournal(context: step, region: sessions.region) }
    var sourceAccount: String { sessions.accountId(settings.from) ?? settings.from }
    var targetAccount: String { sessions.accountId(settings.to) ?? settings.to }

    func sourceRDS() async throws -> RDSClient { try await sessions.rds(settings.from) }
    func targetRDS() async throws -> RDSClient { try await sessions.rds(settings.to) }

    /// The target's 12-digit account ID: the runbook's, or what STS says for its session.
    func targetAccountId() async throws -> String {
        if let id = sessions.accountId(settings.to) { return id }
        return try await RDSStepFailure.read(account: settings.to, resource: nil) {
            try await sessions.sts(settings.to).getCallerIdentity().account
        }
    }

    /// An output of another primitive of this move (`preflight`, `snapshot`, …).
    func output(of primitive: String, _ key: String) -> String? { step.output(of: "\(step.step.origin).\(primitive)", key) }

    /// The tags marking a resource as created by this run's `primitive` (the instance move's convention).
    func runTags(_ primitive: String) -> [String: String] {
        [RDSMoveSettings.runTag: runId, RDSMoveSettings.stepTag: "\(step.step.origin).\(primitive)"]
    }

    func createdByThisRun(_ tags: [String: String]) -> Bool { tags[RDSMoveSettings.runTag] == runId }

    /// The members to create: the runbook's count, else the source's (from the preflight).
    var memberIds: [String] {
        settings.memberIdentifiers(count: settings.instances ?? output(of: "preflight", "memberCount").flatMap { Int($0) } ?? 0)
    }

    func sourceSnapshot() async throws -> RDSDBClusterSnapshot? {
        try await Self.snapshot(snapshotId, client: try await sourceRDS(), account: sourceAccount)
    }

    func targetSnapshot() async throws -> RDSDBClusterSnapshot? {
        try await Self.snapshot(copyId, client: try await targetRDS(), account: targetAccount)
    }

    func sourceCluster() async throws -> RDSDBCluster? {
        try await Self.cluster(settings.cluster, client: try await sourceRDS(), account: sourceAccount)
    }

    func targetCluster() async throws -> RDSDBCluster? {
        try await Self.cluster(settings.targetCluster, client: try await targetRDS(), account: targetAccount)
    }

    /// The members of the restored cluster that exist, by identifier (absent ones left out).
    func targetMembers() async throws -> [String: RDSDBInstance] {
        let client = try await targetRDS()
        var found: [String: RDSDBInstance] = [:]
        for id in memberIds {
            found[id] = try await RDSMoveContext.instance(id, client: client, account: targetAccount)
        }
        return found
    }

    static func snapshot(_ id: String, client: RDSClient, account: String) async throws -> RDSDBClusterSnapshot? {
        do {
            return try await client.describeDBClusterSnapshots(DescribeDBClusterSnapshotsRequest(snapshotIdentifier: id)).items.first
        } catch let error as AWSError where error.code == "DBClusterSnapshotNotFoundFault" {
            return nil
        } catch {
            throw RDSStepFailure.stepError(error, account: account, resource: id)
        }
    }

    static func cluster(_ id: String, client: RDSClient, account: String) async throws -> RDSDBCluster? {
        do {
            return try await client.describeDBClusters(DescribeDBClustersRequest(clusterIdentifier: id)).items.first
        } catch let error as AWSError where error.code == "DBClusterNotFoundFault" {
            return nil
        } catch {
            throw RDSStepFailure.stepError(error, account: account, resource: id)
        }
    }

    /// When a mutating primitive finished (its `startedAt` output): waits count their timeout from it.
    func startedAt(of primitive: String) -> Date? {
        output(of: primitive, "startedAt").flatMap { try? Date($0, strategy: .iso8601) }
    }

    func now() -> Date { step.clock.now() }
}
