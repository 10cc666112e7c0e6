import Engine
import Foundation
import Journal
import Runbook
import TestSupport
import Testing

/// A forward gate asked only if an earlier primitive journaled a given output
/// (`PlannedStep.approvalCondition`), and the same for an undo's gate (`UndoApproval.onlyIf`):
/// the decision is made from the journal, a false condition is journaled as `approval.skipped`
/// (the audit shows why nobody was asked), and a restart between the deciding output and the
/// decision decides the same.
@Suite struct ConditionalApprovalTests {
    /// `key` (creates the resource its input names, and outputs it) → `delete` (gated, asked only
    /// if `key` output `resource` is `made`) → `after`.
    static func plan(key resource: String, undoGate: Bool = false, hold: Bool = false) -> RunbookPlan {
        var plan = TestPlan()
        plan.add("key", inputs: [("resource", .string(resource))])
        plan.add("delete")
        plan.add("after")
        if hold { plan.add("hold", type: "approval") }
        var built = plan.build(name: "conditional-\(resource)\(undoGate ? "-undo" : "")\(hold ? "-hold" : "")")
        let condition = ApprovalCondition(primitive: "key", output: "resource", equals: "made")
        built.steps[1].approval = plan.approvals
        built.steps[1].approvalCondition = condition
        if undoGate {
            built.steps[0].undoApproval = UndoApproval(policy: plan.approvals, message: "schedule the key's deletion?", onlyIf: condition)
        }
        return built
    }

    static func skips(_ fixture: EngineFixture, _ runId: String) throws -> [ApprovalSkipped] {
        try fixture.events(runId).compactMap { event, _ in
            if case let .approvalSkipped(skip) = event { return skip }
            return nil
        }
    }

    static func requests(_ fixture: EngineFixture, _ runId: String) throws -> [ApprovalRequested] {
        try fixture.events(runId).compactMap { event, _ in
            if case let .approvalRequested(request) = event { return request }
            return nil
        }
    }

    @Test func aFalseConditionSkipsTheGateAndJournalsWhy() async throws {
        let fixture = try EngineFixture()
        let run = try await fixture.start(Self.plan(key: "nothing"))
        #expect(await fixture.driver.drive(run) == .finished(.completed), "no approval should have been needed")
        #expect(try Self.requests(fixture, run.runId).isEmpty)
        let skips = try Self.skips(fixture, run.runId)
        #expect(skips.count == 1)
        let skip = try #require(skips.first)
        #expect(skip.step == "delete" && skip.found == "nothing" && skip.phase == nil)
        #expect(skip.summary == "delete: gate skipped: condition false (asked only if key output `resource` is `made`; it is `nothing`)")
        #expect(fixture.world.exists("delete"))
        #expect(await run.state.steps["delete"]?.approvalSkipped == true)
    }

    @Test func aTrueConditionAsksAsAnyGate() async throws {
        let fixture = try EngineFixture()
        let run = try await fixture.start(Self.plan(key: "made"))
        #expect(await fixture.driver.drive(run) == .waitingForOperator)
        #expect(await run.snapshot().steps.first { $0.id == "delete" }?.status == .awaitingApproval)
        #expect(!fixture.world.exists("delete"))
        #expect(try Self.skips(fixture, run.runId).isEmpty)
        try await run.approve(step: "delete", by: TestPeople.alice)
        #expect(await fixture.driver.drive(run) == .finished(.completed))
        #expect(try Self.requests(fixture, run.runId).map(\.step) == ["delete"])
    }

    /// A condition whose primitive has not succeeded (it failed and the run went on) cannot be
    /// told false: the gate is asked — the safe side.
    @Test func anUnknownConditionAsks() async throws {
        let fixture = try EngineFixture()
        fixture.world.script("key", ["AccessDenied"])
        var plan = TestPlan()
        plan.add("key", onFailure: .continue, inputs: [("resource", .string("nothing"))])
        plan.add("delete")
        var built = plan.build(name: "unknown")
        built.steps[1].approval = plan.approvals
        built.steps[1].approvalCondition = ApprovalCondition(primitive: "key", output: "resource", equals: "made")
        let run = try await fixture.start(built)
        #expect(await fixture.driver.drive(run) == .waitingForOperator)
        #expect(await run.snapshot().steps.first { $0.id == "delete" }?.status == .awaitingApproval)
        #expect(try Self.skips(fixture, run.runId).isEmpty)
    }

    /// Invariant 4 holds: a point of no return is gated whatever its condition says.
    @Test func aConditionNeverLiftsThePointOfNoReturnsGate() async throws {
        let fixture = try EngineFixture()
        var built = Self.plan(key: "nothing")
        built.steps[1].reversibility = .irreversible
        let run = try await fixture.start(built)
        #expect(await fixture.driver.drive(run) == .waitingForOperator)
        #expect(await run.snapshot().steps.first { $0.id == "delete" }?.status == .awaitingApproval)
        #expect(try Self.skips(fixture, run.runId).isEmpty)
    }

