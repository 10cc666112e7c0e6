import AWSClient
import AWSSimulator
import Engine
import Foundation
import Runbook
import Steps
import TestSupport
import Testing

/// Rollback of the same-name move after the point of no return: the source was emptied and
/// deleted, and the operator rolls back (here, when the re-create loop in the target ran out).
/// The bucket must come back in the source account with its data and configuration, from staging.
@Suite struct S3MoveRollbackTests {
    static let appPolicy = """
        {"Version":"2012-10-17","Statement":[{"Sid":"App","Effect":"Allow",
         "Principal":{"AWS":"arn:aws:iam::111111111111:role/AdminConsole"},
         "Action":"s3:GetObject","Resource":"arn:aws:s3:::admin-images/*"}]}
        """

    /// Approves the move's gates and, when the re-create loop has run out, chooses rollback.
    static let rollBackAtTheDecision: @Sendable (RunExecutor) async -> Bool = { run in
        let snapshot = await run.snapshot()
        if snapshot.steps.first(where: { $0.id == "move-images.recreate" })?.status == .awaitingDecision {
            return
                (try? await run.decide(
                    step: "move-images.recreate", option: "rollback", by: TestPeople.bob,
                    comment: "the name is still held; go back")) != nil
        }
        return await S3TestWorld.approver(run)
    }

    /// Approves forward gates only: never the rollback's.
    static let forwardApprover: @Sendable (RunExecutor) async -> Bool = { run in
        guard await run.state.status == .running else { return false }
        return await rollBackAtTheDecision(run)
    }

    @Test func rollbackAfterThePointOfNoReturnRecreatesInSourceAndCopiesBack() async throws {
        // S3 holds the name 1h + 5 min + 1 min: the loop in the target runs out, the rollback's
        // loop in the source meets the hold six times and then gets the name.
        let world = try S3TestWorld(nameHold: 3600 + 300 + 60)
        let bodies = try world.seedSource(count: 40)
        try world.simulator.setBucketPolicy("admin-images", Self.appPolicy)
        let run = try await world.start(S3TestWorld.moveRunbook())

        #expect(await world.fixture.driver.drive(run, onIdle: Self.forwardApprover) == .waitingForOperator)
        let state = await run.state
        #expect(state.status == .rollingBack, "\(state.statusReason)")
        let deleted = try #require(state.steps["move-images.delete-source"]?.succeededAt)
        let decided = try #require(
            try world.fixture.events(run.runId).last { event, _ in
                if case .decisionMade = event { return true } else { return false }
            }?.1)
        #expect(decided == deleted.addingTimeInterval(3900))

        // The data is back and verified, but staging stays until someone approves its removal.
        #expect(world.simulator.bucket("admin-images")?.owner == S3TestWorld.legacy)
        #expect(world.simulator.bucket("admin-images")?.keys.count == 40)
        #expect(world.simulator.bucket("admin-images-staging")?.keys.count == 40)
        let ensure = try #require(await run.snapshot().steps.first { $0.id == "move-images.ensure-staging" })
        #expect(ensure.status == .awaitingApproval)
        let gate = try #require(await run.state.steps["move-images.ensure-staging"]?.undoApprovalRequest)
        #expect(gate.message?.contains("check that the rollback put every object back") == true)

        #expect(await world.fixture.driver.drive(run, onIdle: S3TestWorld.approver) == .finished(.rolledBack))
        #expect(world.simulator.bucket("admin-images-staging") == nil)
        let bucket = try #require(world.simulator.bucket("admin-images"))
        #expect(bucket.owner == S3TestWorld.legacy)
        for (key, body) in bodies {
            let object = try #require(world.simulator.object(bucket: "admin-images", key: key), "\(key) missing")
            #expect(object.body == .bytes(body), "\(key)")
            #expect(object.checksums["SHA256"] == S3TestSupport.sha256Base64(body), "\(key)")
            #expect(Set(object.write.tags.map(\.key)) == ["team", "n"], "\(key)")
            #expect(object.write.metadata["origin"]?.hasPrefix("legacy-") == true, "\(key)")
            #expect(object.write.contentType == "image/jpeg", "\(key)")
        }
        #expect(world.simulator.object(bucket: "admin-images", key: "images/0005.jpg")?.write.storageClass == "STANDARD_IA")
        // The original configuration, not the copy rewritten for the target account.
        let policy = try #require(world.simulator.bucketConfiguration(.policy, bucket: "admin-images"))
        #expect(policy.contains("arn:aws:iam::111111111111:role/AdminConsole"))
        #expect(!policy.contains("222222222222"))

