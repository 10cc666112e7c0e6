/// What one observation of an RDS resource means for a wait: finished, failed for good, or not yet.
public enum RDSWaitState: Sendable, Equatable {
    /// The wait is over: the resource reached the wanted state (or, for a delete, is gone).
    case done
    /// The resource reached a state it will not leave on its own (`failed`, `incompatible-restore`,
    /// deleted while waiting to become available, …): stop waiting and report `reason`.
    case failed(reason: String)
    /// Still on its way: poll again later.
    case pending
}
