import AWSSimulator
import Engine
import Foundation
import Journal
import Runbook
import Steps
import TestSupport
import Testing

/// Invariants 1–2 for both RDS moves: the run is stopped at every journal write, the journal and
/// engine are abandoned and reopened on the same file (the simulator, like AWS, keeps what
/// happened), and the run is driven to its end. Every crash point ends with the instance — or the
/// cluster and its two members — restored in the target under the target key, each snapshot,
/// copy and restore call issued exactly once (`check` looked at RDS instead of repeating them),
/// and nothing deleted.
@Suite struct RDSMoveCrashTests {
    @Test(arguments: RDSMoveKindCase.all)
    func everyJournalWriteOfTheMoveRecoversToTheSameEnd(_ kind: RDSMoveKindCase) async throws {
        let plan = try kind.movePlan()
        let verify = "\(kind.moveId).verify"
        let clean = try kind.makeCrashWorld(false)
        let cleanRun = try await clean.fixture.start(plan)
        #expect(await clean.fixture.driver.drive(cleanRun, onIdle: RDSMoveKindCase.approver) == .finished(.completed))
        let writes = clean.fixture.journal.faults.appendsAttempted
        let expected = try #require(await cleanRun.state.steps[verify]?.outputs)
        #expect(writes > 20)

        var covered = 0
        for write in 2...writes {
            for afterWrite in [false, true] {
                let world = try kind.makeCrashWorld(false)
                if afterWrite {
                    world.fixture.journal.faults.crash(afterAppend: write)
                } else {
                    world.fixture.journal.faults.crash(atAppend: write)
                }
                let first = try await world.fixture.start(plan)
                let stop = await world.fixture.driver.drive(first, onIdle: RDSMoveKindCase.approver)
                let context = "\(kind.name): crash \(afterWrite ? "after" : "at") write \(write) of \(writes)"
                if !afterWrite || write < writes {
                    #expect(stop == .halted, "\(context): the crash did not stop the engine")
                }

                try world.fixture.reopen()
                _ = try await world.fixture.engine.resumeAll()
                let run = try await world.fixture.engine.executor(for: first.runId)
                #expect(await world.fixture.driver.drive(run, onIdle: RDSMoveKindCase.approver) == .finished(.completed), "\(context)")

                let outputs = await run.state.steps[verify]?.outputs
                #expect(outputs?["endpoint"] == expected["endpoint"], "\(context)")
                for operation in kind.once {
                    #expect(world.count(operation) == 1, "\(context): \(operation) issued \(world.count(operation)) times")
                }
                kind.expectMoved(world, context)
                let chain = JournalVerifier.verify(try world.fixture.journal.records(stream: first.runId))
                #expect(chain.valid, "\(context): \(chain)")
                covered += 1
            }
        }
        #expect(covered == Int(writes - 1) * 2)
        print("rds \(kind.name) crash harness: \(covered) crash points over \(writes) journal writes, all recovered")
    }

    /// The same for a rollback after the whole move: each undo is idempotent across crashes, the
    /// restored instance or cluster is deleted exactly once, and nothing the move created is left.
    @Test(arguments: RDSMoveKindCase.all)
    func everyJournalWriteOfTheRollbackRecovers(_ kind: RDSMoveKindCase) async throws {
        let plan = try kind.rollbackPlan()
        let clean = try kind.makeCrashWorld(false)
        let cleanRun = try await clean.fixture.start(plan)
        #expect(await clean.fixture.driver.drive(cleanRun, onIdle: RDSMoveWorld.rollbacker) == .finished(.rolledBack))
        let writes = clean.fixture.journal.faults.appendsAttempted

        for write in 2...writes {
            let world = try kind.makeCrashWorld(false)
            world.fixture.journal.faults.crash(atAppend: write)
            let first = try await world.fixture.start(plan)
            _ = await world.fixture.driver.drive(first, onIdle: RDSMoveWorld.rollbacker)
            try world.fixture.reopen()
            _ = try await world.fixture.engine.resumeAll()
            let run = try await world.fixture.engine.executor(for: first.runId)
            let context = "\(kind.name): crash at write \(write) of \(writes)"
            #expect(await world.fixture.driver.drive(run, onIdle: RDSMoveWorld.rollbacker) == .finished(.rolledBack), "\(context)")
            for (operation, times) in kind.onceWithRollback.sorted(by: { $0.key < $1.key }) {
                #expect(world.count(operation) == times, "\(context): \(operation) issued \(world.count(operation)) times")
            }
            world.fixture.clock.advance(by: 3600)
            kind.expectRolledBack(world, context)
        }
        print("rds \(kind.name) crash harness (rollback): \(writes - 1) crash points over \(writes) journal writes, all recovered")
    }

