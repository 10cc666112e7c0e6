import AWSClient
import AWSServices
import Engine
import Foundation
import Journal
import Runbook
import Steps
import TestSupport
import Testing

/// Invariants 1–2 for the switch-over steps: each run is stopped at every journal write — once
/// with the write lost, once just after it landed — the journal and engine are abandoned and
/// reopened on the same file, and the run is driven to its end. The maintenance page runs
/// against moto (it models listener rules and their tags faithfully); the ECS update against
/// `FakeECS`, whose rollouts take virtual time, so the wait's polls are journal writes too
/// (moto's rollouts never move). Every crash point must reach the same end with each mutation
/// sent exactly once: `check` found the rule or the updated service instead of repeating it.
@Suite struct SwitchoverCrashTests {
    // MARK: Maintenance page (moto)

    static let pageSteps = """
          - id: maintenance-on
            uses: elbv2.maintenance-page
            with: { account: legacy, listener: "LISTENER", body: "back soon" }
          - id: maintenance-off
            uses: elbv2.remove-maintenance-page
            with: { page: maintenance-on }
        """
    static let pageGate = """

          - id: done
            uses: approval
            message: Approve to finish.
        """

    /// A fresh world with its own load balancer, and the plan on its listener.
    static func pageWorld(gate: Bool) async throws -> (MotoSwitchoverWorld, RunbookPlan, String) {
        let world = try MotoSwitchoverWorld()
        let balancer = try await MotoSwitchoverSetup.loadBalancer(
            world.moto.clientA(.elbv2), name: String(MotoFixture.uniqueName("cutover-crash").prefix(28)))
        let plan = try world.plan(pageSteps.replacingOccurrences(of: "LISTENER", with: balancer.listenerArn) + (gate ? pageGate : ""))
        try world.wire(plan)
        return (world, plan, balancer.listenerArn)
    }