    /// The process stops at every journal write — between `key`'s output and the gate's decision
    /// among them — and the resumed run decides the same: the gate skipped exactly once, never
    /// asked, each effect once.
    @Test(arguments: ["nothing", "made"])
    func everyJournalWriteAroundTheDecisionRecoversToTheSameDecision(_ resource: String) async throws {
        let plan = Self.plan(key: resource)
        let clean = try EngineFixture(inMemoryFilesystem: true)
        let cleanRun = try await clean.start(plan)
        #expect(await clean.driver.drive(cleanRun, onIdle: CrashHarnessTests.approver) == .finished(.completed))
        let writes = clean.journal.faults.appendsAttempted
        let kinds = try clean.journal.records(stream: cleanRun.runId).map(\.kind)
        if resource == "nothing" {
            // The skip is the write right after `key`'s outcome and before `delete` starts.
            let skipAt = try #require(kinds.firstIndex(of: "approval.skipped"))
            #expect(kinds[skipAt - 1] == "attempt.succeeded")
        }

        for write in 2...writes {
            for after in [false, true] {
                let fixture = try EngineFixture(inMemoryFilesystem: true)
                if after { fixture.journal.faults.crash(afterAppend: write) } else { fixture.journal.faults.crash(atAppend: write) }
                let first = try await fixture.start(plan)
                _ = await fixture.driver.drive(first, onIdle: CrashHarnessTests.approver)
                try fixture.reopen()
                _ = try await fixture.engine.resumeAll()
                let run = try await fixture.engine.executor(for: first.runId)
                let context = "\(resource): crash \(after ? "after" : "at") write \(write) of \(writes)"
                #expect(await fixture.driver.drive(run, onIdle: CrashHarnessTests.approver) == .finished(.completed), "\(context)")
                let skips = try Self.skips(fixture, first.runId)
                let asked = try Self.requests(fixture, first.runId)
                if resource == "nothing" {
                    #expect(skips.count == 1 && asked.isEmpty, "\(context): \(skips.count) skips, \(asked.count) requests")
                } else {
                    #expect(skips.isEmpty && asked.map(\.step) == ["delete"], "\(context)")
                }
                for effect in ["key", "delete", "after"] {
                    #expect(fixture.world.count(effect) == 1, "\(context): \(effect) \(fixture.world.count(effect)) times")
                }
                #expect(JournalVerifier.verify(try fixture.journal.records(stream: first.runId)).valid, "\(context)")
            }
        }
    }

    /// An undo's gate with `onlyIf`: not asked when the condition is false (and journaled so),
    /// asked when it holds.
    @Test func anUndoGateWithOnlyIfIsAskedOnlyWhenItsConditionHolds() async throws {
        let skipped = try EngineFixture()
        let run = try await skipped.start(Self.plan(key: "nothing", undoGate: true, hold: true))
        #expect(await skipped.driver.drive(run) == .waitingForOperator)  // at `hold`
        try await run.rollback(by: TestPeople.bob, comment: "abort")
        #expect(await skipped.driver.drive(run) == .finished(.rolledBack))
        #expect(!skipped.world.exists("nothing"))
        let undoSkips = try Self.skips(skipped, run.runId).filter { $0.phase == .undo }
        #expect(undoSkips.map(\.step) == ["key"])
        #expect(undoSkips.first?.summary.contains("undo gate skipped: condition false") == true)
        #expect(try Self.requests(skipped, run.runId).allSatisfy { $0.phase != .undo })

        let asked = try EngineFixture()
        let held = try await asked.start(Self.plan(key: "made", undoGate: true, hold: true))
        #expect(
            await asked.driver.drive(
                held,
                onIdle: { run in
                    // Approve the forward gate of `delete`, not `hold`.
                    (try? await run.approve(step: "delete", by: TestPeople.alice)) != nil
                }) == .waitingForOperator)
        try await held.rollback(by: TestPeople.bob, comment: "abort")
        #expect(await asked.driver.drive(held) == .waitingForOperator)
        #expect(await held.snapshot().steps.first { $0.id == "key" }?.status == .awaitingApproval)
        #expect(asked.world.exists("made"))
        try await held.approve(step: "key", by: TestPeople.alice)
        #expect(await asked.driver.drive(held) == .finished(.rolledBack))
        #expect(!asked.world.exists("made"))
    }

    /// `plan` shows the condition in text and JSON, and the event reads back from the journal.
    @Test func theConditionIsRenderedAndTheSkipRoundTrips() throws {
        let plan = Self.plan(key: "nothing", undoGate: true)
        let text = PlanRenderer().text(plan)
        #expect(text.contains("before delete (asked only if key output `resource` is `made`; else skipped, journaled)"))
        #expect(text.contains("undo of key waits for approval (asked only if key output `resource` is `made`)"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(PlanRenderer().json(plan).utf8)) as? [String: Any])
        let steps = try #require(json["steps"] as? [[String: Any]])
        let delete = try #require(steps.first { $0["id"] as? String == "delete" })
        let condition = try #require(delete["approvalCondition"] as? [String: Any])
        #expect(condition["equals"] as? String == "made")
        #expect(condition["text"] as? String == "asked only if key output `resource` is `made`")
        let key = try #require(steps.first { $0["id"] as? String == "key" })
        #expect(((key["undoApproval"] as? [String: Any])?["onlyIf"] as? [String: Any])?["primitive"] as? String == "key")

        let event = RunEvent.approvalSkipped(
            ApprovalSkipped(
                step: "delete", condition: ApprovalCondition(primitive: "key", output: "resource", equals: "made"), found: "nothing"))
        #expect(event.kind == "approval.skipped" && event.stepId == "delete")
        #expect(try RunEvent(kind: event.kind, payload: try event.payload()) == event)
        // A plan without conditions hashes as before: the new members are absent, not null.
        var plain = TestPlan()
        plain.add("a")
        let encoded = String(decoding: try JSONEncoder().encode(plain.build()), as: UTF8.self)
        #expect(!encoded.contains("approvalCondition") && !encoded.contains("onlyIf"))
    }
}
