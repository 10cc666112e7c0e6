import AWSSimulator
import Engine
import Foundation
import Journal
import Runbook
import Steps
import Testing
import TestSupport

/// Invariants 1–2 for the Aurora move: the example's move is stopped at every journal write, the
/// journal and engine are reopened on the same file (the simulator, like AWS, keeps what
/// happened), and the run is driven to its end. Every crash point ends with the cluster and its
/// two members restored in the target under the target key, each mutating call issued exactly
/// once — `check` looked at RDS instead of repeating them — and nothing deleted.
@Suite struct RDSMoveClusterCrashTests {
    typealias World = RDSClusterMoveWorld

    static let once = [
        "CreateDBClusterSnapshot", "ModifyDBClusterSnapshotAttribute", "CopyDBClusterSnapshot", "RestoreDBClusterFromSnapshot",
    ]

    /// The example without its closing approval: every journal write is the engine's own (a crash
    /// inside an operator's approve call fails that call, it does not halt the engine).
    static func moveOnlyPlan() throws -> RunbookPlan {
        let text = try World.exampleText()
        let end = try #require(text.range(of: "  - id: switch-over"))
        return try World.plan(String(text[..<end.lowerBound]))
    }

    @Test func everyJournalWriteOfTheMoveRecoversToTheSameEnd() async throws {
        let plan = try Self.moveOnlyPlan()
        let clean = try World()
        let cleanRun = try await clean.fixture.start(plan)
        #expect(await clean.fixture.driver.drive(cleanRun, onIdle: World.approver) == .finished(.completed))
        let writes = clean.fixture.journal.faults.appendsAttempted
        let expected = try #require(await cleanRun.state.steps["move-aurora.verify"]?.outputs)
        #expect(writes > 20)

        var covered = 0
        for write in 2...writes {
            for afterWrite in [false, true] {
                let world = try World()
                if afterWrite {
                    world.fixture.journal.faults.crash(afterAppend: write)
                } else {
                    world.fixture.journal.faults.crash(atAppend: write)
                }
                let first = try await world.fixture.start(plan)
                let stop = await world.fixture.driver.drive(first, onIdle: World.approver)
                let context = "crash \(afterWrite ? "after" : "at") write \(write) of \(writes)"
                if !afterWrite || write < writes {
                    #expect(stop == .halted, "\(context): the crash did not stop the engine")
                }

                try world.fixture.reopen()
                _ = try await world.fixture.engine.resumeAll()
                let run = try await world.fixture.engine.executor(for: first.runId)
                #expect(await world.fixture.driver.drive(run, onIdle: World.approver) == .finished(.completed), "\(context)")

                let outputs = await run.state.steps["move-aurora.verify"]?.outputs
                #expect(outputs?["endpoint"] == expected["endpoint"], "\(context)")
                let now = world.fixture.clock.now()
                let restored = world.simulator.dbClusters(account: World.product).first { $0.identifier == "admin-aurora" }
                #expect(restored?.status(at: now) == "available", "\(context)")
                #expect(restored?.kmsKeyId == world.targetKeyArn, "\(context)")
                #expect(restored?.members == ["admin-aurora-1", "admin-aurora-2"], "\(context)")
                for operation in Self.once {
                    #expect(world.count(operation) == 1, "\(context): \(operation) issued \(world.count(operation)) times")
                }
                for member in ["admin-aurora-1", "admin-aurora-2"] {
                    let creates = world.simulator.requests { $0.operation == "CreateDBInstance" && $0.resource == member }.count
                    #expect(creates == 1, "\(context): CreateDBInstance \(member) issued \(creates) times")
                }
                #expect(world.simulator.requests { $0.operation.hasPrefix("Delete") }.isEmpty, "\(context)")
                let chain = JournalVerifier.verify(try world.fixture.journal.records(stream: first.runId))
                #expect(chain.valid, "\(context): \(chain)")
                covered += 1
            }
        }
        #expect(covered == Int(writes - 1) * 2)
        print("rds cluster crash harness: \(covered) crash points over \(writes) journal writes, all recovered")
    }

    /// The same for a rollback before the switch: each undo is idempotent across crashes, the
    /// members and the cluster are deleted exactly once, and nothing the move created is left.
    @Test func everyJournalWriteOfTheRollbackRecovers() async throws {
        let plan = try World.examplePlan()
        let clean = try World()
        let cleanRun = try await clean.fixture.start(plan)
        #expect(await clean.fixture.driver.drive(cleanRun, onIdle: World.rollbacker) == .finished(.rolledBack))
        let writes = clean.fixture.journal.faults.appendsAttempted

        for write in 2...writes {
            let world = try World()
            world.fixture.journal.faults.crash(atAppend: write)
            let first = try await world.fixture.start(plan)
            _ = await world.fixture.driver.drive(first, onIdle: World.rollbacker)
            try world.fixture.reopen()
            _ = try await world.fixture.engine.resumeAll()
            let run = try await world.fixture.engine.executor(for: first.runId)
            let context = "crash at write \(write) of \(writes)"
            #expect(await world.fixture.driver.drive(run, onIdle: World.rollbacker) == .finished(.rolledBack), "\(context)")
            for operation in Self.once + ["DeleteDBCluster"] {
                #expect(world.count(operation) == (operation == "ModifyDBClusterSnapshotAttribute" ? 2 : 1),
                        "\(context): \(operation) issued \(world.count(operation)) times")
            }
            #expect(world.mutations("DeleteDBInstance", in: World.product) == 2, "\(context)")
            world.fixture.clock.advance(by: 3600)
            #expect(world.simulator.dbClusters(account: World.product).map(\.identifier) == ["reporting"], "\(context)")
            #expect(world.simulator.dbInstances(account: World.product).isEmpty, "\(context)")
            #expect(world.simulator.dbSnapshots(account: World.product, kind: .cluster).isEmpty, "\(context)")
            #expect(world.simulator.dbSnapshots(account: World.legacy, kind: .cluster).isEmpty, "\(context)")
            #expect(world.simulator.dbClusters(account: World.legacy).first?.members == ["admin-aurora-a", "admin-aurora-b"], "\(context)")
        }
        print("rds cluster crash harness (rollback): \(writes - 1) crash points over \(writes) journal writes, all recovered")
    }
}
