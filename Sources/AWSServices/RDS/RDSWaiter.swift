/// botocore's RDS waiters (`waiters-2.json`, API 2014-10-31) as pure functions of an observation,
/// so the engine can poll with its own clock, journal each observation, and survive restarts.
///
/// The acceptors are evaluated in botocore's order: the first that matches decides. A status no
/// acceptor names (`backing-up`, `modifying`, `storage-full`, …) keeps the wait going, as in botocore.
public struct RDSWaiter: Sendable, Equatable {
    /// botocore's name, e.g. `DBSnapshotAvailable`.
    public let name: String
    /// The describe call to poll.
    public let operation: String
    /// botocore's polling interval and attempt count (30 s × 60 = 30 min); often too short for large
    /// copies and restores, so the engine treats them as defaults, not limits.
    public let delay: Duration
    public let maxAttempts: Int
    /// Success when every described resource has this status (`pathAll`).
    let successStatus: String?
    /// Failure when any described resource has one of these (`pathAny`).
    let failureStatuses: [String]
    /// Success when the describe returns nothing, or fails with `notFoundCode` (the delete waiters).
    let goneIsSuccess: Bool
    /// The error code that means "no such resource" (in either of RDS's spellings).
    let notFoundCode: AWSErrorCode

    /// The state after a describe that returned resources with these statuses (an empty list: none).
    public func state(statuses: [String]) -> RDSWaitState {
        if goneIsSuccess && statuses.isEmpty { return .done }
        if let successStatus, !statuses.isEmpty, statuses.allSatisfy({ $0 == successStatus }) { return .done }
        if let bad = statuses.first(where: failureStatuses.contains) {
            return .failed(reason: "\(name): the resource is \(bad), it will not become \(successStatus ?? "deleted")")
        }
        return .pending
    }

    /// The state after the describe failed. Not found means done for the delete waiters; any other
    /// error ends the wait, as botocore's does (the client has already retried transient errors).
    public func state(error: AWSError) -> RDSWaitState {
        if error.code == notFoundCode {
            return goneIsSuccess ? .done : .failed(reason: "\(name): the resource does not exist (\(error.code))")
        }
        return .failed(reason: "\(name): \(error.code): \(error.message)")
    }

    /// The state of one resource described by identifier: `nil` means it was not found.
    public func state(status: String?) -> RDSWaitState {
        guard let status else {
            return goneIsSuccess ? .done : .failed(reason: "\(name): the resource does not exist (\(notFoundCode.name))")
        }
        return state(statuses: [status])
    }

    private static let createFailures = ["deleted", "deleting", "failed", "incompatible-restore", "incompatible-parameters"]
    private static let deleteFailures = ["creating", "modifying", "rebooting", "resetting-master-credentials"]

    private static func available(_ name: String, _ operation: String, notFound: AWSErrorCode) -> RDSWaiter {
        RDSWaiter(
            name: name, operation: operation, delay: .seconds(30), maxAttempts: 60, successStatus: "available",
            failureStatuses: createFailures, goneIsSuccess: false, notFoundCode: notFound)
    }

    private static func deleted(_ name: String, _ operation: String, notFound: AWSErrorCode) -> RDSWaiter {
        RDSWaiter(
            name: name, operation: operation, delay: .seconds(30), maxAttempts: 60, successStatus: nil,
            failureStatuses: deleteFailures, goneIsSuccess: true, notFoundCode: notFound)
    }

    public static let dbSnapshotAvailable = available("DBSnapshotAvailable", "DescribeDBSnapshots", notFound: .dbSnapshotNotFound)
    public static let dbSnapshotDeleted = deleted("DBSnapshotDeleted", "DescribeDBSnapshots", notFound: .dbSnapshotNotFound)
    public static let dbInstanceAvailable = available("DBInstanceAvailable", "DescribeDBInstances", notFound: .dbInstanceNotFound)
    public static let dbInstanceDeleted = deleted("DBInstanceDeleted", "DescribeDBInstances", notFound: .dbInstanceNotFound)
    public static let dbClusterAvailable = available("DBClusterAvailable", "DescribeDBClusters", notFound: .dbClusterNotFound)
    public static let dbClusterDeleted = deleted("DBClusterDeleted", "DescribeDBClusters", notFound: .dbClusterNotFound)
    public static let dbClusterSnapshotAvailable = available(
        "DBClusterSnapshotAvailable", "DescribeDBClusterSnapshots", notFound: .dbClusterSnapshotNotFound)
    public static let dbClusterSnapshotDeleted = deleted(
        "DBClusterSnapshotDeleted", "DescribeDBClusterSnapshots", notFound: .dbClusterSnapshotNotFound)

    /// Every waiter, for lookups by name.
    public static let all: [RDSWaiter] = [
        dbSnapshotAvailable, dbSnapshotDeleted, dbInstanceAvailable, dbInstanceDeleted,
        dbClusterAvailable, dbClusterDeleted, dbClusterSnapshotAvailable, dbClusterSnapshotDeleted,
    ]
}
