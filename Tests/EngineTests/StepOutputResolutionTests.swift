import Engine
import Foundation
import Runbook
import TestSupport
import Testing

/// Issue 18, item 1: the engine resolves `${steps.ID.outputs.NAME}` from journaled outputs when
/// the reading primitive starts, after a restart too, and refuses to run a reader whose value is
/// missing rather than pass the reference's text on.
@Suite struct StepOutputResolutionTests {
    static func plan(key: String = "resource") -> RunbookPlan {
        var plan = TestPlan()
        plan.add("make", inputs: [("resource", .string("disk-1"))])
        var gate = plan.add("gate", type: "approval", message: "Point the app at ${steps.make.outputs.resource}, then approve.")
        gate.outputReferences = [
            OutputReference(text: "${steps.make.outputs.resource}", step: "make", output: "resource", primitive: "make", key: key)
        ]
        plan.steps[plan.steps.count - 1] = gate
        var reader = plan.add("copy", inputs: [("resource", .string("${steps.make.outputs.resource}-copy"))])
        reader.outputReferences = [
            OutputReference(text: "${steps.make.outputs.resource}", step: "make", output: "resource", primitive: "make", key: key)
        ]
        plan.steps[plan.steps.count - 1] = reader
        return plan.build()
    }

    @Test func aReaderGetsTheJournaledValueAfterARestart() async throws {
        let fixture = try EngineFixture()
        let run = try await fixture.start(Self.plan())
        #expect(await fixture.driver.drive(run) == .waitingForOperator)
        #expect(fixture.world.exists("disk-1"))
        // Approvers read the message with the output filled in; the journal keeps that text.
        #expect(await run.state.steps["gate"]?.approvalRequest?.message == "Point the app at disk-1, then approve.")

        // The daemon restarts between the producer and the reader: the value comes from the journal.
        try fixture.reopen()
        _ = try await fixture.engine.resumeAll()
        let resumed = try await fixture.engine.executor(for: run.runId)
        try await resumed.approve(step: "gate", by: TestPeople.alice)
        #expect(await fixture.driver.drive(resumed) == .finished(.completed))
        #expect(fixture.world.exists("disk-1-copy"))
        #expect(!fixture.world.resources.contains { $0.contains("${") })
    }

    @Test func aMissingValueFailsTheReaderInsteadOfPassingTheReferenceOn() async throws {
        let fixture = try EngineFixture()
        let run = try await fixture.start(Self.plan(key: "nothing-by-that-name"))
        _ = await fixture.driver.drive(run)
        try await run.approve(step: "gate", by: TestPeople.alice)
        _ = await fixture.driver.drive(run)
        let copy = try #require(await run.state.steps["copy"])
        #expect(copy.lastError?.code == "OutputMissing")
        #expect(copy.lastError?.message.contains("${steps.make.outputs.resource}") == true)
        #expect(fixture.world.resources == ["disk-1"])
    }
}
