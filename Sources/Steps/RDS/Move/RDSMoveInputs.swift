import Engine
import Foundation
import Runbook

/// The inputs every primitive of a move receives whatever it moves (the definition encodes them
/// into each primitive, the executors decode them): the instance or cluster, and what both moves
/// take alike.
protocol RDSMoveInputs: Codable, Sendable {
    /// The instance or cluster being moved, in the source account.
    var source: String { get }
    var common: RDSMoveCommonInputs { get }
}

extension RDSMoveInputs {
    var from: String { common.from }
    var to: String { common.to }
    var kmsKey: String { common.kmsKey }
    var subnetGroup: String { common.subnetGroup }
    var securityGroups: [String] { common.securityGroups }
    var deletionProtection: Bool? { common.deletionProtection }
    var snapshot: String? { common.snapshot }
    var pollInterval: Duration { common.pollInterval }
    var waitTimeout: Duration { common.waitTimeout }
    var shareKey: RDSShareKeyChoice? { common.shareKey }

    /// The snapshot in the source, and the name of its copy in the target: the runbook's, or
    /// `cutover-<source>-<run ID>` — the same on every attempt of the run, so creating and copying
    /// it are idempotent by identifier.
    func snapshotIdentifier(runId: String) -> String {
        snapshot ?? RDSNaming.identifier("cutover-\(source)-\(runId)")
    }
}
