import AWSServices
import Foundation

/// A DB snapshot or DB cluster snapshot, as the shared primitives read it.
protocol RDSSnapshotRecord: Sendable {
    var identifier: String { get }
    var status: String { get }
    var arn: String? { get }
    /// The instance or cluster it is a snapshot of.
    var sourceIdentifier: String? { get }
    var percentProgress: Int? { get }
    var kmsKeyId: String? { get }
    var snapshotCreateTime: Date? { get }
    var tags: [String: String] { get }
}

extension RDSDBSnapshot: RDSSnapshotRecord {
    var sourceIdentifier: String? { instanceIdentifier }
}

extension RDSDBClusterSnapshot: RDSSnapshotRecord {
    var sourceIdentifier: String? { clusterIdentifier }
}
