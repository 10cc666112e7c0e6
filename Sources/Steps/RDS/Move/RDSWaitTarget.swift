import AWSServices

/// What a wait primitive waits for.
enum RDSWaitTarget: String, Sendable {
    /// The snapshot in the source, its copy in the target.
    case snapshot, copy
    /// The snapshot's copy under the share key, in the source.
    case shareCopy
    /// The restored instance or cluster.
    case restored
    /// Every member of the restored cluster.
    case members

    /// The primitive this wait follows.
    var creator: String {
        switch self {
        case .snapshot: "snapshot"
        case .copy: "copy"
        case .shareCopy: "rekey"
        case .restored: "restore"
        case .members: "members"
        }
    }
}

/// What one poll of a wait saw.
struct RDSWaitObservation: Sendable {
    var state: RDSWaitState
    /// The status RDS reported, when one resource was looked at.
    var status: String?
    var what: String
    var progress: String
    /// RDS's `PercentProgress`, where it gives one (snapshots and their copies).
    var percent: Int? = nil
    var account: String
    var resource: String
    /// How long the resource is expected to take, where RDS gives no progress (`RDSReadinessEstimate`).
    var expected: Duration? = nil
}
