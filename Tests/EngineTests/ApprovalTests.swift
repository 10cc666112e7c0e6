import Engine
import Foundation
import Runbook
import TestSupport
import Testing

@Suite struct ApprovalTests {
    func gatedPlan(_ policy: ApprovalPolicy) -> RunbookPlan {
        var plan = TestPlan()
        plan.approvals = policy
        plan.add("prepare")
        plan.add(
            "delete", type: "test.delete", irreversible: true,
            inputs: [("resource", .string("prepare")), ("deletes", .bool(true))])
        return plan.build()
    }

    @Test func twoDistinctApproversAreNeededAndTheInitiatorIsRefused() async throws {
        let fixture = try EngineFixture()
        let run = try await fixture.start(gatedPlan(ApprovalPolicy(approvers: [.group("cutover-approvers")], required: 2)))
        _ = await run.settle()
        #expect(await run.state.steps["delete"]?.status(inFlight: false) == .awaitingApproval)

        await expectCode(.initiatorMayNotApprove) { try await run.approve(step: "delete", by: TestPeople.initiator) }
        try await run.approve(step: "delete", by: TestPeople.alice)
        await expectCode(.alreadyApproved) { try await run.approve(step: "delete", by: TestPeople.alice) }
        _ = await run.settle()
        #expect(fixture.world.count("delete") == 0)
        try await run.approve(step: "delete", by: TestPeople.bob, comment: "checked the copy report")
        #expect(await fixture.driver.drive(run) == .finished(.completed))
        #expect(fixture.world.count("delete") == 1)
        #expect(await run.state.steps["delete"]?.approvedBy == ["alice", "bob"])
    }

    @Test func peopleOutsideTheApproverGroupsAreRefusedWithTheList() async throws {
        let fixture = try EngineFixture()
        let run = try await fixture.start(gatedPlan(ApprovalPolicy(approvers: [.group("cutover-approvers"), .user("carol")])))
        _ = await run.settle()
        do {
            try await run.approve(step: "delete", by: TestPeople.mallory)
            Issue.record("mallory approved")
        } catch {
            #expect(error.code == .notAnApprover)
            #expect(error.message.contains("group:cutover-approvers, user:carol"))
        }
    }

    @Test func initiatorMayApproveWhenTheRunbookAllowsIt() async throws {
        let fixture = try EngineFixture()
        let run = try await fixture.start(gatedPlan(ApprovalPolicy(approvers: [.group("sre")], allowInitiator: true)))
        _ = await run.settle()
        try await run.approve(step: "delete", by: TestPeople.initiator)
        #expect(await fixture.driver.drive(run) == .finished(.completed))
    }

    @Test func irreversibleStepIsGatedEvenWhenThePlanForgotTheGate() async throws {
        let fixture = try EngineFixture()
        var plan = gatedPlan(ApprovalPolicy())
        plan.steps[1].approval = nil
        let run = try await fixture.start(plan)
        _ = await run.settle()
        #expect(await run.state.steps["delete"]?.status(inFlight: false) == .awaitingApproval)
        #expect(fixture.world.count("delete") == 0)
    }

    @Test func approvalIsJournaledBeforeTheGatedEffect() async throws {
        let fixture = try EngineFixture()
        let run = try await fixture.start(gatedPlan(ApprovalPolicy()))
        _ = await run.settle()
        try await run.approve(step: "delete", by: TestPeople.alice)
        #expect(await fixture.driver.drive(run) == .finished(.completed))
        let kinds = try fixture.events(run.runId).map { $0.0 }.filter { $0.stepId == "delete" }.map(\.kind)
        #expect(kinds == ["approval.requested", "approval.decided", "attempt.started", "aws.call", "attempt.succeeded"])
    }

    @Test func rejectionNeedsAReasonAndPausesTheRun() async throws {
        let fixture = try EngineFixture()
        let run = try await fixture.start(gatedPlan(ApprovalPolicy()))
        _ = await run.settle()
        await expectCode(.commentRequired) { try await run.reject(step: "delete", by: TestPeople.alice, reason: " ") }
        try await run.reject(step: "delete", by: TestPeople.alice, reason: "copy report shows 3 mismatches")
        _ = await run.settle()
        #expect(await run.state.status == .paused)
        #expect(await run.state.statusReason.contains("copy report shows 3 mismatches"))
        #expect(fixture.world.count("delete") == 0)
        // A retry asks for approval again.
        try await run.retry(by: TestPeople.alice)
        _ = await run.settle()
        #expect(await run.state.steps["delete"]?.status(inFlight: false) == .awaitingApproval)
    }

    @Test func timeoutRejectsByDefaultAtTheJournaledDeadline() async throws {
        let fixture = try EngineFixture()
        let run = try await fixture.start(gatedPlan(ApprovalPolicy(timeout: .seconds(1800))))
        let requestedAt = fixture.clock.now()
        let stop = await fixture.driver.drive(run)
        #expect(stop == .waitingForOperator)
        #expect(await run.state.status == .paused)
        let timedOut = try fixture.events(run.runId).first { event, _ in
            if case let .approvalDecided(d) = event { return d.verdict == .timedOut }
            return false
        }
        #expect(timedOut?.1 == requestedAt.addingTimeInterval(1800))
        #expect(fixture.world.count("delete") == 0)
    }

    @Test func timeoutWithPauseKeepsTheGateAndAsksAgainOnResume() async throws {
        let fixture = try EngineFixture()
        let run = try await fixture.start(gatedPlan(ApprovalPolicy(timeout: .seconds(600), onTimeout: .pause)))
        #expect(await fixture.driver.drive(run) == .waitingForOperator)
        #expect(await run.state.status == .paused)
        try await run.resume(by: TestPeople.alice)
        _ = await run.settle()
        #expect(await run.state.steps["delete"]?.status(inFlight: false) == .awaitingApproval)
        try await run.approve(step: "delete", by: TestPeople.bob)
        #expect(await fixture.driver.drive(run) == .finished(.completed))
    }

    @Test func aStepNotWaitingForApprovalCannotBeApprovedInAdvance() async throws {
        let fixture = try EngineFixture()
        fixture.world.script("prepare", ["Throttling"])
        let run = try await fixture.start(gatedPlan(ApprovalPolicy()))
        await expectCode(.notWaitingForApproval) { try await run.approve(step: "delete", by: TestPeople.alice) }
    }
}

func expectCode(
    _ code: EngineError.Code, sourceLocation: Testing.SourceLocation = #_sourceLocation,
    _ body: () async throws -> Void
) async {
    do {
        try await body()
        Issue.record("expected \(code.rawValue), nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as EngineError {
        #expect(error.code == code, "\(error.message)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected \(code.rawValue), got \(error)", sourceLocation: sourceLocation)
    }
}