    /// Invariants 1–2 over the share-key primitives (issue 17): an aws/rds source moved with a
    /// key the run creates — create the key, copy the snapshot under it, share the copy, …, remove
    /// the copy, schedule the key's deletion after its approval — stopped at every journal write
    /// and resumed, ends with the resource restored under the target key, exactly one key created
    /// and scheduled for deletion once, each copy made once, and the share copy gone.
    @Test(arguments: RDSMoveKindCase.all)
    func everyJournalWriteOfAnAWSRDSMoveWithTheRunsOwnKeyRecovers(_ kind: RDSMoveKindCase) async throws {
        let plan = try kind.planWith(["sourceShareKey: create"], false)
        let clean = try kind.makeCrashWorld(true)
        let cleanRun = try await clean.fixture.start(plan)
        #expect(await clean.fixture.driver.drive(cleanRun, onIdle: RDSMoveKindCase.approver) == .finished(.completed))
        let writes = clean.fixture.journal.faults.appendsAttempted
        // The writes of the chain the existing harness covers are covered there; here, every write
        // of a new primitive or of one that now acts on the share copy.
        let points = try Self.writes(of: Self.shareKeyPrimitives, move: kind.moveId, in: clean.fixture.journal)
        #expect(points.count > 20)

        var covered = 0
        for write in points {
            for afterWrite in [false, true] {
                let world = try kind.makeCrashWorld(true)
                if afterWrite {
                    world.fixture.journal.faults.crash(afterAppend: write)
                } else {
                    world.fixture.journal.faults.crash(atAppend: write)
                }
                let first = try await world.fixture.start(plan)
                let stop = await world.fixture.driver.drive(first, onIdle: RDSMoveKindCase.approver)
                let context = "\(kind.name) share key: crash \(afterWrite ? "after" : "at") write \(write) of \(writes)"
                if !afterWrite || write < writes {
                    #expect(stop != .finished(.completed), "\(context): the crash did not stop the engine")
                }
                try world.fixture.reopen()
                _ = try await world.fixture.engine.resumeAll()
                let run = try await world.fixture.engine.executor(for: first.runId)
                #expect(await world.fixture.driver.drive(run, onIdle: RDSMoveKindCase.approver) == .finished(.completed), "\(context)")

                let restored = kind.restored(world)
                #expect(restored?.status == "available" && restored?.kmsKeyId == world.targetKeyArn, "\(context)")
                for (operation, times) in [(kind.copyCall, 2), (kind.createSnapshot, 1), ("CreateKey", 1), ("ScheduleKeyDeletion", 1)] {
                    #expect(world.count(operation) == times, "\(context): \(operation) issued \(world.count(operation)) times")
                }
                let keys = world.simulator.kmsKeys(account: RDSTwoAccounts.legacy).filter { $0.tags["cutover:run"] == first.runId }
                #expect(keys.map(\.keyState) == ["PendingDeletion"], "\(context)")
                #expect(
                    !world.simulator.dbSnapshots(account: RDSTwoAccounts.legacy, kind: kind.snapshotKind).contains {
                        $0.identifier.hasSuffix("-share")
                    },
                    "\(context)")
                let chain = JournalVerifier.verify(try world.fixture.journal.records(stream: first.runId))
                #expect(chain.valid, "\(context): \(chain)")
                covered += 1
            }
        }
        #expect(covered == points.count * 2)
        print(
            "rds \(kind.name) share-key crash harness: \(covered) crash points at the \(points.count) writes of the share-key primitives (of \(writes)), all recovered"
        )
    }

    /// The same for a rollback when the move is done and waits for the key-deletion approval: the
    /// share copy, the copy in the target, the snapshot and the restored resource are removed, and
    /// the run's key is scheduled for deletion exactly once (after the undo's approval).
    @Test(arguments: RDSMoveKindCase.all)
    func everyJournalWriteOfAnAWSRDSRollbackRecovers(_ kind: RDSMoveKindCase) async throws {
        let plan = try kind.planWith(["sourceShareKey: create"], false)
        let clean = try kind.makeCrashWorld(true)
        let cleanRun = try await clean.fixture.start(plan)
        #expect(await clean.fixture.driver.drive(cleanRun, onIdle: RDSMoveWorld.rollbacker) == .finished(.rolledBack))
        let writes = clean.fixture.journal.faults.appendsAttempted
        let points = try Self.writes(of: Self.shareKeyPrimitives, move: kind.moveId, in: clean.fixture.journal)
        #expect(points.count > 20)

        for write in points {
            let world = try kind.makeCrashWorld(true)
            world.fixture.journal.faults.crash(atAppend: write)
            let first = try await world.fixture.start(plan)
            _ = await world.fixture.driver.drive(first, onIdle: RDSMoveWorld.rollbacker)
            try world.fixture.reopen()
            _ = try await world.fixture.engine.resumeAll()
            let run = try await world.fixture.engine.executor(for: first.runId)
            let context = "\(kind.name) share key: crash at write \(write) of \(writes)"
            #expect(await world.fixture.driver.drive(run, onIdle: RDSMoveWorld.rollbacker) == .finished(.rolledBack), "\(context)")
            for (operation, times) in [("CreateKey", 1), ("ScheduleKeyDeletion", 1), (kind.createSnapshot, 1)] {
                #expect(world.count(operation) == times, "\(context): \(operation) issued \(world.count(operation)) times")
            }
            world.fixture.clock.advance(by: 3600)
            #expect(kind.restored(world) == nil, "\(context)")
            #expect(world.simulator.dbSnapshots(account: RDSTwoAccounts.product, kind: kind.snapshotKind).isEmpty, "\(context)")
            #expect(
                world.simulator.dbSnapshots(account: RDSTwoAccounts.legacy, kind: kind.snapshotKind).allSatisfy {
                    $0.snapshotType != "manual"
                },
                "\(context)")
            let keys = world.simulator.kmsKeys(account: RDSTwoAccounts.legacy).filter { $0.tags["cutover:run"] == first.runId }
            #expect(keys.map(\.keyState) == ["PendingDeletion"], "\(context)")
        }
        print(
            "rds \(kind.name) share-key crash harness (rollback): \(points.count) crash points at the writes of the share-key primitives (of \(writes)), all recovered"
        )
    }

    /// The primitives an aws/rds move adds (`share-key`, `rekey`, `wait-rekey`, `remove-share-copy`,
    /// `delete-share-key`) and those that now act on the share copy (`share`, `copy`).
    static let shareKeyPrimitives = ["share-key", "rekey", "wait-rekey", "share", "copy", "remove-share-copy", "delete-share-key"]

    /// The append numbers (1-based, as `JournalFaults` counts them) of a clean run's records that
    /// name one of `primitives` of the move `move`. Each append of a run writes one record, in order.
    static func writes(of primitives: [String], move: String, in journal: Journal) throws -> [Int64] {
        let records = try journal.records()
        let names = primitives.map { "\"\(move).\($0)\"" }
        return records.enumerated().filter { _, record in names.contains { record.payload.contains($0) } }.map { Int64($0.offset + 1) }
            .filter { $0 >= 2 }
    }
}
