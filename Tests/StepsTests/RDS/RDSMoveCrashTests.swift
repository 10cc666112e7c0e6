import AWSSimulator
import Engine
import Foundation
import Journal
import Runbook
import Steps
import Testing
import TestSupport

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
        let clean = try kind.makeWorld(false, true)
        let cleanRun = try await clean.fixture.start(plan)
        #expect(await clean.fixture.driver.drive(cleanRun, onIdle: RDSMoveKindCase.approver) == .finished(.completed))
        let writes = clean.fixture.journal.faults.appendsAttempted
        let expected = try #require(await cleanRun.state.steps[verify]?.outputs)
        #expect(writes > 20)

        var covered = 0
        for write in 2...writes {
            for afterWrite in [false, true] {
                let world = try kind.makeWorld(false, true)
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
        let clean = try kind.makeWorld(false, true)
        let cleanRun = try await clean.fixture.start(plan)
        #expect(await clean.fixture.driver.drive(cleanRun, onIdle: RDSMoveWorld.rollbacker) == .finished(.rolledBack))
        let writes = clean.fixture.journal.faults.appendsAttempted

        for write in 2...writes {
            let world = try kind.makeWorld(false, true)
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
}
