import AWSClient
import AWSSimulator
import Engine
import Foundation
import Journal
import Runbook
import Steps
import TestSupport
import Testing

/// Invariants 1–2 for the S3 move: a small move crashed at every journal write (before and after
/// the write lands), then resumed by a fresh engine on the same journal, always ends with every
/// object in the re-created bucket, staging removed, and DeleteBucket of the source issued at
/// most once.
@Suite struct S3MoveCrashTests {
    static let objectCount = 3

    static func prepare(_ world: S3TestWorld) throws -> [String: Data] {
        try world.seedSource(count: objectCount, size: 64)
    }

    @Test func everyJournalWriteOfASmallMoveRecovers() async throws {
        let clean = try S3TestWorld()
        _ = try Self.prepare(clean)
        let cleanRun = try await clean.start(S3TestWorld.moveRunbook())
        #expect(await clean.fixture.driver.drive(cleanRun, onIdle: S3TestWorld.approver) == .finished(.completed))
        let writes = clean.fixture.journal.faults.appendsAttempted
        let started = ContinuousClock.now
        var covered = 0
        for write in 2...writes {
            for afterWrite in [false, true] {
                try await crashAndRecover(at: write, afterWrite: afterWrite)
                covered += 1
            }
        }
        print("s3 move crash harness: \(covered) crash points over \(writes) journal writes in \(ContinuousClock.now - started)")
    }

    func crashAndRecover(at write: Int64, afterWrite: Bool) async throws {
        let context = "crash \(afterWrite ? "after" : "at") write \(write)"
        let world = try S3TestWorld()
        let bodies = try Self.prepare(world)
        let plan = try world.plan(S3TestWorld.moveRunbook())
        let (_, end) = try await world.crashAndResume(plan, at: write, afterWrite: afterWrite, onIdle: S3TestWorld.approver)

        #expect(end == .finished(.completed), "\(context)")
        #expect(world.requests("DeleteBucket", on: "admin-images").count <= 1, "\(context)")
        #expect(world.simulator.bucket("admin-images")?.owner == S3TestWorld.product, "\(context)")
        #expect(world.simulator.bucket("admin-images-staging") == nil, "\(context)")
        for (key, body) in bodies {
            let object = world.simulator.object(bucket: "admin-images", key: key)
            #expect(object?.body == .bytes(body), "\(context): \(key)")
            #expect(object?.checksums["SHA256"] == S3TestSupport.sha256Base64(body), "\(context): \(key)")
        }
    }
}

/// The rollback after the point of no return, crashed at every journal write: the move empties
/// and deletes the source, the re-create loop in the target runs out against a held name, the
/// operator rolls back, and the rollback re-creates the bucket in the source, copies back from
/// staging and (approved) removes staging. Every crash point must end rolled back with every
/// object in the source bucket, staging gone, DeleteBucket of the source issued once.
@Suite struct S3RollbackCrashTests {
    static let objectCount = 3
    /// Forced wait 1 min, loop every 10 s for 20 s, name held 95 s: the target's loop fails three
    /// times, the rollback's loop meets the hold twice and then gets the name.
    static let runbook = S3TestWorld.moveRunbook(forcedWait: "1m", recreate: "{ every: 10s, for: 20s }")
    static let nameHold: TimeInterval = 95

    @Test func everyJournalWriteOfARollbackAfterThePointOfNoReturnRecovers() async throws {
        let clean = try S3TestWorld(nameHold: Self.nameHold)
        _ = try clean.seedSource(count: Self.objectCount, size: 64)
        let cleanRun = try await clean.start(Self.runbook)
        #expect(await clean.fixture.driver.drive(cleanRun, onIdle: S3MoveRollbackTests.rollBackAtTheDecision) == .finished(.rolledBack))
        #expect(await cleanRun.state.steps["move-images.delete-source"]?.undone == true)
        let writes = clean.fixture.journal.faults.appendsAttempted
        let started = ContinuousClock.now
        var covered = 0
        for write in 2...writes {
            for afterWrite in [false, true] {
                try await crashAndRecover(at: write, afterWrite: afterWrite)
                covered += 1
            }
        }
        print("s3 rollback crash harness: \(covered) crash points over \(writes) journal writes in \(ContinuousClock.now - started)")
    }

    func crashAndRecover(at write: Int64, afterWrite: Bool) async throws {
        let context = "crash \(afterWrite ? "after" : "at") write \(write)"
        let world = try S3TestWorld(nameHold: Self.nameHold)
        let bodies = try world.seedSource(count: Self.objectCount, size: 64)
        let plan = try world.plan(Self.runbook)
        let (run, end) = try await world.crashAndResume(
            plan, at: write, afterWrite: afterWrite, onIdle: S3MoveRollbackTests.rollBackAtTheDecision)

        let reason = await run.state.statusReason
        #expect(end == .finished(.rolledBack), "\(context): \(reason)")
        #expect(world.requests("DeleteBucket", on: "admin-images").count == 1, "\(context)")
        #expect(world.simulator.bucket("admin-images")?.owner == S3TestWorld.legacy, "\(context)")
        #expect(world.simulator.bucket("admin-images-staging") == nil, "\(context)")
        for (key, body) in bodies {
            let object = world.simulator.object(bucket: "admin-images", key: key)
            #expect(object?.body == .bytes(body), "\(context): \(key)")
            #expect(object?.checksums["SHA256"] == S3TestSupport.sha256Base64(body), "\(context): \(key)")
        }
    }
}
