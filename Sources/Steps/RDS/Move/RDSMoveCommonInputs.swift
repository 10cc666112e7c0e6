import AWSServices
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
    /// How the snapshot is made shareable when its key cannot be shared (`aws/rds`): nil, the
    /// snapshot is shared as it is; `.create`, the run creates a key for the copy it shares;
    /// `.named`, a customer managed key in the source account.
    var shareKey: RDSShareKeyChoice?
    /// The pending window when the run's own share key is scheduled for deletion (7–30 days).
    var shareKeyDeletionDays: Int

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
        shareKey = reader.inputs["sourceShareKey"]?.stringValue.map(RDSShareKeyChoice.init)
        shareKeyDeletionDays = reader.inputs["shareKeyDeletionDays"]?.numberValue.map { Int($0) } ?? KMSKeyDeletion.defaultWindow
    }
}