        #expect(world.requests("DeleteBucket", on: "admin-images").count == 1)
        // The rollback's loop: from the decision (already past T0 + 1h), every 10 s, until the name was free at T0 + 66 min.
        let inSource = world.requests("CreateBucket", on: "admin-images").filter { $0.account == S3TestWorld.legacy }
        #expect(inSource.map { $0.time.timeIntervalSince(decided) } == (0...6).map { Double($0) * 10 })
        #expect(inSource.dropLast().allSatisfy { $0.errorCode == "OperationAborted" })
        #expect(inSource.last?.errorCode == nil)
        let inTarget = world.requests("CreateBucket", on: "admin-images").filter { $0.account == S3TestWorld.product }
        #expect(inTarget.count == 31)
        #expect(await run.state.steps["move-images.delete-source"]?.undone == true)
        #expect(await run.state.steps["move-images.empty-source"]?.undone == true)
    }

    @Test func rollbackWaitsOutTheForcedWaitFromTheJournaledDelete() async throws {
        // Rolled back right after the delete: the source re-create waits until T0 + 1h, never earlier.
        let world = try S3TestWorld()
        try world.seedSource(count: 5)
        let run = try await world.start(S3TestWorld.moveRunbook())
        let rollBackAfterTheDelete: @Sendable (RunExecutor) async -> Bool = { run in
            let state = await run.state
            if state.status == .running, state.steps["move-images.delete-source"]?.succeeded == true {
                return (try? await run.rollback(by: TestPeople.bob, comment: "abort during the forced wait")) != nil
            }
            return await S3TestWorld.approver(run)
        }
        let end = await world.fixture.driver.drive(run, onIdle: rollBackAfterTheDelete)
        let reason = await run.state.statusReason
        #expect(end == .finished(.rolledBack), "\(reason)")
        let deleted = try #require(world.requests("DeleteBucket", on: "admin-images").first?.time)
        let creates = world.requests("CreateBucket", on: "admin-images")
        #expect(creates.map(\.account) == [S3TestWorld.legacy])
        #expect(creates.map { $0.time.timeIntervalSince(deleted) } == [3600])
        #expect(world.simulator.bucket("admin-images")?.owner == S3TestWorld.legacy)
        #expect(world.simulator.bucket("admin-images")?.keys.count == 5)
        #expect(world.simulator.bucket("admin-images-staging") == nil)
    }

    @Test func rollbackBetweenTheEmptyAndTheDeleteRefillsTheSource() async throws {
        let world = try S3TestWorld()
        let bodies = try world.seedSource(count: 15)
        let run = try await world.start(S3TestWorld.moveRunbook())
        let approveTheEmptyOnly: @Sendable (RunExecutor) async -> Bool = { run in
            (try? await run.approve(step: "move-images.empty-source", by: TestPeople.alice)) != nil
        }
        #expect(await world.fixture.driver.drive(run, onIdle: approveTheEmptyOnly) == .waitingForOperator)
        #expect(world.simulator.bucket("admin-images")?.keys.count == 0)  // emptied, waiting at the delete's gate

        try await run.rollback(by: TestPeople.bob, comment: "the window is gone")
        #expect(await world.fixture.driver.drive(run, onIdle: S3TestWorld.approver) == .finished(.rolledBack))
        #expect(world.requests("DeleteBucket", on: "admin-images").isEmpty)
        #expect(world.requests("CreateBucket", on: "admin-images").isEmpty)
        #expect(world.simulator.bucket("admin-images")?.owner == S3TestWorld.legacy)
        for (key, body) in bodies {
            #expect(world.simulator.object(bucket: "admin-images", key: key)?.body == .bytes(body), "\(key)")
        }
        #expect(world.simulator.bucket("admin-images-staging") == nil)
        let gates = try world.fixture.events(run.runId).compactMap { event, _ -> String? in
            if case let .approvalDecided(decided) = event, decided.phase == .undo { return decided.step }
            return nil
        }
        #expect(gates == ["move-images.ensure-staging"])
    }

    @Test func nameTakenByAThirdPartyDuringTheRollbackStopsItAndKeepsStaging() async throws {
        let world = try S3TestWorld(nameHold: 3600 + 300 + 60)
        try world.seedSource(count: 8)
        // Fires when S3 releases the name, between two attempts of the rollback's loop.
        world.simulator.scheduleNameSnipe(
            bucket: "admin-images", byAccount: S3TestWorld.squatter, at: EngineFixture.epoch.addingTimeInterval(60))
        let run = try await world.start(S3TestWorld.moveRunbook())

        #expect(await world.fixture.driver.drive(run, onIdle: Self.rollBackAtTheDecision) == .waitingForOperator)
        let state = await run.state
        #expect(state.status == .paused)
        #expect(state.statusReason.contains("rollback blocked"))
        let error = try #require(state.steps["move-images.delete-source"]?.lastError)
        #expect(error.code == "BucketNameTaken")
        #expect(error.message.contains("another AWS account took the name admin-images"))
        #expect(error.message.contains("will not be retried"))
        let inSource = world.requests("CreateBucket", on: "admin-images").filter { $0.account == S3TestWorld.legacy }
        #expect(inSource.last?.errorCode == "BucketAlreadyExists")
        #expect(inSource.filter { $0.errorCode == "BucketAlreadyExists" }.count == 1)

        // Hours later nothing has tried again, and the only copy of the data is still there.
        world.fixture.clock.advance(to: world.fixture.clock.now().addingTimeInterval(6 * 3600))
        #expect(await world.fixture.driver.drive(run) == .waitingForOperator)
        #expect(world.requests("CreateBucket", on: "admin-images").filter { $0.account == S3TestWorld.legacy }.count == inSource.count)
        #expect(world.simulator.bucket("admin-images")?.owner == S3TestWorld.squatter)
        #expect(world.simulator.bucket("admin-images-staging")?.keys.count == 8)
        #expect(world.requests("DeleteBucket", on: "admin-images-staging").isEmpty)
    }

    @Test func rollbackIsRefusedOnceTheTargetOwnsTheName() async throws {
        let world = try S3TestWorld()
        try world.seedSource(count: 6)
        let run = try await world.start(S3TestWorld.moveRunbook())
        let approveAllButStaging: @Sendable (RunExecutor) async -> Bool = { run in
            let waiting = await run.snapshot().steps.filter { $0.status == .awaitingApproval && $0.id != "move-images.remove-staging" }
            var acted = false
            for step in waiting where (try? await run.approve(step: step.id, by: TestPeople.alice)) != nil { acted = true }
            return acted
        }
        #expect(await world.fixture.driver.drive(run, onIdle: approveAllButStaging) == .waitingForOperator)
        #expect(world.simulator.bucket("admin-images")?.owner == S3TestWorld.product)

        try await run.rollback(by: TestPeople.bob, comment: "the app misbehaves")
        #expect(await world.fixture.driver.drive(run) == .waitingForOperator)
        let state = await run.state
        #expect(state.status == .paused)
        let error = try #require(state.steps["move-images.delete-source"]?.lastError)
        #expect(error.code == "NameAlreadyMoved")
        #expect(error.message.contains("run a new move in the opposite direction"))
        #expect(state.statusReason.contains("NameAlreadyMoved"))
        // Nothing was deleted or created: the moved bucket and staging are as they were.
        #expect(world.simulator.bucket("admin-images")?.owner == S3TestWorld.product)
        #expect(world.simulator.bucket("admin-images")?.keys.count == 6)
        #expect(world.simulator.bucket("admin-images-staging")?.keys.count == 6)
        #expect(world.requests("DeleteBucket").count == 1)
        #expect(world.requests("CreateBucket", on: "admin-images").allSatisfy { $0.account == S3TestWorld.product })
    }

    @Test func planStatesTheRiskAtTheApprovalBeforeTheDelete() throws {
        let world = try S3TestWorld()
        let plan = try world.plan(S3TestWorld.moveRunbook())
        let empty = try #require(plan.step("move-images.empty-source"))
        let delete = try #require(plan.step("move-images.delete-source"))
        #expect(empty.reversibility == .compensated)
        #expect(delete.reversibility == .compensated)
        #expect(empty.approval != nil && delete.approval != nil)
        #expect(empty.title.contains("48–72 h") && empty.title.contains("anyone can take it"))
        #expect(delete.title.contains("re-creates admin-images in `legacy`"))
        #expect(delete.title.contains("48–72 h"))
        #expect(
            delete.undoRetry
                == RetryPolicy(
                    backoff: .fixed(interval: .seconds(10)), maxElapsed: .seconds(300),
                    retryOn: ["OperationAborted", "TransientError"]))
        #expect(plan.step("move-images.ensure-staging")?.undoApproval?.onlyAfter == "move-images.empty-source")
        let text = PlanRenderer().text(plan)
        #expect(text.contains("after move-images.delete-source, rollback compensates"))
        #expect(text.contains("COMPENSATED"))
    }
}
