import AWSClient
import AWSSimulator
import Audit
import Engine
import Foundation
import Journal
import Runbook
import Steps
import Synchronization
import TestSupport
import Testing

/// Crash safety of the history copy (issue 17): copying a version is not idempotent, so a copy
/// crashed at any journal write (before or after the write lands) and resumed by a fresh engine
/// must end with exactly the source's history in the destination — no version twice — and the
/// audit log must still map every destination version to its source version.
@Suite struct S3VersionCrashTests {
    @Test func everyJournalWriteOfAHistoryCopyRecoversWithoutDuplicates() async throws {
        let clean = try S3TestWorld()
        try S3VersionHistoryTests.seedHistory(clean)
        let cleanRun = try await clean.start(S3VersionHistoryTests.copyRunbook())
        #expect(await clean.fixture.driver.drive(cleanRun) == .finished(.completed))
        let writes = clean.fixture.journal.faults.appendsAttempted
        var covered = 0
        for write in 2...writes {
            for afterWrite in [false, true] {
                let context = "crash \(afterWrite ? "after" : "at") write \(write)"
                let world = try S3TestWorld()
                let history = try S3VersionHistoryTests.seedHistory(world)
                let plan = try world.plan(S3VersionHistoryTests.copyRunbook())
                let (run, end) = try await world.crashAndResume(plan, at: write, afterWrite: afterWrite)

                #expect(end == .finished(.completed), "\(context)")
                #expect(S3VersionHistoryTests.historyOf(world, "admin-images-copy", keys: history.keys) == history, "\(context)")
                let versions = history.keys.flatMap { key in
                    world.simulator.objectVersions(bucket: "admin-images-copy", key: key).map { "\(key)@\($0.versionId)" }
                }
                let export = S3VersionMapExport(timeline: try AuditTimeline(records: try world.fixture.journal.records(stream: run.runId)))
                #expect(Set(export.rows.map { "\($0.mapping.key)@\($0.mapping.versionId)" }) == Set(versions), "\(context)")
                #expect(export.rows.count == versions.count, "\(context)")
                covered += 1
            }
        }
        print("s3 history copy crash harness: \(covered) crash points over \(writes) journal writes")
    }

    /// The move of a versioned bucket, crashed at every journal write: the re-created bucket ends
    /// with the source's history, DeleteBucket issued at most once.
    @Test func everyJournalWriteOfAVersionedMoveRecovers() async throws {
        let clean = try S3TestWorld()
        try S3VersionHistoryTests.seedHistory(clean)
        let cleanRun = try await clean.start(S3VersionHistoryTests.moveRunbook())
        #expect(await clean.fixture.driver.drive(cleanRun, onIdle: S3TestWorld.approver) == .finished(.completed))
        let writes = clean.fixture.journal.faults.appendsAttempted
        let started = ContinuousClock.now
        for write in 2...writes {
            for afterWrite in [false, true] {
                let context = "crash \(afterWrite ? "after" : "at") write \(write)"
                let world = try S3TestWorld()
                let history = try S3VersionHistoryTests.seedHistory(world)
                let plan = try world.plan(S3VersionHistoryTests.moveRunbook())
                let (run, end) = try await world.crashAndResume(plan, at: write, afterWrite: afterWrite, onIdle: S3TestWorld.approver)

                let reason = await run.state.statusReason
                #expect(end == .finished(.completed), "\(context): \(reason)")
                #expect(world.requests("DeleteBucket", on: "admin-images").count <= 1, "\(context)")
                #expect(world.simulator.bucket("admin-images")?.owner == S3TestWorld.product, "\(context)")
                #expect(S3VersionHistoryTests.historyOf(world, "admin-images", keys: history.keys) == history, "\(context)")
            }
        }
        print("s3 versioned move crash harness: \(2 * (writes - 1)) crash points in \(ContinuousClock.now - started)")
    }

    /// A versioned move whose versions carry their own ACLs, crashed at and after every journal
    /// write: every resumed run completes with each version's grants in place (the capture's
    /// journaled output and the copy to staging's `aclVersionMap` are all the copy back needs).
    @Test func everyJournalWriteOfAVersionedMoveWithACLsRecovers() async throws {
        let clean = try S3TestWorld()
        _ = try S3VersionACLTests.seedGrantedHistory(clean)
        let cleanRun = try await clean.start(S3VersionHistoryTests.moveRunbook())
        #expect(await clean.fixture.driver.drive(cleanRun, onIdle: S3TestWorld.approver) == .finished(.completed))
        let writes = clean.fixture.journal.faults.appendsAttempted
        let started = ContinuousClock.now
        for write in 2...writes {
            for afterWrite in [false, true] {
                let context = "crash \(afterWrite ? "after" : "at") write \(write)"
                let world = try S3TestWorld()
                let history = try S3VersionACLTests.seedGrantedHistory(world)
                let plan = try world.plan(S3VersionHistoryTests.moveRunbook())
                let (run, end) = try await world.crashAndResume(plan, at: write, afterWrite: afterWrite, onIdle: S3TestWorld.approver)
                let reason = await run.state.statusReason
                #expect(end == .finished(.completed), "\(context): \(reason)")
                #expect(S3VersionHistoryTests.historyOf(world, "admin-images", keys: history.keys) == history, "\(context)")
                S3VersionACLTests.expectVersionACLs(world, owner: S3VersionACLTests.productId, context)
            }
        }
        print("s3 versioned move with ACLs crash harness: \(2 * (writes - 1)) crash points in \(ContinuousClock.now - started)")
    }

