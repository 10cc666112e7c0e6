import AWSServices
import Engine
import Foundation
import Runbook

/// One primitive of a move at work: its settings, the two accounts' clients, the derived names,
/// the outputs of the primitives before it, and the journal for its mutating calls.
struct RDSMoveContext: Sendable {
    let step: StepContext
    let settings: RDSMoveSettings
    let sessions: any AccountSessions

    init(_ step: StepContext, sessions: any AccountSessions) throws {
        self.step = step
        self.settings = try RDSMoveSettings(step.step)
        self.sessions = sessions
    }

    var runId: String { step.runId }
    var region: String { sessions.region }
    var snapshotId: String { settings.snapshotIdentifier(runId: runId) }
    /// The copy's identifier in the target: the snapshot's own, unless both runbook accounts are
    /// one AWS account (then the copy would find the snapshot itself and take it for the copy).
    var copyId: String { sourceAccount == targetAccount ? "\(snapshotId)-copy" : snapshotId }
    var journal: RDSCallJournal { RDSCallJournal(context: step, region: region) }

    /// The source account's ID as journaled (its runbook name when the runbook gives no ID).
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
    func output(of primitive: String, _ key: String) -> String? {
        step.output(of: "\(step.step.origin).\(primitive)", key)
    }

    /// The tags marking a resource as created by this run's `primitive`.
    func runTags(_ primitive: String) -> [String: String] {
        [RDSMoveSettings.runTag: runId, RDSMoveSettings.stepTag: "\(step.step.origin).\(primitive)"]
    }

    /// Whether `tags` say this run created the resource.
    func createdByThisRun(_ tags: [String: String]) -> Bool { tags[RDSMoveSettings.runTag] == runId }

    /// The source snapshot, or nil when it does not exist.
    func sourceSnapshot() async throws -> RDSDBSnapshot? {
        let client = try await sourceRDS()
        return try await Self.snapshot(snapshotId, client: client, account: sourceAccount)
    }

    /// The copy in the target, or nil when it does not exist.
    func targetSnapshot() async throws -> RDSDBSnapshot? {
        let client = try await targetRDS()
        return try await Self.snapshot(copyId, client: client, account: targetAccount)
    }

    /// The restored instance in the target, or nil when it does not exist.
    func targetInstance() async throws -> RDSDBInstance? {
        let client = try await targetRDS()
        return try await Self.instance(settings.targetInstance, client: client, account: targetAccount)
    }

    /// The source instance, or nil when it does not exist.
    func sourceInstance() async throws -> RDSDBInstance? {
        let client = try await sourceRDS()
        return try await Self.instance(settings.instance, client: client, account: sourceAccount)
    }

    static func snapshot(_ id: String, client: RDSClient, account: String) async throws -> RDSDBSnapshot? {
        do {
            return try await client.describeDBSnapshots(DescribeDBSnapshotsRequest(snapshotIdentifier: id)).items.first
        } catch let error as AWSError where error.code == "DBSnapshotNotFound" || error.code == "DBSnapshotNotFoundFault" {
            return nil
        } catch {
            throw RDSStepFailure.stepError(error, account: account, resource: id)
        }
    }

    static func instance(_ id: String, client: RDSClient, account: String) async throws -> RDSDBInstance? {
        do {
            return try await client.describeDBInstances(DescribeDBInstancesRequest(instanceIdentifier: id)).items.first
        } catch let error as AWSError where error.code == "DBInstanceNotFound" || error.code == "DBInstanceNotFoundFault" {
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

    static func format(_ date: Date) -> String { date.formatted(.iso8601) }
}
