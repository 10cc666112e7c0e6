import AWSSimulator
import Engine
import Foundation
import Runbook
import Steps
import TestSupport
import Testing

/// `rds.move-instance` end to end: the real engine on the virtual clock, the real clients through
/// AssumeRole into a second account, the simulator's RDS and KMS with their modelled timings.
@Suite struct RDSMoveInstanceTests {
    static let approver: @Sendable (RunExecutor) async -> Bool = { run in
        let waiting = await run.snapshot().steps.filter { $0.status == .awaitingApproval }.map(\.id)
        var acted = false
        for step in waiting where (try? await run.approve(step: step, by: TestPeople.alice)) != nil { acted = true }
        return acted
    }

    /// With `sourceShareKey: none` (the default `auto` adds the share-key primitives, RDSAutoShareKeyTests).
    @Test func theMovePlansIntoNinePrimitives() throws {
        let plan = try RDSMoveWorld.plan(RDSMoveWorld.runbook("      sourceShareKey: none"))
        #expect(
            plan.steps.map(\.id) == [
                "move-db.preflight", "move-db.snapshot", "move-db.wait-snapshot", "move-db.share", "move-db.copy",
                "move-db.wait-copy", "move-db.restore", "move-db.wait-restore", "move-db.verify",
            ])
        #expect(
            plan.steps.map(\.account) == ["legacy", "legacy", "legacy", "legacy", "product", "product", "product", "product", "product"])
        #expect(plan.steps.allSatisfy { $0.reversibility != .irreversible })
        #expect(
            plan.steps.filter { $0.effect == .mutating }.map(\.id)
                == ["move-db.snapshot", "move-db.share", "move-db.copy", "move-db.restore"])
        let restore = try #require(plan.step("move-db.restore"))
        #expect(restore.title.contains("NEEDS CARE"))
        #expect(restore.inputs["securityGroups"] == .array([.string("sg-0abc")]))
    }

    @Test func badInputsAreReportedAtOnceWithTheirLines() throws {
        let text = RDSMoveWorld.runbook().replacingOccurrences(of: "to: product", with: "to: legacy")
            .replacingOccurrences(of: "securityGroups: [sg-0abc]", with: "securityGroups: [default]")
        do {
            _ = try RDSMoveWorld.plan(text)
            Issue.record("the plan accepted a move into the same account")
        } catch let error as RunbookDiagnostics {
            let messages = error.diagnostics.map(\.message).joined(separator: "\n")
            #expect(messages.contains("to the same account"))
            #expect(messages.contains("not a security group ID"))
        }
    }

    @Test func happyPathFromYAMLRestoresTheInstanceInTheTarget() async throws {
        let world = try RDSMoveWorld()
        let plan = try RDSMoveWorld.plan(RDSMoveWorld.runbook())
        let run = try await world.fixture.start(plan)
        let stop = await world.fixture.driver.drive(run, onIdle: Self.approver)
        #expect(stop == .finished(.completed))

        let restored = try #require(world.simulator.dbInstances(account: RDSMoveWorld.product).first { $0.identifier == "admin-db" })
        let now = world.fixture.clock.now()
        #expect(restored.status(at: now) == "available")
        #expect(restored.storageEncrypted)
        #expect(restored.kmsKeyId == world.targetKeyArn)
        #expect(restored.subnetGroupName == "admin-private")
        #expect(restored.securityGroupIds == ["sg-0abc"])
        #expect(restored.parameterGroupName == "admin-mysql80")
        #expect(restored.tags["app"] == "admin-console")
        #expect(world.simulator.dbInstanceStatus("admin-db", account: RDSMoveWorld.legacy) == "available")

        let verify = try #require(await run.state.steps["move-db.verify"])
        #expect(verify.outputs["endpoint"] == restored.endpointAddress)
        #expect(verify.outputs["port"] == String(restored.port))
        #expect(verify.outputs["arn"] == restored.arn)

        // Waits followed progress, with PercentProgress, through the engine.
        let events = try world.fixture.events(run.runId)
        let progress = events.compactMap { event, _ -> String? in
            if case let .pollPending(p) = event { return p.progress }
            return nil
        }
        #expect(progress.contains { $0.contains("%") })
        // Every mutating call is journaled with its request ID.
        let calls = events.compactMap { event, _ -> AWSCallRecord? in
            if case let .awsCall(c) = event { return c.call }
            return nil
        }
        #expect(
            calls.map(\.operation) == [
                "CreateDBSnapshot", "ModifyDBSnapshotAttribute", "CopyDBSnapshot", "RestoreDBInstanceFromDBSnapshot",
            ])
        #expect(calls.allSatisfy { $0.requestId != nil && $0.outcome == "ok" && $0.mutating })
        #expect(calls.map(\.account) == [RDSMoveWorld.legacy, RDSMoveWorld.legacy, RDSMoveWorld.product, RDSMoveWorld.product])
        #expect(world.count("DeleteDBInstance") == 0)
        // The preflight's placement lookups were answered by the simulator itself, in the target account.
        for (service, operation) in [
            ("rds", "DescribeDBSubnetGroups"), ("rds", "DescribeDBParameterGroups"), ("ec2", "DescribeSecurityGroups"),
        ] {
            let served = world.simulator.requests { $0.service == service && $0.operation == operation }
            #expect(!served.isEmpty, "\(operation)")
            #expect(served.allSatisfy { $0.account == RDSMoveWorld.product && $0.status == 200 }, "\(operation)")
        }
    }

    /// The restored instance is deleted without a final snapshot, so its undo waits for people:
    /// nothing is deleted while nobody approves, a rejection stops the rollback with the reason,
    /// and `retry` asks again.
    @Test func rollbackDeletesTheRestoredInstanceOnlyAfterAnApproval() async throws {
        let world = try RDSMoveWorld()
        let run = try await world.fixture.start(try RDSMoveWorld.plan(RDSMoveWorld.rollbackRunbook))
        let rollbackOnly: @Sendable (RunExecutor) async -> Bool = { run in
            let snapshot = await run.snapshot()
            guard snapshot.status == .running, snapshot.steps.contains(where: { $0.status == .awaitingApproval }) else { return false }
            return (try? await run.rollback(by: TestPeople.alice, comment: "abort")) != nil
        }
        #expect(await world.fixture.driver.drive(run, onIdle: rollbackOnly) == .waitingForOperator)
        #expect(await run.state.status == .rollingBack)
        let restore = try #require(await run.snapshot().steps.first { $0.id == "move-db.restore" })
        #expect(restore.status == .awaitingApproval)
        #expect(await run.state.steps["move-db.restore"]?.undoApprovalRequest?.message?.contains("WITHOUT a final snapshot") == true)
        #expect(world.count("DeleteDBInstance") == 0)
        #expect(world.simulator.dbInstances(account: RDSMoveWorld.product).count == 1)
        // The initiator may not approve (the runbook says so), as for any gate.
        await #expect(throws: EngineError.self) { try await run.approve(step: "move-db.restore", by: TestPeople.initiator) }

        try await run.reject(step: "move-db.restore", by: TestPeople.bob, reason: "clients already write to it")
        #expect(await world.fixture.driver.drive(run) == .waitingForOperator)
        #expect(await run.state.status == .paused)
        #expect(await run.state.statusReason.contains("undo rejected by bob: clients already write to it"))
        #expect(world.count("DeleteDBInstance") == 0)

        try await run.retry(by: TestPeople.alice, comment: "checked: nobody writes to it")
        _ = await run.settle()
        #expect(await run.snapshot().steps.first { $0.id == "move-db.restore" }?.status == .awaitingApproval)
        #expect(world.count("DeleteDBInstance") == 0)
        #expect(await world.fixture.driver.drive(run, onIdle: RDSMoveWorld.rollbacker) == .finished(.rolledBack))
        #expect(world.count("DeleteDBInstance") == 1)
        let decisions = try world.fixture.events(run.runId).compactMap { event, _ -> ApprovalDecided? in
            if case let .approvalDecided(decided) = event, decided.phase == .undo { return decided }
            return nil
        }
        #expect(decisions.map(\.verdict) == [.rejected, .approved])
    }

    @Test func aWaitGivesUpAfterItsTimeoutAndSaysWhatItSaw() async throws {
        let world = try RDSMoveWorld()
        let run = try await world.fixture.start(try RDSMoveWorld.plan(RDSMoveWorld.runbook("      waitTimeout: 2m")))
        #expect(await world.fixture.driver.drive(run) == .waitingForOperator)
        let wait = try #require(await run.snapshot().steps.first { $0.id == "move-db.wait-snapshot" })
        #expect(wait.lastError?.code == "WaitTimeout")
        #expect(wait.lastError?.message.contains("creating") == true)
        #expect(world.count("CopyDBSnapshot") == 0)
    }

    /// Throttling on about a third of the RDS calls, and the connection dropped after CopyDBSnapshot and
    /// RestoreDBInstanceFromDBSnapshot took effect: the move retries, finds the copy and the
    /// instance already there, and completes without creating either twice.
    @Test func aLostAnswerToTheSnapshotIsTakenUpWithoutStoppingTheRun() async throws {
        // Found by the fault campaign: CreateDBSnapshot performed, its answer cut off; the client's
        // resend meets the instance `backing-up` (InvalidDBInstanceState), which is our own snapshot at work.
        let world = try RDSMoveWorld()
        _ = try world.simulator.faults.addRule(
            FaultRule(service: "rds", operation: "CreateDBSnapshot", effect: .resetAfter(bodyBytes: 16), trigger: .requests(1...1)))
        let run = try await world.fixture.start(try RDSMoveWorld.plan(RDSMoveWorld.runbook()))
        #expect(await world.fixture.driver.drive(run, onIdle: Self.approver) == .finished(.completed))
        #expect(world.simulator.requests { $0.operation == "CreateDBSnapshot" && $0.mutated }.count == 1)
        #expect(
            world.simulator.requests { $0.operation == "CreateDBSnapshot" && $0.injected }.count == 1,
            "the lost answer was not exercised")
    }

    @Test func throttlingAndLostAnswersDoNotDuplicateTheMove() async throws {
        let world = try RDSMoveWorld()
        // The drops go first: the first rule that fires decides, so a throttle drawn for the same
        // request must not hide the lost answer.
        for operation in ["CopyDBSnapshot", "RestoreDBInstanceFromDBSnapshot"] {
            _ = try world.simulator.faults.addRule(
                FaultRule(service: "rds", operation: operation, effect: .dropConnection, trigger: .requests(1...1)))
        }
        _ = try world.simulator.faults.addRule(
            FaultRule(service: "rds", operation: "*", effect: .throttling, trigger: .probability(0.3), seed: 7))
        let run = try await world.fixture.start(try RDSMoveWorld.plan(RDSMoveWorld.runbook()))
        #expect(await world.fixture.driver.drive(run) == .finished(.completed))
        let mutations = world.simulator.requests { $0.mutated }.map(\.operation)
        #expect(mutations.filter { $0 == "CreateDBSnapshot" }.count == 1)
        #expect(mutations.filter { $0 == "CopyDBSnapshot" }.count == 1)
        #expect(mutations.filter { $0 == "RestoreDBInstanceFromDBSnapshot" }.count == 1)
        // Throttled attempts never reached RDS; of the rest, the first (whose answer was lost) did it.
        #expect(world.simulator.requests { $0.operation == "CopyDBSnapshot" && $0.errorCode == nil }.count == 1)
        #expect(world.simulator.requests { $0.operation == "RestoreDBInstanceFromDBSnapshot" && $0.errorCode == nil }.count == 1)
        for operation in ["CopyDBSnapshot", "RestoreDBInstanceFromDBSnapshot"] {
            #expect(
                world.simulator.requests { $0.operation == operation && $0.injected && $0.mutated }.count == 1,
                "\(operation): the lost answer was not exercised")
        }
        #expect(world.simulator.requests { $0.errorCode == "Throttling" }.count > 3)
        let verify = try #require(await run.state.steps["move-db.verify"])
        #expect(verify.outputs["endpoint"]?.hasPrefix("admin-db.") == true)
    }
}
