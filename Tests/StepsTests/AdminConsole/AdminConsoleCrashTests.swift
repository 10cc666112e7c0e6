import AWSSimulator
import Engine
import Foundation
import Journal
import Runbook
import Steps
import TestSupport
import Testing

/// Issue 5's end-to-end invariant for `Runbooks/examples/admin-console-moves.yaml`: the whole cutover —
/// pre-copy, maintenance approval, the database and bucket moves in parallel, the closing
/// approval — stopped at journal writes (once with the write lost, once just after it landed),
/// then resumed by a fresh engine on the same journal, always reaches the clean run's end:
/// every object in product's `admin-images` with its SHA-256, staging gone, `admin-db`
/// available in product under the product key, DeleteBucket of `admin-images` and
/// DeleteDBInstance issued at most once, and no bucket created outside product. Beyond the issue:
/// the RDS snapshot, copy and restore issued exactly once, the forced wait journaled once an hour
/// after the delete, the journal's fold equal to the live state and the hash chain valid.
@Suite struct AdminConsoleCrashTests {
    /// RDS calls `check` must answer for after a crash instead of repeating them.
    static let onceRDS = ["CreateDBSnapshot", "CopyDBSnapshot", "RestoreDBInstanceFromDBSnapshot"]

    @Test func cleanRunCompletesTheCutover() async throws {
        let plan = try AdminConsoleWorld.plan()
        let world = try AdminConsoleWorld()
        let run = try await world.start(plan)
        let end = await world.fixture.driver.drive(run, onIdle: AdminConsoleWorld.approver)
        let writes = world.fixture.journal.faults.appendsAttempted
        try await expectEndState(world, run: run, end: end, context: "clean run")
        #expect(world.requests("DeleteBucket", on: AdminConsoleWorld.bucket).count == 1)
        #expect(world.requests("DeleteDBInstance").isEmpty, "the move leaves the source instance in legacy")
        #expect(world.simulator.dbInstanceStatus("admin-db", account: AdminConsoleWorld.legacy) == "available")
        #expect(world.requests("CreateBucket").count == 2, "staging, then the re-created admin-images")
        let kinds = Dictionary(grouping: try world.fixture.events(run.runId), by: { $0.0.kind }).mapValues(\.count)
        print("admin-console clean run: \(writes) journal writes, \(kinds.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" })")
    }

    /// Every write of the clean run (2…N; write 1 is `run.created`, before which there is no run),
    /// crashed before and after it lands: about 200 crash points, well under a minute.
    @Test func crashAtEveryJournalWriteRecoversToTheSameEnd() async throws {
        let plan = try AdminConsoleWorld.plan()
        let clean = try AdminConsoleWorld()
        let cleanRun = try await clean.start(plan)
        let cleanEnd = await clean.fixture.driver.drive(cleanRun, onIdle: AdminConsoleWorld.approver)
        try #require(cleanEnd == .finished(.completed))
        let writes = clean.fixture.journal.faults.appendsAttempted
        // Write n of the clean run is its n-th record (one stream, every append landed). Parallel
        // branches interleave, so in a crashed run write n may belong to a sibling step.
        let steps = try clean.fixture.events(cleanRun.runId).map { $0.0.stepId ?? "-" }
        try #require(Int64(steps.count) == writes)

        let started = ContinuousClock.now
        var covered = 0
        for write in 2...writes {
            for afterWrite in [false, true] {
                try await crashAndRecover(plan, at: write, afterWrite: afterWrite, of: writes, step: steps[Int(write) - 1])
                covered += 1
            }
        }
        #expect(covered == Int(writes - 1) * 2)
        print(
            "admin-console crash harness: \(covered) crash points over \(writes) journal writes "
                + "(\(Set(steps).count - 1) steps), all recovered, in \(ContinuousClock.now - started)")
    }

    func crashAndRecover(_ plan: RunbookPlan, at write: Int64, afterWrite: Bool, of writes: Int64, step: String) async throws {
        let context = "crash \(afterWrite ? "after" : "at") write \(write) of \(writes) (\(step))"
        let world = try AdminConsoleWorld()
        world.installRegistry(plan)
        try world.fixture.reopen()
        if afterWrite {
            world.fixture.journal.faults.crash(afterAppend: write)
        } else {
            world.fixture.journal.faults.crash(atAppend: write)
        }
        let first = try await world.fixture.engine.start(
            plan: plan, runbookSource: try AdminConsoleWorld.runbookText(), parameters: [:], initiator: TestPeople.initiator)
        let stop = await world.fixture.driver.drive(first, onIdle: AdminConsoleWorld.approver)
        if !afterWrite || write < writes {
            #expect(stop == .halted, "\(context): the crash did not stop the engine (\(stop))")
        }

        // A restarted daemon: new sessions, a new journal on the same file, a new engine.
        world.installRegistry(plan)
        try world.fixture.reopen()
        _ = try await world.fixture.engine.resumeAll()
        let run = try await world.fixture.engine.executor(for: first.runId)
        let end = await world.fixture.driver.drive(run, onIdle: AdminConsoleWorld.approver)
        var diagnosis = ""
        if end != .finished(.completed) {
            let snapshot = await run.snapshot()
            let open = snapshot.steps.filter { $0.status != .succeeded }.map {
                "\($0.id)=\($0.status)\($0.lastError.map { " [\($0.code): \($0.message)]" } ?? "")"
            }
            diagnosis += "; run \(snapshot.status), unfinished: \(open.joined(separator: ", "))"
            let journaled = try world.fixture.events(first.runId).dropFirst(Int(write) - 2)
            let tail = journaled.map { "\($0.0.kind) \($0.0.stepId ?? "")" }
            diagnosis += "; journal from write \(write - 1): " + tail.joined(separator: " | ")
        }
        try await expectEndState(world, run: run, end: end, context: context, diagnosis: diagnosis)
    }

    /// The end every run must reach, clean or crashed.
    /// `diagnosis` (the unfinished steps and the journal's tail) goes with the first failure only.
    func expectEndState(
        _ world: AdminConsoleWorld, run: RunExecutor, end: EngineDriver.Stop, context: String, diagnosis: String = ""
    ) async throws {
        #expect(end == .finished(.completed), "\(context): \(end)\(diagnosis)")

        let bucket = world.simulator.bucket(AdminConsoleWorld.bucket)
        #expect(bucket?.owner == AdminConsoleWorld.product, "\(context)")
        #expect(bucket?.region == AdminConsoleWorld.region, "\(context)")
        #expect(world.simulator.bucket(AdminConsoleWorld.staging) == nil, "\(context): staging left")
        for (key, body) in world.bodies {
            let object = world.simulator.object(bucket: AdminConsoleWorld.bucket, key: key)
            #expect(object?.body == .bytes(body), "\(context): \(key)")
            #expect(object?.checksums["SHA256"] == S3TestSupport.sha256Base64(body), "\(context): \(key) checksum")
            #expect(object?.write.tags.contains(S3TagPair(key: "app", value: "admin-console")) == true, "\(context): \(key) tags")
        }
        #expect(bucket?.keys.count == AdminConsoleWorld.objectCount, "\(context)")

        let restored = world.simulator.dbInstances(account: AdminConsoleWorld.product).first { $0.identifier == "admin-db" }
        #expect(restored?.status(at: world.fixture.clock.now()) == "available", "\(context)")
        #expect(restored?.storageEncrypted == true, "\(context)")
        #expect(restored?.kmsKeyId == world.targetKeyArn, "\(context)")

        let deletes = world.requests("DeleteBucket", on: AdminConsoleWorld.bucket)
        #expect(deletes.count <= 1, "\(context): DeleteBucket admin-images issued \(deletes.count) times")
        let dbDeletes = world.requests("DeleteDBInstance")
        #expect(dbDeletes.count <= 1, "\(context): DeleteDBInstance issued \(dbDeletes.count) times")
        let misplaced = world.requests("CreateBucket").filter { $0.account != AdminConsoleWorld.product }
        let placed = misplaced.map { "\($0.resource ?? "?") in \($0.account ?? "?")" }
        #expect(misplaced.isEmpty, "\(context): CreateBucket outside product: \(placed)")

        for operation in Self.onceRDS {
            let count = world.requests(operation).count
            #expect(count == 1, "\(context): \(operation) issued \(count) times")
        }

        // The forced wait is journaled once, an hour after the delete, whatever the crash.
        let events = try world.fixture.events(run.runId)
        let timers = events.compactMap { event -> TimerSet? in
            if case let .timerSet(timer) = event.0, timer.step == "move-images.forced-wait" { return timer }
            return nil
        }
        #expect(timers.count == 1, "\(context): forced wait journaled \(timers.count) times")
        if let timer = timers.first, let delete = deletes.first(where: { $0.status < 300 }) {
            #expect(timer.due >= delete.time.addingTimeInterval(3600), "\(context): forced wait due \(timer.due), delete at \(delete.time)")
        }

        #expect(RunState.fold(events) == (await run.state), "\(context): journal fold differs from the live state")
        let chain = JournalVerifier.verify(try world.fixture.journal.records(stream: run.runId))
        #expect(chain.valid, "\(context): \(chain)")
    }
}