    /// The rollback of a versioned move after the point of no return, crashed at every journal
    /// write from the operator's rollback decision on (the forward writes are the harness above):
    /// every crash point ends rolled back with the source's history back in the source bucket.
    @Test func everyJournalWriteOfAVersionedRollbackRecovers() async throws {
        try await crashEveryRollbackWrite("s3 versioned rollback", seed: { try S3VersionHistoryTests.seedHistory($0) }) {
            world, history, context in
            #expect(world.requests("DeleteBucket", on: "admin-images").count == 1, "\(context)")
            #expect(world.simulator.bucket("admin-images")?.owner == S3TestWorld.legacy, "\(context)")
            #expect(S3VersionHistoryTests.historyOf(world, "admin-images", keys: history.keys) == history, "\(context)")
            #expect(world.simulator.bucket("admin-images-staging") == nil, "\(context)")
        }
    }

    /// The same rollback with each version carrying its own ACL: every crash point ends rolled
    /// back with each version's original grants (the source's canonical ID) in the source.
    @Test func everyJournalWriteOfAVersionedRollbackWithACLsRecovers() async throws {
        try await crashEveryRollbackWrite("s3 versioned rollback with ACLs", seed: { try S3VersionACLTests.seedGrantedHistory($0) }) {
            world, history, context in
            #expect(S3VersionHistoryTests.historyOf(world, "admin-images", keys: history.keys) == history, "\(context)")
            S3VersionACLTests.expectVersionACLs(world, owner: S3VersionACLTests.legacyId, context)
        }
    }

    /// The rollback harness: a clean run finds the journal write of the operator's rollback
    /// decision; then, in a new world seeded by `seed` for each crash point, the run is crashed
    /// at and after every later write and resumed, and must end rolled back with `check` holding.
    private func crashEveryRollbackWrite(
        _ label: String, seed: (S3TestWorld) throws -> S3VersionHistoryTests.History,
        check: (S3TestWorld, S3VersionHistoryTests.History, String) -> Void
    ) async throws {
        let clean = try S3TestWorld(nameHold: S3RollbackCrashTests.nameHold)
        _ = try seed(clean)
        let decidedAt = Mutex<Int64?>(nil)
        let cleanRun = try await clean.start(Self.rollbackRunbook)
        let faults = clean.fixture.journal.faults
        let end = await clean.fixture.driver.drive(
            cleanRun,
            onIdle: { run in
                let snapshot = await run.snapshot()
                if snapshot.steps.first(where: { $0.id == "move-images.recreate" })?.status == .awaitingDecision {
                    decidedAt.withLock { $0 = $0 ?? faults.appendsAttempted }
                }
                return await S3MoveRollbackTests.rollBackAtTheDecision(run)
            })
        #expect(end == .finished(.rolledBack))
        let writes = faults.appendsAttempted
        let first = try #require(decidedAt.withLock { $0 })
        let started = ContinuousClock.now
        for write in (first + 1)...writes {
            for afterWrite in [false, true] {
                let context = "crash \(afterWrite ? "after" : "at") write \(write)"
                let world = try S3TestWorld(nameHold: S3RollbackCrashTests.nameHold)
                let history = try seed(world)
                let plan = try world.plan(Self.rollbackRunbook)
                let (run, end) = try await world.crashAndResume(
                    plan, at: write, afterWrite: afterWrite, onIdle: S3MoveRollbackTests.rollBackAtTheDecision)
                let reason = await run.state.statusReason
                #expect(end == .finished(.rolledBack), "\(context): \(reason)")
                check(world, history, context)
            }
        }
        print("\(label) crash harness: \(2 * (writes - first)) crash points in \(ContinuousClock.now - started)")
    }

    static let rollbackRunbook = S3VersionHistoryTests.moveRunbook().replacingOccurrences(
        of: "forcedWait: 1h, recreate: { every: 10s, for: 5m }", with: "forcedWait: 1m, recreate: { every: 10s, for: 20s }")

    /// Rollback after the point of no return carries history too: the source is emptied and
    /// deleted, the target's re-create loop runs out, the operator rolls back; the bucket comes
    /// back in the source account with every version and delete marker, in order.
    @Test func rollbackAfterThePointOfNoReturnPutsTheHistoryBack() async throws {
        let world = try S3TestWorld(nameHold: S3RollbackCrashTests.nameHold)
        let history = try S3VersionHistoryTests.seedHistory(world)
        let run = try await world.start(Self.rollbackRunbook)
        let end = await world.fixture.driver.drive(run, onIdle: S3MoveRollbackTests.rollBackAtTheDecision)
        let errors = await run.state.steps.compactMap { id, step in step.lastError.map { "\(id): \($0.description)" } }
        #expect(end == .finished(.rolledBack), "\(errors)")
        #expect(await run.state.steps["move-images.delete-source"]?.undone == true)
        #expect(world.simulator.bucket("admin-images")?.owner == S3TestWorld.legacy)
        #expect(world.simulator.bucket("admin-images")?.versioning == .enabled)
        #expect(S3VersionHistoryTests.historyOf(world, "admin-images", keys: history.keys) == history)
        #expect(world.simulator.bucket("admin-images-staging") == nil)
    }
}
