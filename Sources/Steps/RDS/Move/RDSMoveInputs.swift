import Engine
import Foundation
import Runbook

/// What one kind of move takes beyond what both take alike (`RDSInstanceMoveInputs`,
/// `RDSClusterMoveInputs`).
protocol RDSMoveOwnInputs: Codable, Sendable, Equatable {
    /// The instance or cluster being moved, in the source account.
    var source: String { get }
}

/// The inputs every primitive of a move receives (the definition encodes them into each, the
/// executors decode them): what the kind takes beside what both moves take alike, as one flat
/// object in the plan. Members of either part read as the settings' own (`settings.instance`,
/// `settings.kmsKey`).
@dynamicMemberLookup
struct RDSMoveSettings<Own: RDSMoveOwnInputs>: Codable, Sendable, Equatable {
    var own: Own
    var common: RDSMoveCommonInputs

    init(_ own: Own, common: RDSMoveCommonInputs) {
        self.own = own
        self.common = common
    }

    init(from decoder: any Decoder) throws {
        own = try Own(from: decoder)
        common = try RDSMoveCommonInputs(from: decoder)
    }

    func encode(to encoder: any Encoder) throws {
        try common.encode(to: encoder)
        try own.encode(to: encoder)
    }

    subscript<T>(dynamicMember path: KeyPath<Own, T>) -> T { own[keyPath: path] }
    subscript<T>(dynamicMember path: KeyPath<RDSMoveCommonInputs, T>) -> T { common[keyPath: path] }

    var source: String { own.source }

    /// The snapshot in the source, and the name of its copy in the target: the runbook's, or
    /// `cutover-<source>-<run ID>` — the same on every attempt of the run, so creating and copying
    /// it are idempotent by identifier.
    func snapshotIdentifier(runId: String) -> String {
        common.snapshot ?? RDSNaming.identifier("cutover-\(source)-\(runId)")
    }
}
