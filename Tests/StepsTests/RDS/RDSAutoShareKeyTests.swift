import AWSSimulator
import Engine
import Foundation
import Journal
import Runbook
import Steps
import TestSupport
import Testing

/// `sourceShareKey: auto`, the default (issue 17 item 1 without operator work): the plan holds the
/// share-key primitives for every RDS move; the preflight reads the source's key at run time and
/// journals `shareKeyNeeded`. A source that can be shared as it is moves as before, the share-key
/// primitives completing at once as "not needed" and no approval asked; a source on aws/rds gets
/// the run's own key, a re-encrypted copy that is shared, and the key's deletion after an approval.
@Suite struct RDSAutoShareKeyTests {
    static let legacy = RDSTwoAccounts.legacy

    /// What protects the source.
    enum Source: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case unencrypted, customerManaged, awsManaged
        var testDescription: String { rawValue }
    }

    static func world(_ kind: RDSMoveKindCase, _ source: Source, timings: RDSTimings = RDSTimings()) throws -> any RDSMoveTestWorld {
        if kind.name == RDSMoveKindCase.instance.name {
            let key: RDSMoveWorld.Options.SourceKey =
                switch source {
                case .unencrypted: .unencrypted
                case .customerManaged: .customerManaged
                case .awsManaged: .awsManaged
                }
            return try RDSMoveWorld(.init(sourceKey: key, timings: timings))
        }
        return try RDSClusterMoveWorld(
            .init(awsManagedSourceKey: source == .awsManaged, unencrypted: source == .unencrypted, timings: timings))
    }

    /// The share-key primitives of a move, in plan order.
    static let shareKeySteps = ["share-key", "rekey", "wait-rekey", "remove-share-copy", "delete-share-key"]

    static func events(_ world: any RDSMoveTestWorld, _ runId: String) throws -> [RunEvent] {
        try world.fixture.events(runId).map(\.0)
    }

    /// Approves every forward gate it finds, and remembers which it was asked.
    final class Approver: @unchecked Sendable {
        private let lock = NSLock()
        private var asked: [String] = []
        var steps: [String] { lock.withLock { asked } }

        var onIdle: @Sendable (RunExecutor) async -> Bool {
            { [self] run in
                let waiting = await run.snapshot().steps.filter { $0.status == .awaitingApproval }.map(\.id)
                var acted = false
                for step in waiting where (try? await run.approve(step: step, by: TestPeople.alice)) != nil {
                    lock.withLock { asked.append(step) }
                    acted = true
                }
                return acted
            }
        }
    }

    @Test(arguments: RDSMoveKindCase.all)
    func theDefaultPlanHoldsTheShareKeyStepsAndSaysTheyRunOnlyOnAWSRDS(_ kind: RDSMoveKindCase) throws {
        let plan = try kind.planWith([], false)
        let ids = plan.steps.map(\.id)
        for name in Self.shareKeySteps { #expect(ids.contains("\(kind.moveId).\(name)"), "\(name)") }
        #expect(ids.firstIndex(of: "\(kind.moveId).preflight")! < ids.firstIndex(of: "\(kind.moveId).share-key")!)
        for name in ["share-key", "rekey", "wait-rekey", "remove-share-copy", "delete-share-key"] {
            let title = try #require(plan.step("\(kind.moveId).\(name)")).title
            #expect(title.hasPrefix("Only if the "), "\(name): \(title)")
            #expect(title.contains("on aws/rds (sourceShareKey: auto), else done at once as not needed"), "\(name): \(title)")
        }
        let deletion = try #require(plan.step("\(kind.moveId).delete-share-key"))
        #expect(deletion.approval != nil)
        #expect(deletion.approvalCondition == ApprovalCondition(primitive: "\(kind.moveId).share-key", output: "status", equals: "created"))
        #expect(plan.step("\(kind.moveId).share-key")?.undoApproval?.onlyIf?.primitive == "\(kind.moveId).share-key")

        let text = PlanRenderer().text(plan)
        #expect(
            text.contains(
                "before \(kind.moveId).delete-share-key (asked only if \(kind.moveId).share-key output `status` is `created`; else skipped, journaled)"
            ))
        #expect(
            text.contains(
                "undo of \(kind.moveId).share-key waits for approval (asked only if \(kind.moveId).share-key output `status` is `created`)")
        )
        let json = PlanRenderer().json(plan)
        #expect(json.contains("\"approvalCondition\""))

        // `none` keeps today's plan without them; `create` keeps its unconditional gate.
        let none = try kind.planWith(["sourceShareKey: none"], false).steps.map(\.id)
        for name in Self.shareKeySteps { #expect(!none.contains("\(kind.moveId).\(name)"), "\(name)") }
        let create = try kind.planWith(["sourceShareKey: create"], false)
        #expect(create.step("\(kind.moveId).delete-share-key")?.approvalCondition == nil)
        #expect(create.step("\(kind.moveId).delete-share-key")?.approval != nil)
    }

    @Test func shareKeyDeletionDaysIsAcceptedWithAutoAndRefusedWithNone() throws {
        #expect(throws: Never.self) { try RDSMoveKindCase.instance.planWith(["shareKeyDeletionDays: 10"], false) }
        do {
            _ = try RDSMoveKindCase.instance.planWith(["sourceShareKey: none", "shareKeyDeletionDays: 10"], false)
            Issue.record("accepted shareKeyDeletionDays with none")
        } catch let error as RunbookDiagnostics {
            #expect(error.diagnostics.map(\.message).joined().contains("applies only when the run may create the key"))
        }
    }

    /// A source that can be shared as it is: the move is the move it was — one copy (in the
    /// target), the snapshot itself shared, no key created, no approval asked — and the audit
    /// shows why the key-deletion gate was not asked.
    @Test(arguments: RDSMoveKindCase.all, [Source.unencrypted, Source.customerManaged])
    func aSourceThatCanBeSharedAsItIsSkipsTheShareKeySteps(_ kind: RDSMoveKindCase, _ source: Source) async throws {
        let world = try Self.world(kind, source)
        let run = try await world.fixture.start(try kind.planWith([], false))
        #expect(await world.fixture.driver.drive(run) == .finished(.completed), "an approval or a failure stopped the move")
        let context = "\(kind.name) \(source)"

        let restored = try #require(kind.restored(world), "\(context)")
        #expect(restored.status == "available", "\(context)")
        let state = await run.state
        #expect(state.steps["\(kind.moveId).preflight"]?.outputs["shareKeyNeeded"] == "false", "\(context)")
        #expect(state.steps["\(kind.moveId).share-key"]?.outputs["status"] == "not needed", "\(context)")
        #expect(state.steps["\(kind.moveId).rekey"]?.outputs["note"]?.hasPrefix("not needed") == true, "\(context)")
        #expect(state.steps["\(kind.moveId).wait-rekey"]?.outputs["status"] == "not needed", "\(context)")
        #expect(state.steps["\(kind.moveId).remove-share-copy"]?.outputs["status"] == "not needed", "\(context)")
        #expect(state.steps["\(kind.moveId).delete-share-key"]?.outputs["status"] == "not needed", "\(context)")

        #expect(world.count("CreateKey") == 0 && world.count("ScheduleKeyDeletion") == 0, "\(context)")
        #expect(world.count(kind.copyCall) == 1, "\(context): only the copy into the target")
        let shares = world.simulator.requests { $0.operation == kind.share && $0.mutated }
        #expect(!shares.isEmpty && shares.allSatisfy { $0.resource?.hasSuffix("-share") == false }, "\(context)")

        let events = try Self.events(world, run.runId)
        #expect(!events.contains { if case .approvalRequested = $0 { true } else { false } }, "\(context)")
        let skips = events.compactMap { event -> ApprovalSkipped? in
            if case let .approvalSkipped(skip) = event { return skip }
            return nil
        }
        #expect(skips.map(\.step) == ["\(kind.moveId).delete-share-key"], "\(context)")
        #expect(skips.first?.found == "not needed", "\(context)")
    }

    /// A source on aws/rds with no `sourceShareKey` line: the run creates its key, copies the
    /// snapshot under it, shares the copy, removes it, and schedules the key's deletion after the
    /// approval it asked for — the key is PendingDeletion at the end.
    @Test(arguments: RDSMoveKindCase.all)
    func anAWSRDSSourceMovesWithTheRunsOwnKeyAndOneApproval(_ kind: RDSMoveKindCase) async throws {
        let world = try Self.world(kind, .awsManaged)
        let approver = Approver()
        let run = try await world.fixture.start(try kind.planWith([], false))
        #expect(await world.fixture.driver.drive(run, onIdle: approver.onIdle) == .finished(.completed))
        #expect(approver.steps == ["\(kind.moveId).delete-share-key"])

        let restored = try #require(kind.restored(world))
        #expect(restored.status == "available" && restored.kmsKeyId == world.targetKeyArn)
        let state = await run.state
        #expect(state.steps["\(kind.moveId).preflight"]?.outputs["shareKeyNeeded"] == "true")
        #expect(state.steps["\(kind.moveId).share-key"]?.outputs["status"] == "created")
        let keys = world.simulator.kmsKeys(account: Self.legacy).filter { $0.tags["cutover:run"] == run.runId }
        #expect(keys.map(\.keyState) == ["PendingDeletion"])
        #expect(world.count("CreateKey") == 1 && world.count("ScheduleKeyDeletion") == 1)
        let shares = world.simulator.requests { $0.operation == kind.share && $0.mutated }
        #expect(!shares.isEmpty && shares.allSatisfy { $0.resource?.hasSuffix("-share") == true })
        #expect(!world.simulator.dbSnapshots(account: Self.legacy, kind: kind.snapshotKind).contains { $0.identifier.hasSuffix("-share") })
        let gate = try Self.events(world, run.runId).compactMap { event -> ApprovalRequested? in
            if case let .approvalRequested(request) = event { return request }
            return nil
        }.first
        #expect(gate?.message?.contains("pending window of 30 days") == true)
        #expect(try Self.events(world, run.runId).allSatisfy { if case .approvalSkipped = $0 { false } else { true } })
    }

    /// `sourceShareKey: none` keeps today's refusal of an aws/rds source, with the way out.
    @Test(arguments: RDSMoveKindCase.all)
    func noneRefusesAnAWSRDSSourceAndSaysWhatToDo(_ kind: RDSMoveKindCase) async throws {
        let world = try Self.world(kind, .awsManaged)
        let run = try await world.fixture.start(try kind.planWith(["sourceShareKey: none"], false))
        #expect(await world.fixture.driver.drive(run) == .waitingForOperator)
        let error = try #require(await run.snapshot().steps.first { $0.id == "\(kind.moveId).preflight" }?.lastError)
        #expect(error.code == "PreflightFailed")
        #expect(error.message.contains("`sourceShareKey: none`") && error.message.contains("the default, `auto`"))
        #expect(world.simulator.requests { $0.mutated }.isEmpty)
    }

    /// Invariants 1–2 over the auto path on aws/rds: stopped at every journal write of the
    /// preflight (which decides), the share-key primitives and the key-deletion gate, and resumed,
    /// the run ends the same — one key, created once and scheduled for deletion once after one
    /// approval, each copy once, the share copy gone.
    @Test(arguments: RDSMoveKindCase.all)
    func everyJournalWriteOfTheAutoPathOnAWSRDSRecovers(_ kind: RDSMoveKindCase) async throws {
        let plan = try kind.planWith([], false)
        let clean = try Self.world(kind, .awsManaged, timings: RDSMoveKindCase.crashTimings)
        let cleanRun = try await clean.fixture.start(plan)
        #expect(await clean.fixture.driver.drive(cleanRun, onIdle: RDSMoveKindCase.approver) == .finished(.completed))
        let writes = clean.fixture.journal.faults.appendsAttempted
        let points = try RDSMoveCrashTests.writes(
            of: ["preflight"] + RDSMoveCrashTests.shareKeyPrimitives, move: kind.moveId, in: clean.fixture.journal)
        #expect(points.count > 20)

        var covered = 0
        for write in points {
            for afterWrite in [false, true] {
                let world = try Self.world(kind, .awsManaged, timings: RDSMoveKindCase.crashTimings)
                if afterWrite {
                    world.fixture.journal.faults.crash(afterAppend: write)
                } else {
                    world.fixture.journal.faults.crash(atAppend: write)
                }
                let first = try await world.fixture.start(plan)
                _ = await world.fixture.driver.drive(first, onIdle: RDSMoveKindCase.approver)
                try world.fixture.reopen()
                _ = try await world.fixture.engine.resumeAll()
                let run = try await world.fixture.engine.executor(for: first.runId)
                let context = "\(kind.name) auto: crash \(afterWrite ? "after" : "at") write \(write) of \(writes)"
                #expect(await world.fixture.driver.drive(run, onIdle: RDSMoveKindCase.approver) == .finished(.completed), "\(context)")

                let restored = kind.restored(world)
                #expect(restored?.status == "available" && restored?.kmsKeyId == world.targetKeyArn, "\(context)")
                for (operation, times) in [(kind.copyCall, 2), (kind.createSnapshot, 1), ("CreateKey", 1), ("ScheduleKeyDeletion", 1)] {
                    #expect(world.count(operation) == times, "\(context): \(operation) issued \(world.count(operation)) times")
                }
                let keys = world.simulator.kmsKeys(account: Self.legacy).filter { $0.tags["cutover:run"] == first.runId }
                #expect(keys.map(\.keyState) == ["PendingDeletion"], "\(context)")
                let events = try Self.events(world, first.runId)
                #expect(!events.contains { if case .approvalSkipped = $0 { true } else { false } }, "\(context)")
                #expect(JournalVerifier.verify(try world.fixture.journal.records(stream: first.runId)).valid, "\(context)")
                covered += 1
            }
        }
        #expect(covered == points.count * 2)
        print(
            "rds \(kind.name) auto share-key crash harness: \(covered) crash points at \(points.count) of \(writes) writes, all recovered")
    }

    /// The same for a source that can be shared as it is: at every write of the preflight, the
    /// not-needed share-key primitives and the skipped gate, the resumed run skips the gate once,
    /// asks nobody, creates no key, and copies once.
    @Test(arguments: RDSMoveKindCase.all)
    func everyJournalWriteOfTheAutoPathNotNeededRecovers(_ kind: RDSMoveKindCase) async throws {
        let plan = try kind.planWith([], false)
        let clean = try Self.world(kind, .customerManaged, timings: RDSMoveKindCase.crashTimings)
        let cleanRun = try await clean.fixture.start(plan)
        #expect(await clean.fixture.driver.drive(cleanRun) == .finished(.completed))
        let writes = clean.fixture.journal.faults.appendsAttempted
        let points = try RDSMoveCrashTests.writes(
            of: ["preflight"] + Self.shareKeySteps, move: kind.moveId, in: clean.fixture.journal)
        #expect(points.count >= 13)  // two writes of each of the preflight and five share-key primitives, and the skip

        for write in points {
            for afterWrite in [false, true] {
                let world = try Self.world(kind, .customerManaged, timings: RDSMoveKindCase.crashTimings)
                if afterWrite {
                    world.fixture.journal.faults.crash(afterAppend: write)
                } else {
                    world.fixture.journal.faults.crash(atAppend: write)
                }
                let first = try await world.fixture.start(plan)
                _ = await world.fixture.driver.drive(first)
                try world.fixture.reopen()
                _ = try await world.fixture.engine.resumeAll()
                let run = try await world.fixture.engine.executor(for: first.runId)
                let context = "\(kind.name) auto not needed: crash \(afterWrite ? "after" : "at") write \(write) of \(writes)"
                #expect(await world.fixture.driver.drive(run) == .finished(.completed), "\(context)")
                #expect(kind.restored(world)?.status == "available", "\(context)")
                #expect(world.count(kind.copyCall) == 1 && world.count("CreateKey") == 0, "\(context)")
                let events = try Self.events(world, first.runId)
                #expect(events.filter { if case .approvalSkipped = $0 { true } else { false } }.count == 1, "\(context)")
                #expect(!events.contains { if case .approvalRequested = $0 { true } else { false } }, "\(context)")
            }
        }
        print("rds \(kind.name) auto not-needed crash harness: \(points.count * 2) crash points of \(writes) writes, all recovered")
    }
}
