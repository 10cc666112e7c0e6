import Engine
import Foundation
import Runbook
import TestSupport
import Testing

/// The whole path a runbook takes: YAML → loader → planner → engine → journal, on the example
/// that needs no AWS.
@Suite struct RunbookToEngineTests {
    static let examplePath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Runbooks/examples/engine-demo.yaml").standardized.path

    @Test func exampleRunbookRunsToCompletionThroughTheWindowAndItsGates() async throws {
        let runbook = try RunbookLoader(catalog: .builtin).load(file: Self.examplePath)
        let plan = try RunbookPlanner(catalog: .builtin).plan(runbook, parameters: ["settle": "20s"])
        let window = try #require(plan.window)
        let fixture = try EngineFixture(now: window.start.addingTimeInterval(-600))
        let run = try await fixture.engine.start(
            plan: plan, runbookSource: runbook.source, parameters: ["settle": "20s"],
            initiator: TestPeople.initiator)

        let stop = await fixture.driver.drive(run) { run in
            let waiting = await run.snapshot().steps.filter { $0.status == .awaitingApproval }.map(\.id)
            var acted = false
            for step in waiting where (try? await run.approve(step: step, by: TestPeople.alice)) != nil { acted = true }
            return acted
        }

        #expect(stop == .finished(.completed))
        let state = await run.state
        let warmUp = try #require(state.steps["warm-up"]?.succeededAt)
        #expect(warmUp < window.start, "an any-time step ran before the window")
        let maintenanceOn = try #require(state.steps["maintenance-on"]?.succeededAt)
        #expect(maintenanceOn >= window.start)
        #expect(state.steps["forced-wait"]?.succeededAt == maintenanceOn.addingTimeInterval(60))
        #expect(state.steps["settle"]?.succeededAt == maintenanceOn.addingTimeInterval(20))
        #expect(state.steps["second-timer"]?.succeededAt == state.steps["first-timer"]?.succeededAt?.addingTimeInterval(3))

        guard case let .runCreated(created)? = try fixture.events(run.runId).first?.0 else {
            Issue.record("the first record is not run.created")
            return
        }
        #expect(created.planHash == plan.hash)
        #expect(created.plan == plan)
        #expect(created.runbookSource == runbook.source)
    }

    @Test func aPlanWithATypeTheDaemonCannotRunIsRefusedBeforeAnythingIsJournaled() async throws {
        let fixture = try EngineFixture()
        var plan = TestPlan()
        plan.add("copy", type: "s3.copy-objects-typo")
        do {
            _ = try await fixture.start(plan.build())
            Issue.record("started a plan with an unknown type")
        } catch let error as EngineError {
            #expect(error.code == .unknownStepType)
            #expect(error.message.contains("s3.copy-objects-typo"))
        }
        #expect(try fixture.journal.recordCount == 0)
    }
}
