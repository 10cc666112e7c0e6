/// The RDS waits a cutover makes, one status at a time: pass the status from the latest describe
/// (or `nil` when the resource was not found) and act on the answer. No sleeping here — the engine
/// polls with its own clock (`RDSWaiter.delay` is botocore's interval).
public enum RDSWaiters {
    /// `DBSnapshotAvailable`: a snapshot being created or copied.
    public static func snapshotState(_ status: String?) -> RDSWaitState { RDSWaiter.dbSnapshotAvailable.state(status: status) }
    /// `DBSnapshotDeleted`.
    public static func snapshotDeletedState(_ status: String?) -> RDSWaitState { RDSWaiter.dbSnapshotDeleted.state(status: status) }
    /// `DBInstanceAvailable`: an instance being created or restored.
    public static func instanceState(_ status: String?) -> RDSWaitState { RDSWaiter.dbInstanceAvailable.state(status: status) }
    /// `DBInstanceDeleted`.
    public static func instanceDeletedState(_ status: String?) -> RDSWaitState { RDSWaiter.dbInstanceDeleted.state(status: status) }
    /// `DBClusterAvailable`: a cluster being restored.
    public static func clusterState(_ status: String?) -> RDSWaitState { RDSWaiter.dbClusterAvailable.state(status: status) }
    /// `DBClusterDeleted`.
    public static func clusterDeletedState(_ status: String?) -> RDSWaitState { RDSWaiter.dbClusterDeleted.state(status: status) }
    /// `DBClusterSnapshotAvailable`: a cluster snapshot being created or copied.
    public static func clusterSnapshotState(_ status: String?) -> RDSWaitState {
        RDSWaiter.dbClusterSnapshotAvailable.state(status: status)
    }
    /// `DBClusterSnapshotDeleted`.
    public static func clusterSnapshotDeletedState(_ status: String?) -> RDSWaitState {
        RDSWaiter.dbClusterSnapshotDeleted.state(status: status)
    }
}
