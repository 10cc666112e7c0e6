import AWSClient
import AWSSimulator
import Engine
import Foundation
import Journal
import Runbook
import Steps
import TestSupport
import Testing

/// `s3.copy-objects` with `engine: batch-operations`: the `s3.batch-copy` primitive run by the
/// real executor against the simulator's S3 Batch Operations jobs (issue 19 item 3).
@Suite struct S3BatchCopyTests {
    static let role = "arn:aws:iam::222222222222:role/BatchCopy"

    static func runbook(engine: String = "batch-operations", extra: String = "") -> String {
        """
        apiVersion: cutover/v1
        name: images-batch-copy
        region: us-east-1
        \(S3TestWorld.accountsYAML)
        steps:
          - id: copy
            uses: s3.copy-objects
            with: { from: { account: legacy, bucket: admin-images },
                    to:   { account: product, bucket: admin-images-copy, create: true },
                    engine: \(engine), batchRole: "\(role)", batchStaging: admin-images-batch\(extra) }
        """
    }

    /// The batch role in product, the staging bucket, and the source readable by the role.
    static func prepare(_ world: S3TestWorld, objects: Int) throws -> [String: Data] {
        let bodies = try world.seedSource(count: objects, size: 64)
        try world.simulator.addRole(
            account: S3TestWorld.product, name: "BatchCopy", trustedPrincipals: ["batchoperations.s3.amazonaws.com"])
        try world.simulator.seedBucket("admin-images-batch", account: S3TestWorld.product)
        try world.simulator.setBucketPolicy(
            "admin-images",
            """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"\(role)"},\
            "Action":["s3:GetObject","s3:GetObjectTagging"],"Resource":"arn:aws:s3:::admin-images/*"}]}
            """)
        var timings = S3BatchTimings()
        timings.tasksPerSecond = 4
        world.simulator.setBatchTimings(timings)
        return bodies
    }

    @Test func thePlanSaysWhichEngineCopiesAndWhy() throws {
        let world = try S3TestWorld()
        let batch = try world.plan(Self.runbook())
        #expect(batch.steps.map(\.type) == [S3PrimitiveType.ensureBucket, S3PrimitiveType.batchCopy])
        #expect(batch.steps[1].title.contains("with S3 Batch Operations (role \(Self.role)"))
        #expect(batch.steps[1].inputs["batchRole"]?.stringValue == Self.role)
        #expect(batch.steps[1].inputs["staging"]?["bucket"]?.stringValue == "admin-images-batch")

        let auto = try world.plan(Self.runbook(engine: "auto", extra: ", batchThreshold: 5000"))
        #expect(auto.steps[1].type == S3PrimitiveType.batchCopy)
        #expect(auto.steps[1].title.contains("engine auto: S3 Batch Operations"))
        #expect(auto.steps[1].title.contains("at least 5000 objects"))

        let perObject = try world.plan(Self.runbook(engine: "per-object"))
        #expect(perObject.steps[1].type == S3PrimitiveType.copyObjects)

        #expect(throws: RunbookDiagnostics.self) { try world.plan(Self.runbook(engine: "warp-speed")) }
        let noRole = Self.runbook().replacingOccurrences(of: "batchRole: \"\(Self.role)\", ", with: "")
        #expect(throws: RunbookDiagnostics.self) { try world.plan(noRole) }
    }

