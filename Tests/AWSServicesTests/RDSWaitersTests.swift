import AWSServices
import Testing

/// The waiter acceptors of botocore's waiters-2.json, as pure functions.
@Suite struct RDSWaitersTests {
    @Test(arguments: ["deleted", "deleting", "failed", "incompatible-restore", "incompatible-parameters"])
    func availableWaitsFailOnTerminalStatuses(_ status: String) {
        for state in [RDSWaiters.snapshotState, RDSWaiters.instanceState, RDSWaiters.clusterState, RDSWaiters.clusterSnapshotState] {
            guard case .failed(let reason) = state(status) else {
                Issue.record("\(status) should fail the wait")
                continue
            }
            #expect(reason.contains(status))
        }
    }

    @Test(arguments: ["creating", "backing-up", "copying", "modifying", "storage-full", "stopped", "configuring-enhanced-monitoring"])
    func availableWaitsKeepGoingOnOtherStatuses(_ status: String) {
        #expect(RDSWaiters.snapshotState(status) == .pending)
        #expect(RDSWaiters.instanceState(status) == .pending)
        #expect(RDSWaiters.clusterState(status) == .pending)
        #expect(RDSWaiters.clusterSnapshotState(status) == .pending)
    }

    @Test func availableIsDoneAndMissingIsFailure() {
        #expect(RDSWaiters.snapshotState("available") == .done)
        #expect(RDSWaiters.instanceState("available") == .done)
        #expect(RDSWaiters.clusterState("available") == .done)
        #expect(RDSWaiters.clusterSnapshotState("available") == .done)
        guard case .failed = RDSWaiters.snapshotState(nil) else {
            Issue.record("a snapshot that vanished while waiting for it must fail the wait")
            return
        }
    }

    @Test func deleteWaitsAreDoneWhenTheResourceIsGone() {
        #expect(RDSWaiters.instanceDeletedState(nil) == .done)
        #expect(RDSWaiters.snapshotDeletedState(nil) == .done)
        #expect(RDSWaiters.clusterDeletedState(nil) == .done)
        #expect(RDSWaiters.clusterSnapshotDeletedState(nil) == .done)
        #expect(RDSWaiters.instanceDeletedState("deleting") == .pending)
        #expect(RDSWaiters.instanceDeletedState("available") == .pending)
        for status in ["creating", "modifying", "rebooting", "resetting-master-credentials"] {
            guard case .failed = RDSWaiters.instanceDeletedState(status) else {
                Issue.record("\(status) should fail the delete wait")
                continue
            }
        }
    }

    @Test func listsFollowBotocorePathAllAndPathAny() {
        let waiter = RDSWaiter.dbSnapshotAvailable
        #expect(waiter.state(statuses: []) == .pending)
        #expect(waiter.state(statuses: ["available", "available"]) == .done)
        #expect(waiter.state(statuses: ["available", "creating"]) == .pending)
        #expect(waiter.state(statuses: ["available", "failed"]) != .pending)
        #expect(RDSWaiter.dbInstanceDeleted.state(statuses: []) == .done)
        #expect(waiter.delay == .seconds(30) && waiter.maxAttempts == 60)
        #expect(waiter.operation == "DescribeDBSnapshots")
    }

    @Test func errorsDecideByNotFoundCode() {
        func error(_ code: String) -> AWSError {
            AWSError(
                origin: .service, code: code, message: "m", httpStatus: 404, operation: "Describe", service: "rds", region: "us-east-1")
        }
        #expect(RDSWaiter.dbInstanceDeleted.state(error: error("DBInstanceNotFound")) == .done)
        #expect(RDSWaiter.dbSnapshotDeleted.state(error: error("DBSnapshotNotFound")) == .done)
        #expect(RDSWaiter.dbClusterDeleted.state(error: error("DBClusterNotFoundFault")) == .done)
        #expect(RDSWaiter.dbClusterSnapshotDeleted.state(error: error("DBClusterSnapshotNotFoundFault")) == .done)
        #expect(RDSWaiter.dbSnapshotAvailable.state(error: error("DBSnapshotNotFound")) != .done)
        #expect(RDSWaiter.dbInstanceDeleted.state(error: error("AccessDenied")) != .done)
        #expect(RDSWaiter.all.count == 8)
    }

    /// RDS's Query API and the SDKs (and moto) spell "not found" with and without `Fault`; the
    /// waiters accept both, as the steps do.
    @Test func eitherSpellingOfNotFoundMeansGone() {
        func error(_ code: String) -> AWSError {
            AWSError(
                origin: .service, code: code, message: "m", httpStatus: 404, operation: "Describe", service: "rds", region: "us-east-1")
        }
        #expect(RDSWaiter.dbSnapshotDeleted.state(error: error("DBSnapshotNotFoundFault")) == .done)
        #expect(RDSWaiter.dbInstanceDeleted.state(error: error("DBInstanceNotFoundFault")) == .done)
        #expect(RDSWaiter.dbClusterSnapshotDeleted.state(error: error("DBClusterSnapshotNotFound")) == .done)
        #expect(RDSWaiter.dbClusterSnapshotDeleted.state(error: error("DBSnapshotNotFound")) != .done)
    }
}
