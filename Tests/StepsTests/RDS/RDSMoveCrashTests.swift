import AWSSimulator
import Engine
import Foundation
import Journal
import Runbook
import Steps
import Testing
import TestSupport

/// Invariants 1–2 for the RDS move: the run is stopped at every journal write, the journal and
/// engine are abandoned and reopened on the same file (the simulator, like AWS, keeps what
/// happened), and the run is driven to its end. Every crash point ends with the instance restored
/// in the target, and CreateDBSnapshot, CopyDBSnapshot and RestoreDBInstanceFromDBSnapshot issued
/// exactly once each — `check` looked at RDS instead of repeating them — and no DeleteDBInstance.
@Suite struct RDSMoveCrashTests {
    /// Polls every 5 minutes so the modelled minutes take a few polls, not dozens.
    static let runbook = RDSMoveWorld.runbook("      pollInterval: 5m")

    static let once = ["CreateDBSnapshot", "CopyDBSnapshot", "RestoreDBInstanceFromDBSnapshot"]

    @Test func everyJournalWriteOfTheMoveRecoversToTheSameEnd() async throws {
        let plan = try RDSMoveWorld.plan(Self.runbook)
        let clean = try RDSMoveWorld()
        let cleanRun = try await clean.fixture.start(plan)
        #expect(await clean.fixture.driver.drive(cleanRun) == .finished(.completed))
        let writes = clean.fixture.journal.faults.appendsAttempted
        let expected = try #require(await cleanRun.state.steps["move-db.verify"]?.outputs)
        #expect(writes > 20)

        var covered = 0
        for write in 2...writes {
            for afterWrite in [false, true] {
                let world = try RDSMoveWorld()
                if afterWrite {
                    world.fixture.journal.faults.crash(afterAppend: write)
                } else {
                    world.fixture.journal.faults.crash(atAppend: write)
                }
                let first = try await world.fixture.start(plan)
                let stop = await world.fixture.driver.drive(first)
                let context = "crash \(afterWrite ? "after" : "at") write \(write) of \(writes)"
                if !afterWrite || write < writes {
                    #expect(stop == .halted, "\(context): the crash did not stop the engine")
                }

                try world.fixture.reopen()
                _ = try await world.fixture.engine.resumeAll()
                let run = try await world.fixture.engine.executor(for: first.runId)
                #expect(await world.fixture.driver.drive(run) == .finished(.completed), "\(context)")

                let outputs = await run.state.steps["move-db.verify"]?.outputs
                #expect(outputs?["endpoint"] == expected["endpoint"], "\(context)")
                let restored = world.simulator.dbInstances(account: RDSMoveWorld.product).first { $0.identifier == "admin-db" }
                #expect(restored?.status(at: world.fixture.clock.now()) == "available", "\(context)")
                #expect(restored?.kmsKeyId == world.targetKeyArn, "\(context)")
                for operation in Self.once {
                    #expect(world.count(operation) == 1, "\(context): \(operation) issued \(world.count(operation)) times")
                }
                #expect(world.count("DeleteDBInstance") == 0, "\(context)")
                #expect(world.count("DeleteDBSnapshot") == 0, "\(context)")
                let chain = JournalVerifier.verify(try world.fixture.journal.records(stream: first.runId))
                #expect(chain.valid, "\(context): \(chain)")
                covered += 1
            }
        }
        #expect(covered == Int(writes - 1) * 2)
        print("rds crash harness: \(covered) crash points over \(writes) journal writes, all recovered")
    }

    /// The same for a rollback after the whole move: each undo is idempotent across crashes, the
    /// restored instance is deleted exactly once, and nothing the move created is left.
    @Test func everyJournalWriteOfTheRollbackRecovers() async throws {
        let plan = try RDSMoveWorld.plan(RDSMoveWorld.rollbackRunbook)
        let clean = try RDSMoveWorld()
        let cleanRun = try await clean.fixture.start(plan)
        #expect(await clean.fixture.driver.drive(cleanRun, onIdle: RDSMoveWorld.rollbacker) == .finished(.rolledBack))
        let writes = clean.fixture.journal.faults.appendsAttempted

        for write in 2...writes {
            let world = try RDSMoveWorld()
            world.fixture.journal.faults.crash(atAppend: write)
            let first = try await world.fixture.start(plan)
            _ = await world.fixture.driver.drive(first, onIdle: RDSMoveWorld.rollbacker)
            try world.fixture.reopen()
            _ = try await world.fixture.engine.resumeAll()
            let run = try await world.fixture.engine.executor(for: first.runId)
            let context = "crash at write \(write) of \(writes)"
            #expect(await world.fixture.driver.drive(run, onIdle: RDSMoveWorld.rollbacker) == .finished(.rolledBack), "\(context)")
            for operation in Self.once + ["DeleteDBInstance"] {
                #expect(world.count(operation) == 1, "\(context): \(operation) issued \(world.count(operation)) times")
            }
            world.fixture.clock.advance(by: 3600)
            #expect(world.simulator.dbInstances(account: RDSMoveWorld.product).isEmpty, "\(context)")
            #expect(world.simulator.dbSnapshots(account: RDSMoveWorld.product).isEmpty, "\(context)")
            #expect(world.simulator.dbSnapshots(account: RDSMoveWorld.legacy).allSatisfy { $0.snapshotType != "manual" }, "\(context)")
            #expect(world.simulator.dbInstanceStatus("admin-db", account: RDSMoveWorld.legacy) == "available", "\(context)")
        }
        print("rds crash harness (rollback): \(writes - 1) crash points over \(writes) journal writes, all recovered")
    }
}