    @Test(arguments: [false, true])
    func everyJournalWriteOfTheMaintenancePageRecovers(rollback: Bool) async throws {
        let onIdle = rollback ? MotoSwitchoverWorld.rollbacker : MotoSwitchoverWorld.approver
        let end: RunStatus = rollback ? .rolledBack : .completed
        let (clean, cleanPlan, _) = try await Self.pageWorld(gate: rollback)
        let cleanRun = try await clean.fixture.start(cleanPlan)
        #expect(await clean.fixture.driver.drive(cleanRun, onIdle: onIdle) == .finished(end))
        let writes = clean.fixture.journal.faults.appendsAttempted
        #expect(writes > 6)

        var covered = 0
        for write in 2...writes {
            for afterWrite in [false, true] {
                let (world, plan, listenerArn) = try await Self.pageWorld(gate: rollback)
                if afterWrite {
                    world.fixture.journal.faults.crash(afterAppend: write)
                } else {
                    world.fixture.journal.faults.crash(atAppend: write)
                }
                let first = try await world.fixture.start(plan)
                let stop = await world.fixture.driver.drive(first, onIdle: onIdle)
                let context = "\(rollback ? "rollback" : "forward"): crash \(afterWrite ? "after" : "at") write \(write) of \(writes)"
                // A crash during an operator's action (an approval, the rollback) stops the engine
                // too; the driver then reports the refused action as nothing to do.
                let halted = await first.isHalted
                if !afterWrite || write < writes { #expect(halted, "\(context): the crash did not stop the engine (\(stop))") }

                try world.fixture.reopen()
                _ = try await world.fixture.engine.resumeAll()
                let run = try await world.fixture.engine.executor(for: first.runId)
                let finished = await world.fixture.driver.drive(run, onIdle: onIdle)
                let failures = await MotoSwitchoverWorld.failures(run)
                #expect(finished == .finished(end), "\(context): \(failures)")
                // Up once and down once (twice each with the rollback: the removal's undo puts it back).
                #expect(
                    world.counter.count("CreateRule") == (rollback ? 2 : 1),
                    "\(context): CreateRule sent \(world.counter.count("CreateRule")) times")
                #expect(
                    world.counter.count("DeleteRule") == (rollback ? 2 : 1),
                    "\(context): DeleteRule sent \(world.counter.count("DeleteRule")) times")
                #expect(try await world.rules(listenerArn).isEmpty, "\(context): a rule was left on the listener")
                let chain = JournalVerifier.verify(try world.fixture.journal.records(stream: first.runId))
                #expect(chain.valid, "\(context): \(chain)")
                covered += 1
            }
        }
        #expect(covered == Int(writes - 1) * 2)
        print(
            "elbv2 maintenance page crash harness (\(rollback ? "rollback" : "forward")): \(covered) crash points over \(writes) journal writes, all recovered"
        )
    }

    // MARK: ECS update (FakeECS)

    static func ecsWorld() throws -> (EngineFixture, FakeECS, RunbookPlan) {
        let plan = try ECSUpdateServiceFakeTests.plan(
            "taskDefinition: \"admin-web:3\", desiredCount: 3, every: 10s", then: ECSUpdateServiceFakeTests.gate)
        let fixture = try EngineFixture(inMemoryFilesystem: true)
        let ecs = FakeECS(clock: fixture.clock)
        var registry = StepRegistry()
        for (type, step) in ECSSteps.executors(sessions: FakeECSSessions(ecs: ecs)) { registry.register(type, step) }
        fixture.registry = registry
        try fixture.reopen()
        return (fixture, ecs, plan)
    }

    @Test(arguments: [false, true])
    func everyJournalWriteOfTheServiceUpdateRecovers(rollback: Bool) async throws {
        let onIdle = rollback ? MotoSwitchoverWorld.rollbacker : MotoSwitchoverWorld.approver
        let end: RunStatus = rollback ? .rolledBack : .completed
        let (clean, _, plan) = try Self.ecsWorld()
        let cleanRun = try await clean.start(plan)
        #expect(await clean.driver.drive(cleanRun, onIdle: onIdle) == .finished(end))
        let writes = clean.journal.faults.appendsAttempted
        #expect(writes > 12)

        var covered = 0
        for write in 2...writes {
            for afterWrite in [false, true] {
                let (fixture, ecs, plan) = try Self.ecsWorld()
                if afterWrite { fixture.journal.faults.crash(afterAppend: write) } else { fixture.journal.faults.crash(atAppend: write) }
                let first = try await fixture.start(plan)
                let stop = await fixture.driver.drive(first, onIdle: onIdle)
                let context = "\(rollback ? "rollback" : "forward"): crash \(afterWrite ? "after" : "at") write \(write) of \(writes)"
                // A crash during an operator's action (an approval, the rollback) stops the engine
                // too; the driver then reports the refused action as nothing to do.
                let halted = await first.isHalted
                if !afterWrite || write < writes { #expect(halted, "\(context): the crash did not stop the engine (\(stop))") }

                try fixture.reopen()
                _ = try await fixture.engine.resumeAll()
                let run = try await fixture.engine.executor(for: first.runId)
                #expect(await fixture.driver.drive(run, onIdle: onIdle) == .finished(end), "\(context)")
                #expect(
                    ecs.count("UpdateService") == (rollback ? 2 : 1), "\(context): UpdateService sent \(ecs.count("UpdateService")) times")
                if rollback {
                    #expect(ecs.taskDefinition == ecs.revision(1) && ecs.desiredCount == 2, "\(context)")
                } else {
                    #expect(ecs.taskDefinition == ecs.revision(3) && ecs.desiredCount == 3, "\(context)")
                    #expect(await run.state.steps["redeploy.wait"]?.outputs["runningCount"] == "3", "\(context)")
                    #expect(await run.state.steps["redeploy.read"]?.outputs["previousTaskDefinition"] == ecs.revision(1), "\(context)")
                }
                let chain = JournalVerifier.verify(try fixture.journal.records(stream: first.runId))
                #expect(chain.valid, "\(context): \(chain)")
                covered += 1
            }
        }
        #expect(covered == Int(writes - 1) * 2)
        print(
            "ecs update-service crash harness (\(rollback ? "rollback" : "forward")): \(covered) crash points over \(writes) journal writes, all recovered"
        )
    }
}
