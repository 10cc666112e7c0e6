import AWSSimulator
import Engine
import Foundation
import Runbook
import Steps
import TestSupport
import Testing

/// `rds.decommission-instance` against the simulator: the delete waits for its approval, keeps a
/// final snapshot unless the runbook says otherwise, is issued once, is done when the instance is
/// already going, and refuses an instance with deletion protection.
@Suite struct RDSDecommissionTests {
    static func runbook(_ with: String = "with: { instance: admin-db, account: legacy }") -> String {
        """
        apiVersion: cutover/v1
        name: rds-decommission
        region: us-east-1
        accounts:
          legacy: { id: "111111111111" }
          product: { role: "arn:aws:iam::222222222222:role/CutoverTarget", externalId: popinfo-2026 }
        approvals: { approvers: ["group:cutover-approvers"], required: 1, allowInitiator: false }
        steps:
          - id: decommission-db
            uses: rds.decommission-instance
            \(with)
        """
    }

    @Test func thePlanGatesTheIrreversibleDeleteAndSaysWhatIsKept() throws {
        let plan = try RDSMoveWorld.plan(Self.runbook())
        #expect(plan.steps.count == 1)
        let step = try #require(plan.steps.first)
        #expect(step.reversibility == .irreversible)
        #expect(step.effect == .mutating)
        #expect(step.account == "legacy")
        #expect(step.title.contains("final snapshot"))
        let skipping = try RDSMoveWorld.plan(Self.runbook("with: { instance: admin-db, account: legacy, skipFinalSnapshot: true }"))
        #expect(skipping.steps.first?.title.contains("WITHOUT a final snapshot") == true)
        do {
            _ = try RDSMoveWorld.plan(
                Self.runbook("with: { instance: admin-db, account: legacy, skipFinalSnapshot: true, finalSnapshot: keep-me }"))
            Issue.record("a final snapshot and skipFinalSnapshot were both accepted")
        } catch let error as RunbookDiagnostics {
            #expect(error.diagnostics.map(\.message).joined().contains("skipFinalSnapshot"))
        }
    }

    @Test func theDeleteWaitsForItsApprovalThenKeepsAFinalSnapshot() async throws {
        let world = try RDSMoveWorld()
        let run = try await world.fixture.start(try RDSMoveWorld.plan(Self.runbook()))
        #expect(await world.fixture.driver.drive(run) == .waitingForOperator)
        #expect(await run.snapshot().steps.first?.status == .awaitingApproval)
        #expect(world.count("DeleteDBInstance") == 0)
        #expect(world.simulator.dbInstanceStatus("admin-db", account: RDSMoveWorld.legacy) == "available")
        await #expect(throws: EngineError.self) { try await run.approve(step: "decommission-db", by: TestPeople.initiator) }

        try await run.approve(step: "decommission-db", by: TestPeople.alice)
        #expect(await world.fixture.driver.drive(run) == .finished(.completed))
        #expect(world.count("DeleteDBInstance") == 1)
        let snapshot = RDSDecommissionTests.finalSnapshotName(runId: run.runId)
        #expect(await run.state.steps["decommission-db"]?.outputs["finalSnapshot"] == snapshot)
        let kept = world.simulator.dbSnapshots(account: RDSMoveWorld.legacy).filter { $0.snapshotType == "manual" }.map(\.identifier)
        #expect(kept == [snapshot])
        #expect(world.simulator.dbInstanceStatus("admin-db", account: RDSMoveWorld.legacy) == "deleting")
        world.fixture.clock.advance(by: 3600)
        #expect(world.simulator.dbInstanceStatus("admin-db", account: RDSMoveWorld.legacy) == nil)

        // A second run on the instance already gone is done at once, with nothing issued.
        let again = try await world.fixture.start(try RDSMoveWorld.plan(Self.runbook()))
        #expect(await world.fixture.driver.drive(again, onIdle: RDSMoveInstanceTests.approver) == .finished(.completed))
        #expect(await again.state.steps["decommission-db"]?.outputs["status"] == "gone")
        #expect(world.count("DeleteDBInstance") == 1)
    }

    @Test func skipFinalSnapshotDeletesWithoutOne() async throws {
        let world = try RDSMoveWorld()
        let run = try await world.fixture.start(
            try RDSMoveWorld.plan(Self.runbook("with: { instance: admin-db, account: legacy, skipFinalSnapshot: true }")))
        #expect(await world.fixture.driver.drive(run, onIdle: RDSMoveInstanceTests.approver) == .finished(.completed))
        #expect(world.count("DeleteDBInstance") == 1)
        #expect(world.simulator.dbSnapshots(account: RDSMoveWorld.legacy).filter { $0.snapshotType == "manual" }.isEmpty)
    }

    @Test func deletionProtectionIsRefusedWithWhatToDo() async throws {
        let world = try RDSMoveWorld()
        try world.simulator.seedDBInstance(
            SimDBInstanceSeed(identifier: "guarded-db", deletionProtection: true), account: RDSMoveWorld.legacy)
        let run = try await world.fixture.start(
            try RDSMoveWorld.plan(Self.runbook("with: { instance: guarded-db, account: legacy }")))
        #expect(await world.fixture.driver.drive(run, onIdle: RDSMoveInstanceTests.approver) == .waitingForOperator)
        let error = try #require(await run.snapshot().steps.first?.lastError)
        #expect(error.code == "DeletionProtected")
        #expect(error.message.contains("--no-deletion-protection"))
        #expect(world.count("DeleteDBInstance") == 0)
        #expect(world.simulator.dbInstanceStatus("guarded-db", account: RDSMoveWorld.legacy) == "available")
    }

    static func finalSnapshotName(runId: String) -> String {
        var name = "cutover-final-admin-db-"
        var dash = false
        for character in runId.lowercased() {
            if character.isASCII && (character.isLetter || character.isNumber) {
                name.append(character)
                dash = false
            } else if !dash {
                name.append("-")
                dash = true
            }
        }
        while name.hasSuffix("-") { name.removeLast() }
        return name
    }
}
