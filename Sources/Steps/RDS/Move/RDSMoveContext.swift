import AWSClient
import AWSServices
import Engine
import Foundation
import Runbook

/// One primitive of a move at work, for either kind: its settings, the two accounts' clients, the
/// derived names, the outputs of the primitives before it, and the boundary for its AWS calls.
struct RDSMoveContext<Kind: RDSResourceKind>: PrimitiveContext {
    typealias Inputs = Kind.Settings

    let step: StepContext
    let settings: Kind.Settings
    let sessions: any AccountSessions

    init(_ step: StepContext, _ settings: Kind.Settings, sessions: any AccountSessions) {
        self.step = step
        self.settings = settings
        self.sessions = sessions
    }

    var runId: String { step.runId }
    var region: String { sessions.region }
    var snapshotId: String { settings.snapshotIdentifier(runId: runId) }
    /// The copy's identifier in the target: the snapshot's own, unless both runbook accounts are
    /// one AWS account (then the copy would find the snapshot itself and take it for the copy).
    var copyId: String { sourceAccount == targetAccount ? "\(snapshotId)-copy" : snapshotId }
    /// Whether the move copies its snapshot under a share key before sharing (`sourceShareKey`):
    /// with `auto`, as the preflight journaled it (`shareKeyNeeded`: the source is on aws/rds).
    var rekeys: Bool {
        switch settings.shareKey {
        case .none: false
        case .auto: shareKeyNeeded
        case .create, .named: true
        }
    }

    /// What the preflight found (`auto`): the source is on aws/rds, so a share key is needed.
    /// Read from the journal, so every later primitive, a restart and a rollback agree.
    var shareKeyNeeded: Bool { output(of: "preflight", "shareKeyNeeded") == "true" }
    /// The copy under the share key, in the source account: `<snapshot>-share`.
    var shareCopyId: String { RDSNaming.identifier(String(snapshotId.prefix(249)) + "-share") }
    /// The snapshot shared with the target: the share copy when the move re-keys, else the snapshot.
    var sharedSnapshotId: String { rekeys ? shareCopyId : snapshotId }
    /// Where the primitive's mutating calls go through: journaled, their failures mapped.
    var calls: AWSCallBoundary { AWSCallBoundary(context: step, service: "rds", region: region) }

    /// The source account's ID as journaled (its runbook name when the runbook gives no ID).
    var sourceAccount: String { sessions.accountId(settings.from) ?? settings.from }
    var targetAccount: String { sessions.accountId(settings.to) ?? settings.to }

    func sourceRDS() async throws -> RDSClient { try await sessions.rds(settings.from) }
    func targetRDS() async throws -> RDSClient { try await sessions.rds(settings.to) }

    /// The target's 12-digit account ID: the runbook's, or what STS says for its session.
    func targetAccountId() async throws -> String {
        if let id = sessions.accountId(settings.to) { return id }
        return try await AWSCallBoundary.read(account: settings.to, resource: nil) {
            try await sessions.sts(settings.to).getCallerIdentity().account
        }
    }

    /// An output of another primitive of this move (`preflight`, `snapshot`, …).
    func output(of primitive: String, _ key: String) -> String? {
        step.output(of: "\(step.step.origin).\(primitive)", key)
    }

    /// The tags marking a resource as created by this run's `primitive`.
    func runTags(_ primitive: String) -> [String: String] {
        [RDSNaming.runTag: runId, RDSNaming.stepTag: "\(step.step.origin).\(primitive)"]
    }

    /// Whether `tags` say this run created the resource.
    func createdByThisRun(_ tags: [String: String]) -> Bool { tags[RDSNaming.runTag] == runId }

    /// The source snapshot, or nil when it does not exist.
    func sourceSnapshot() async throws -> Kind.Snapshot? {
        try await Self.snapshot(snapshotId, client: try await sourceRDS(), account: sourceAccount)
    }

    /// The snapshot shared with the target (the share copy when the move re-keys), or nil.
    func sharedSnapshot() async throws -> Kind.Snapshot? {
        try await Self.snapshot(sharedSnapshotId, client: try await sourceRDS(), account: sourceAccount)
    }

    /// The share copy in the source, or nil when it does not exist (or the move does not re-key).
    func shareCopy() async throws -> Kind.Snapshot? {
        guard rekeys else { return nil }
        return try await Self.snapshot(shareCopyId, client: try await sourceRDS(), account: sourceAccount)
    }

    /// The key the share copy is encrypted with: the one the run created, or the one the runbook
    /// names (as the preflight resolved it).
    var shareKeyArn: String? {
        switch settings.shareKey {
        case .none: nil
        case .create, .auto: output(of: "share-key", "keyArn").flatMap { $0.isEmpty ? nil : $0 }
        case let .named(key): output(of: "preflight", "shareKeyArn") ?? key
        }
    }

    /// The copy in the target, or nil when it does not exist.
    func targetSnapshot() async throws -> Kind.Snapshot? {
        try await Self.snapshot(copyId, client: try await targetRDS(), account: targetAccount)
    }

    static func snapshot(_ id: String, client: RDSClient, account: String) async throws -> Kind.Snapshot? {
        try await RDSLookup.find(id, account: account, notFound: Kind.snapshotNotFound) {
            try await Kind.describeSnapshot(id, client: client)
        }
    }

    /// When a mutating primitive finished (its `startedAt` output): waits count their timeout from it.
    func startedAt(of primitive: String) -> Date? {
        output(of: primitive, "startedAt").flatMap(RunbookTimestamp.parse)
    }

    func now() -> Date { step.clock.now() }
}

/// A primitive of a move, typed over the kind it moves: its inputs are the kind's settings.
protocol RDSMoveStep: SessionStep where Work == RDSMoveContext<Kind> {
    associatedtype Kind: RDSResourceKind
}
