import Foundation

/// How long a restore or a new cluster member is expected to take until `available`, for the
/// waits that have no `PercentProgress` to go by (`RDSPollSchedule.nextLook(…expected:…)`).
///
/// The same assumptions the rehearsal projects with (`ProjectionRates`: a restore is 15 min plus
/// 0.1 min per GiB allocated; AWS's guides say "up to 20 minutes" for a new instance), copied here
/// rather than imported: Steps does not depend on Rehearsal. They only decide when polling gets
/// dense; a resource slower or faster than expected is still seen within the floor (see the
/// schedule's bounds).
enum RDSReadinessEstimate {
    static let restoreFixed: Duration = .seconds(15 * 60)
    static let restorePerGiB: Duration = .seconds(6)  // 0.1 min
    /// Aurora's storage is the cluster volume, restored with the cluster; a member is a new instance.
    static let clusterRestore: Duration = .seconds(15 * 60)
    static let clusterMember: Duration = .seconds(15 * 60)

    /// A restored DB instance: 15 min + 0.1 min per GiB of its allocated storage (nil: fixed part only).
    static func instanceRestore(allocatedGiB: Int?) -> Duration {
        restoreFixed + restorePerGiB * max(0, allocatedGiB ?? 0)
    }
}
