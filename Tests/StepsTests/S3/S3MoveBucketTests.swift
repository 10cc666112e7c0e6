import AWSClient
import AWSSimulator
import Engine
import Foundation
import Runbook
import Steps
import TestSupport
import Testing

/// The same-name move end to end: YAML → plan → the real engine on the virtual clock → the real
/// executors → the simulator with two accounts.
@Suite struct S3MoveBucketTests {
    @Test func planExpandsIntoHonestPrimitives() throws {
        let world = try S3TestWorld()
        let plan = try world.plan(S3TestWorld.moveRunbook())
        #expect(plan.steps.map(\.id) == S3MoveBucketDefinition.Primitive.allCases.map { "move-images.\($0.rawValue)" })
        let gated = plan.steps.filter { $0.approval != nil }.map(\.id)
        #expect(gated == ["move-images.empty-source", "move-images.delete-source", "move-images.remove-staging"])
        let wait = try #require(plan.step("move-images.forced-wait"))
        #expect(wait.inputs["after"]?.stringValue == "move-images.delete-source")
        #expect(wait.inputs["for"]?.numberValue == 3600)
        let recreate = try #require(plan.step("move-images.recreate"))
        #expect(
            recreate.retry
                == RetryPolicy(
                    backoff: .fixed(interval: .seconds(10)), maxElapsed: .seconds(300),
                    retryOn: ["OperationAborted", "TransientError"]))
        #expect(recreate.onFailure == .decide)
        #expect(recreate.decisionOptions == ["retry", "slow-retry", "rollback"])
        #expect(plan.step("move-images.capture-config")?.effect == .readOnly)
        #expect(plan.step("move-images.ensure-staging")?.reversibility == .reversible)
        #expect(plan.step("move-images.delete-source")?.account == "legacy")
        #expect(recreate.account == "product")
    }

    @Test func badInputsAreReportedTogetherWithLocations() throws {
        let world = try S3TestWorld()
        let yaml = S3TestWorld.moveRunbook().replacingOccurrences(of: "to: product", with: "to: prodcut")
            .replacingOccurrences(of: "staging: admin-images-staging", with: "staging: Admin_Staging")
        do {
            _ = try world.plan(yaml)
            Issue.record("planned a runbook naming an undeclared account")
        } catch let error as RunbookDiagnostics {
            let codes = error.diagnostics.map(\.code)
            #expect(codes.contains("undeclared-account"))
            #expect(error.description.contains("prodcut"))
        }
    }

    @Test func happyPathMovesEveryObjectWithItsChecksumTagsAndMetadata() async throws {
        let world = try S3TestWorld()
        let bodies = try world.seedSource(count: 240)
        try world.simulator.setBucketPolicy(
            "admin-images",
            """
            {"Version":"2012-10-17","Statement":[{"Sid":"App","Effect":"Allow",
             "Principal":{"AWS":"arn:aws:iam::111111111111:role/AdminConsole"},
             "Action":"s3:GetObject","Resource":"arn:aws:s3:::admin-images/*"}]}
            """)
        let run = try await world.start(S3TestWorld.moveRunbook())
        let started = ContinuousClock.now

        let stop = await world.fixture.driver.drive(run, onIdle: S3TestWorld.approver)

        #expect(stop == .finished(.completed))
        let snapshot = await run.snapshot()
        for step in snapshot.steps { #expect(step.status == .succeeded, "\(step.id): \(step.lastError?.description ?? "")") }
        let bucket = try #require(world.simulator.bucket("admin-images"))
        #expect(bucket.owner == S3TestWorld.product)
        #expect(world.simulator.bucket("admin-images-staging") == nil)
        for (key, body) in bodies {
            let object = try #require(world.simulator.object(bucket: "admin-images", key: key), "\(key) missing")
            #expect(object.body == .bytes(body), "\(key)")
            #expect(object.checksums["SHA256"] == S3TestSupport.sha256Base64(body), "\(key)")
            #expect(Set(object.write.tags.map(\.key)) == ["team", "n"], "\(key)")
            #expect(object.write.metadata["origin"]?.hasPrefix("legacy-") == true, "\(key)")
            #expect(object.write.contentType == "image/jpeg", "\(key)")
        }
        #expect(world.simulator.object(bucket: "admin-images", key: "images/0005.jpg")?.write.storageClass == "STANDARD_IA")
        #expect(world.requests("DeleteBucket", on: "admin-images").count == 1)
        // The policy came along with the account ID rewritten.
        let policy = try #require(world.simulator.bucketConfiguration(.policy, bucket: "admin-images"))
        #expect(policy.contains("arn:aws:iam::222222222222:role/AdminConsole"))
        #expect(!policy.contains("111111111111"))
        // The re-create waited out the forced hour from the delete.
        let deleted = try #require(world.requests("DeleteBucket", on: "admin-images").first?.time)
        let created = try #require(world.requests("CreateBucket", on: "admin-images").first?.time)
        #expect(created.timeIntervalSince(deleted) >= 3600)
        print("s3.move-bucket of \(bodies.count) objects: \(ContinuousClock.now - started) of test time")
    }

    @Test func lostAnswersToTheIrreversibleDeletesAreLookedUpNotResent() async throws {
        // Found by the soak: a DeleteObjects whose answer was cut off was resent by the client.
        let world = try S3TestWorld()
        let bodies = try world.seedSource(count: 40)
        for operation in ["DeleteObjects", "DeleteBucket"] {
            _ = try world.simulator.faults.addRule(
                FaultRule(
                    service: "s3", operation: operation, resourcePrefix: "admin-images", effect: .resetAfter(bodyBytes: 8),
                    trigger: .requests(1...1)))
        }
        let run = try await world.start(S3TestWorld.moveRunbook())
        #expect(await world.fixture.driver.drive(run, onIdle: S3TestWorld.approver) == .finished(.completed))
        for operation in ["DeleteObjects", "DeleteBucket"] {
            let sent = world.requests(operation, on: "admin-images").filter { $0.account == S3TestWorld.legacy }
            #expect(sent.filter(\.injected).count == 1, "\(operation): the lost answer was not exercised")
            #expect(sent.count == 1, "\(operation) sent \(sent.count) times to the source")
        }
        for key in bodies.keys { #expect(world.simulator.object(bucket: "admin-images", key: key) != nil, "\(key) missing") }
    }

    @Test func throttlingThroughoutTheVerificationStillCompletes() async throws {
        // Found by the fault campaign: one object failing its client retries restarted the whole check.
        let world = try S3TestWorld()
        try world.seedSource(count: 120)
        for operation in ["HeadObject", "GetObject", "ListObjectsV2"] {
            _ = try world.simulator.faults.addRule(
                FaultRule(service: "s3", operation: operation, effect: .throttling, trigger: .probability(0.3), seed: 11))
        }
        let run = try await world.start(S3TestWorld.moveRunbook())
        #expect(await world.fixture.driver.drive(run, onIdle: S3TestWorld.approver) == .finished(.completed))
        let verify = await run.state.steps["move-images.verify-staging"]
        #expect(verify?.attempts == 1, "verification needed \(verify?.attempts ?? 0) attempts")
    }

    @Test func nameHeldPastTheForcedWaitRetriesOnScheduleThenAsks() async throws {
        // Held 1h + 5 min + 1 min: every attempt of the loop meets OperationAborted.
        let world = try S3TestWorld(nameHold: 3600 + 300 + 60)
        try world.seedSource(count: 5)
        let run = try await world.start(S3TestWorld.moveRunbook())

        let stop = await world.fixture.driver.drive(run, onIdle: S3TestWorld.approver)

        #expect(stop == .waitingForOperator)
        let deleted = try #require(await run.state.steps["move-images.delete-source"]?.succeededAt)
        let attempts = world.requests("CreateBucket", on: "admin-images")
        #expect(attempts.count == 31)
        #expect(attempts.allSatisfy { $0.errorCode == "OperationAborted" })
        #expect(attempts.map { $0.time.timeIntervalSince(deleted) } == (0...30).map { 3600 + Double($0) * 10 })
        let recreate = try #require(await run.snapshot().steps.first { $0.id == "move-images.recreate" })
        #expect(recreate.status == .awaitingDecision)
        #expect(recreate.decisionOptions == ["retry", "slow-retry", "rollback"])

        // The operator retries once the name is free: the loop starts again and succeeds.
        world.fixture.clock.advance(to: world.fixture.clock.now().addingTimeInterval(120))
        try await run.decide(step: "move-images.recreate", option: "retry", by: TestPeople.bob, comment: "name should be free now")
        #expect(await world.fixture.driver.drive(run, onIdle: S3TestWorld.approver) == .finished(.completed))
        #expect(world.simulator.bucket("admin-images")?.owner == S3TestWorld.product)
    }

    @Test func nameTakenByAThirdPartyStopsAndIsNeverRetried() async throws {
        // S3 frees the name half-way through the forced wait and a third party takes it at once.
        let world = try S3TestWorld(nameHold: 1800)
        try world.seedSource(count: 5)
        // Scheduled after the delete (which happens at the epoch on the virtual clock): fires when the hold ends.
        world.simulator.scheduleNameSnipe(
            bucket: "admin-images", byAccount: S3TestWorld.squatter, at: EngineFixture.epoch.addingTimeInterval(60))
        let run = try await world.start(S3TestWorld.moveRunbook())

        let stop = await world.fixture.driver.drive(run, onIdle: S3TestWorld.approver)

        #expect(stop == .waitingForOperator)
        let attempts = world.requests("CreateBucket", on: "admin-images")
        #expect(attempts.count == 1)
        #expect(attempts.first?.errorCode == "BucketAlreadyExists")
        let recreate = try #require(await run.snapshot().steps.first { $0.id == "move-images.recreate" })
        #expect(recreate.status == .awaitingDecision)
        #expect(recreate.lastError?.code == "BucketAlreadyExists")
        #expect(recreate.lastError?.message.contains("someone else owns the name") == true)
        #expect(recreate.attempts == 1)
        #expect(world.simulator.bucket("admin-images")?.owner == S3TestWorld.squatter)
        // The data is still in staging.
        #expect(world.simulator.bucket("admin-images-staging")?.keys.count == 5)
    }

    @Test func verifyMismatchStopsBeforeAnythingIsDeleted() async throws {
        let world = try S3TestWorld()
        try world.seedSource(count: 20)
        let plan = try world.plan(S3TestWorld.moveRunbook())
        var registry = world.registry(plan)
        // Corrupt one staged object right after the copy, as a bad write would.
        let copy = try #require(registry.step(for: S3PrimitiveType.copyObjects))
        let simulator = world.simulator
        registry.register(
            S3PrimitiveType.copyObjects,
            CorruptingStep(wrapped: copy) {
                _ = try? simulator.seedObject(bucket: "admin-images-staging", key: "images/0007.jpg", body: Data("corrupted!".utf8))
            })
        world.fixture.registry = registry
        try world.fixture.reopen()
        let run = try await world.fixture.start(plan)

        let stop = await world.fixture.driver.drive(run, onIdle: S3TestWorld.approver)

        #expect(stop == .waitingForOperator)
        let snapshot = await run.snapshot()
        #expect(snapshot.status == .paused)
        let verify = try #require(snapshot.steps.first { $0.id == "move-images.verify-staging" })
        #expect(verify.status == .failed)
        #expect(verify.lastError?.code == "VerificationFailed")
        #expect(verify.lastError?.message.contains("images/0007.jpg") == true)
        #expect(verify.attempts == 1)
        #expect(world.requests("DeleteObjects", on: "admin-images").isEmpty)
        #expect(world.requests("DeleteBucket").isEmpty)
        #expect(world.simulator.bucket("admin-images")?.keys.count == 20)
    }

    @Test func rollbackBeforeThePointOfNoReturnRemovesTheStagingBucket() async throws {
        let world = try S3TestWorld()
        try world.seedSource(count: 10)
        let run = try await world.start(S3TestWorld.moveRunbook())
        #expect(await world.fixture.driver.drive(run) == .waitingForOperator)  // at the empty-source gate
        #expect(world.simulator.bucket("admin-images-staging")?.keys.count == 10)

        try await run.rollback(by: TestPeople.alice, comment: "abort the cutover")
        #expect(await world.fixture.driver.drive(run) == .finished(.rolledBack))

        #expect(world.simulator.bucket("admin-images-staging") == nil)
        #expect(world.simulator.bucket("admin-images")?.owner == S3TestWorld.legacy)
        #expect(world.simulator.bucket("admin-images")?.keys.count == 10)
    }
}

/// Runs a step, then does something to the world (a test's way to change data between steps).
struct CorruptingStep: Step {
    let wrapped: any Step
    let after: @Sendable () -> Void

    func run(_ context: StepContext) async throws -> StepResult {
        let result = try await wrapped.run(context)
        after()
        return result
    }

    func check(_ context: StepContext) async throws -> CheckResult { try await wrapped.check(context) }
    func undo(_ context: StepContext) async throws { try await wrapped.undo(context) }
}
