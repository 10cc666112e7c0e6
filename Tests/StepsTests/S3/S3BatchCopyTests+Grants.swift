import AWSClient
import AWSSimulator
import Engine
import Foundation
import Runbook
import Steps
import Synchronization
import TestSupport
import Testing

/// Issue 17/19 on the Batch Operations engine: objects with ACL grants are left out of the job
/// and copied per object with their grants; a rollback stops a job the step still polls; a
/// retry after a Failed job makes a new job.
extension S3BatchCopyTests {
    @Test func aBatchMoveCarriesObjectGrantsPerObject() async throws {
        let world = try S3TestWorld()
        let bodies = try Self.prepare(world, objects: 12)
        let objects = bodies.count
        world.simulator.setObjectOwnership(bucket: "admin-images", "ObjectWriter", blockPublicAccess: false)
        let owner = S3ObjectGrant(.canonicalUser(S3MoveObjectACLTests.legacyId), "FULL_CONTROL")
        for key in S3MoveObjectACLTests.publicKeys {
            try world.simulator.setObjectGrants(
                bucket: "admin-images", key: key, [owner, S3ObjectGrant(.group(S3ObjectGrant.allUsers), "READ")])
        }
        try world.simulator.setObjectGrants(
            bucket: "admin-images", key: S3MoveObjectACLTests.sharedKey,
            [owner, S3ObjectGrant(.canonicalUser(S3MoveObjectACLTests.squatterId), "READ")])

        let run = try await world.start(Self.moveRunbook)
        let end = await world.fixture.driver.drive(run, onIdle: S3TestWorld.approver)
        let reason = await run.state.statusReason
        #expect(end == .finished(.completed), "\(reason)")
        S3MoveObjectACLTests.expectTargetACLs(world, "batch move")
        // The copy to staging's job took every object (staging holds no ACLs); the copy back's
        // job left the 3 objects with grants to the per-object pass, which carried them.
        let jobs = world.simulator.batchJobs(account: S3TestWorld.product)
        #expect(jobs.count == 2)
        let totals = jobs.compactMap(\.totalTasks).sorted()
        #expect(totals.count == 2 && totals[0] < totals[1] && totals[1] <= objects, "\(totals)")
        #expect(await run.state.steps["move-images.verify-final"]?.succeeded == true)
    }

    @Test func aRollbackCancelsAJobTheStepIsStillPolling() async throws {
        let world = try S3TestWorld()
        _ = try Self.prepare(world, objects: 40)
        var timings = world.simulator.batchTimings
        timings.tasksPerSecond = 1
        world.simulator.setBatchTimings(timings)
        let asked = Mutex(false)
        let run = try await world.start(Self.runbook())
        let end = await world.fixture.driver.drive(
            run,
            onIdle: { run in
                if !asked.withLock({ $0 }), world.simulator.batchJobs(account: S3TestWorld.product).first?.status == .active {
                    asked.withLock { $0 = true }
                    return (try? await run.rollback(by: TestPeople.bob, comment: "stop the copy")) != nil
                }
                return await S3TestWorld.approver(run)
            })
        let reason = await run.state.statusReason
        #expect(asked.withLock { $0 })
        #expect(end == .finished(.rolledBack), "\(reason)")
        #expect(await run.state.steps["copy.copy"]?.undone == true)
        let job = try #require(world.simulator.batchJobs(account: S3TestWorld.product).first)
        #expect(job.status == .cancelled || job.status == .cancelling, "\(job.status)")
        #expect(job.nextTask < 40)
        #expect(world.requests("UpdateJobStatus").filter { $0.status == 200 }.count == 2, "one confirmation, one cancellation")
    }

    @Test func aRetryAfterAFailedJobCreatesANewJob() async throws {
        let world = try S3TestWorld()
        let bodies = try Self.prepare(world, objects: 4)
        let policy = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"\(Self.role)"},\
            "Action":["s3:GetObject","s3:GetObjectTagging"],"Resource":"arn:aws:s3:::admin-images/*"}]}
            """
        try world.simulator.setBucketPolicy("admin-images", nil)
        var timings = world.simulator.batchTimings
        timings.failureThresholdMinimumTasks = 2
        world.simulator.setBatchTimings(timings)
        let run = try await world.start(Self.runbook())
        _ = await world.fixture.driver.drive(run)
        #expect(await run.state.steps["copy.copy"]?.lastError?.code == "BatchJobFailed")

        // The role's access is fixed and the operator retries: a new job, not the failed one again.
        try world.simulator.setBucketPolicy("admin-images", policy)
        try await run.retry(step: "copy.copy", by: TestPeople.alice, comment: "role fixed")
        let end = await world.fixture.driver.drive(run, onIdle: S3TestWorld.approver)
        let reason = await run.state.statusReason
        #expect(end == .finished(.completed), "\(reason)")
        #expect(world.requests("CreateJob").count == 2)
        let jobs = world.simulator.batchJobs(account: S3TestWorld.product)
        #expect(Set(jobs.map(\.status)) == [.failed, .complete])
        for (key, body) in bodies {
            #expect(world.simulator.object(bucket: "admin-images-copy", key: key)?.body == .bytes(body), "\(key)")
        }
    }
}