    @Test func theJobCopiesAndItsFailedTasksAreCopiedPerObject() async throws {
        let world = try S3TestWorld()
        let bodies = try Self.prepare(world, objects: 20)
        world.simulator.injectBatchTaskFault(
            S3BatchTaskFault(
                keyPrefix: "images/0003", error: SimError("SlowDown", "Please reduce your request rate.", status: 503)))
        let run = try await world.start(Self.runbook())
        #expect(await world.fixture.driver.drive(run, onIdle: S3TestWorld.approver) == .finished(.completed))

        for (key, body) in bodies {
            #expect(world.simulator.object(bucket: "admin-images-copy", key: key)?.body == .bytes(body), "\(key)")
        }
        // Every object keeps its storage class: the job takes the 16 STANDARD objects, the 4
        // STANDARD_IA ones (every fifth) are copied per object with the failed task.
        for (key, _) in bodies {
            let source = world.simulator.object(bucket: "admin-images", key: key)?.write.storageClass
            #expect(world.simulator.object(bucket: "admin-images-copy", key: key)?.write.storageClass == source, "\(key)")
        }
        let outputs = await run.state.steps["copy.copy"]?.outputs ?? [:]
        #expect(outputs["tasks"] == "16")
        #expect(outputs["tasksSucceeded"] == "15")
        #expect(outputs["tasksFailed"] == "1")
        #expect(outputs["reportFailedTasks"] == "1")
        #expect(outputs["leftToPerObject"] == "4")
        #expect(outputs["perObject.copied"] == "5")
        // One job, confirmed once; the only CopyObject requests are the per-object copies of the
        // failed task and of the objects left out of the job.
        #expect(world.requests("CreateJob").count == 1)
        #expect(world.requests("UpdateJobStatus").count == 1)
        #expect(
            world.requests("CopyObject").compactMap(\.resource).sorted() == [
                "admin-images-copy/images/0000.jpg", "admin-images-copy/images/0003.jpg", "admin-images-copy/images/0005.jpg",
                "admin-images-copy/images/0010.jpg", "admin-images-copy/images/0015.jpg",
            ])
        let job = try #require(world.simulator.batchJobs(account: S3TestWorld.product).first)
        #expect(job.status == .complete)
        #expect(outputs["jobId"] == job.id)
        // The manifest in staging lists every source object.
        guard
            case .bytes(let manifest)? = world.simulator.bucket("admin-images-batch").flatMap({ bucket in
                bucket.keys.first { $0.hasSuffix("manifest.csv") }.flatMap { bucket.current($0)?.body }
            })
        else {
            Issue.record("no manifest in staging")
            return
        }
        #expect(String(decoding: manifest, as: UTF8.self).split(separator: "\n").count == 16)
    }

    static let moveRunbook = """
        apiVersion: cutover/v1
        name: images-move-batch
        region: us-east-1
        \(S3TestWorld.accountsYAML)
        steps:
          - id: move-images
            uses: s3.move-bucket
            with: { bucket: admin-images, from: legacy, to: product, staging: admin-images-staging, forcedWait: 1h,
                    recreate: { every: 10s, for: 5m }, engine: batch-operations, batchRole: "\(role)",
                    batchStaging: admin-images-batch }
        """

    @Test func aSameNameMoveCopiesBothWaysWithJobs() async throws {
        let world = try S3TestWorld()
        let plan = try world.plan(Self.moveRunbook)
        #expect(
            plan.steps.filter { $0.type == S3PrimitiveType.batchCopy }.map(\.id) == [
                "move-images.copy-to-staging", "move-images.copy-back",
            ])
        let sameStaging = Self.moveRunbook.replacingOccurrences(
            of: "batchStaging: admin-images-batch", with: "batchStaging: admin-images-staging")
        #expect(throws: RunbookDiagnostics.self) { try world.plan(sameStaging) }

        let bodies = try Self.prepare(world, objects: 12)
        let run = try await world.start(Self.moveRunbook)
        let end = await world.fixture.driver.drive(run, onIdle: S3TestWorld.approver)
        let reason = await run.state.statusReason
        #expect(end == .finished(.completed), "\(reason)")
        #expect(world.simulator.bucket("admin-images")?.owner == S3TestWorld.product)
        for (key, body) in bodies {
            let object = world.simulator.object(bucket: "admin-images", key: key)
            #expect(object?.body == .bytes(body), "\(key)")
            #expect(object?.write.tags.isEmpty == false, "\(key)")
        }
        #expect(world.requests("CreateJob").count == 2)
        #expect(world.simulator.batchJobs(account: S3TestWorld.product).allSatisfy { $0.status == .complete })
    }

    /// The same-name move with both copies as jobs, crashed at and after every journal write:
    /// each resumed run completes with every object in the re-created bucket and two jobs only.
    @Test func everyCrashPointOfABatchMoveRecovers() async throws {
        let clean = try S3TestWorld()
        _ = try Self.prepare(clean, objects: 3)
        let cleanRun = try await clean.start(Self.moveRunbook)
        #expect(await clean.fixture.driver.drive(cleanRun, onIdle: S3TestWorld.approver) == .finished(.completed))
        let writes = clean.fixture.journal.faults.appendsAttempted
        let started = ContinuousClock.now
        var covered = 0
        for write in 2...writes {
            for afterWrite in [false, true] {
                let context = "crash \(afterWrite ? "after" : "at") write \(write)"
                let world = try S3TestWorld()
                let bodies = try Self.prepare(world, objects: 3)
                let plan = try world.plan(Self.moveRunbook)
                let (_, end) = try await world.crashAndResume(plan, at: write, afterWrite: afterWrite, onIdle: S3TestWorld.approver)
                #expect(end == .finished(.completed), "\(context)")
                #expect(world.requests("CreateJob").count == 2, "\(context)")
                #expect(world.requests("DeleteBucket", on: "admin-images").count <= 1, "\(context)")
                for (key, body) in bodies {
                    #expect(world.simulator.object(bucket: "admin-images", key: key)?.body == .bytes(body), "\(context): \(key)")
                }
                covered += 1
            }
        }
        print("s3 batch move crash harness: \(covered) crash points over \(writes) journal writes in \(ContinuousClock.now - started)")
    }

    @Test func autoCopiesPerObjectBelowTheThreshold() async throws {
        let world = try S3TestWorld()
        _ = try Self.prepare(world, objects: 6)
        let run = try await world.start(Self.runbook(engine: "auto", extra: ", batchThreshold: 10"))
        #expect(await world.fixture.driver.drive(run, onIdle: S3TestWorld.approver) == .finished(.completed))
        #expect(world.requests("CreateJob").isEmpty)
        #expect(world.requests("CopyObject").count == 6)
    }

    @Test func aFailedJobStopsTheStepWithItsReasons() async throws {
        let world = try S3TestWorld()
        _ = try Self.prepare(world, objects: 4)
        try world.simulator.setBucketPolicy("admin-images", nil)  // the role may no longer read the source
        var timings = world.simulator.batchTimings
        timings.failureThresholdMinimumTasks = 2
        world.simulator.setBatchTimings(timings)
        let run = try await world.start(Self.runbook())
        _ = await world.fixture.driver.drive(run, onIdle: S3TestWorld.approver)
        let step = await run.state.steps["copy.copy"]
        #expect(step?.lastError?.code == "BatchJobFailed")
        #expect(step?.lastError?.message.contains("TaskFailureThresholdExceeded") == true)
        #expect(step?.lastError?.message.contains(Self.role) == true)
    }

    /// Crash at every journal write of a small batch copy (before and after the write lands),
    /// resume on a fresh engine: the run completes, every object is copied, and there is exactly
    /// one CreateJob in the simulator's request log — the resumed step follows the job it created.
    @Test func everyCrashPointResumesTheSameJob() async throws {
        let clean = try S3TestWorld()
        _ = try Self.prepare(clean, objects: 3)
        let cleanRun = try await clean.start(Self.runbook())
        #expect(await clean.fixture.driver.drive(cleanRun, onIdle: S3TestWorld.approver) == .finished(.completed))
        let writes = clean.fixture.journal.faults.appendsAttempted
        var covered = 0
        var afterJobJournaled = 0
        for write in 2...writes {
            for afterWrite in [false, true] {
                let context = "crash \(afterWrite ? "after" : "at") write \(write)"
                let world = try S3TestWorld()
                let bodies = try Self.prepare(world, objects: 3)
                let plan = try world.plan(Self.runbook())
                let (_, end) = try await world.crashAndResume(
                    plan, at: write, afterWrite: afterWrite, onIdle: S3TestWorld.approver,
                    afterCrash: { if world.requests("CreateJob").count == 1 { afterJobJournaled += 1 } })
                #expect(end == .finished(.completed), "\(context)")
                #expect(world.requests("CreateJob").count == 1, "\(context)")
                #expect(world.simulator.batchJobs(account: S3TestWorld.product).count == 1, "\(context)")
                for (key, body) in bodies {
                    #expect(world.simulator.object(bucket: "admin-images-copy", key: key)?.body == .bytes(body), "\(context): \(key)")
                }
                covered += 1
            }
        }
        #expect(afterJobJournaled > 0, "some crash points fall after the job was created")
        print("s3 batch copy crash harness: \(covered) crash points over \(writes) journal writes, \(afterJobJournaled) after CreateJob")
    }
}
