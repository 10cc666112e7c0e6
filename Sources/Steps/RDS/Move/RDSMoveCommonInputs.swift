import Foundation
import Runbook

/// What both moves take alike: the two accounts, the target key and placement, the snapshot's
/// name and the wait's pace.
struct RDSMoveCommonInputs: Sendable, Equatable {
    var from: String
    var to: String
    var kmsKey: String
    var subnetGroup: String
    var securityGroups: [String]
    /// For the restored instance or cluster; nil: the source's.
    var deletionProtection: Bool?
    /// The snapshot the runbook names; nil: derived from the run ID.
    var snapshot: String?
    var pollInterval: Duration
    var waitTimeout: Duration

    init(_ reader: RDSMoveInputReader) throws {
        from = try reader.required("from")
        to = try reader.required("to")
        kmsKey = try reader.required("kmsKey")
        subnetGroup = try reader.required("subnetGroup")
        securityGroups = reader.inputs["securityGroups"]?.arrayValue?.compactMap(\.stringValue) ?? []
        deletionProtection = reader.inputs["deletionProtection"]?.boolValue
        snapshot = reader.inputs["snapshot"]?.stringValue
        pollInterval = reader.duration("pollSeconds") ?? RDSMoveInputReader.defaultPollInterval
        waitTimeout = reader.duration("waitTimeoutSeconds") ?? RDSMoveInputReader.defaultWaitTimeout
    }
}
