import AWSSimulator
import Foundation
import Runbook
import Steps
import TestSupport
import Testing

@testable import Engine

/// The S3 primitives' typed contracts (issue 16 item 4): the plan carries what the executors
/// decode, a plan written by an earlier version (members in hand-written order, flags and maps
/// as it wrote them) still runs, and the rollback of the delete reads the `deletedAt` an earlier
/// version journaled (always with fractional seconds, `ISO8601DateFormatter`), so resuming such a
/// run after an upgrade waits out the forced wait from the right T0.
@Suite struct S3TypedContractTests {
    static func context(
        _ world: S3TestWorld, _ plan: RunbookPlan, _ step: PlannedStep, outputs: [String: [String: String]] = [:]
    )
        -> StepContext
    {
        StepContext(
            runId: "run-typed", step: step, attempt: 1, phase: .undo, clock: world.fixture.clock, plan: plan, outputs: outputs,
            decision: nil, sink: S3BatchCopyUndoTests.Sink())
    }

    @Test func deleteRollbackWaitsFromTheDeletedAtAnEarlierVersionJournaled() async throws {
        let world = try S3TestWorld()
        let plan = try world.plan(S3TestWorld.moveRunbook(forcedWait: "1h"))
        let step = try #require(plan.step("move-images.delete-source"))
        let executor = try #require(S3Steps.executors(sessions: world.sessions(plan), tuning: world.tuning)[S3PrimitiveType.deleteBucket])

        // As the old code wrote it: ISO8601DateFormatter with fractional seconds, 250 ms past the second.
        let deletedAt = world.fixture.clock.now().addingTimeInterval(-600.25)
        let old = ISO8601DateFormatter()
        old.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let journaled = old.string(from: deletedAt)
        #expect(journaled.contains("."), "the old form always has a fraction: \(journaled)")
        let outputs = [step.id: ["deletedAt": journaled, "bucket": "admin-images"]]

        let result = try await executor.compensate(Self.context(world, plan, step, outputs: outputs))
        guard case .notYet(let progress, let after) = result else {
            Issue.record("the rollback did not wait: \(result)")
            return
        }
        // T0 + 1h − now = 3600 − 600.25 s (to the millisecond, give or take the rounding of a Double).
        let left = try #require(after)
        #expect(left >= .milliseconds(2_999_749) && left <= .milliseconds(2_999_751), "\(left) \(progress)")
        #expect(progress.contains(RunbookTimestamp.format(deletedAt.addingTimeInterval(3600))), "\(progress)")
        #expect(world.requests("CreateBucket").isEmpty, "nothing is re-created before the wait is over")
    }

    @Test func deleteJournalsItsTimeInTheOneTimestampForm() async throws {
        let world = try S3TestWorld()
        try world.simulator.seedBucket("admin-images", account: S3TestWorld.legacy)
        let plan = try world.plan(S3TestWorld.moveRunbook())
        let step = try #require(plan.step("move-images.delete-source"))
        let executor = try #require(S3Steps.executors(sessions: world.sessions(plan), tuning: world.tuning)[S3PrimitiveType.deleteBucket])
        var context = Self.context(world, plan, step)
        context.phase = .forward
        guard case .done(let outputs) = try await executor.run(context) else {
            Issue.record("not done")
            return
        }
        #expect(outputs["deletedAt"] == RunbookTimestamp.format(world.fixture.clock.now()))
        #expect(outputs["bucket"] == "admin-images")
        #expect(outputs["alreadyGone"] == nil)
        #expect(world.simulator.bucket("admin-images") == nil)
    }

    /// A plan as main wrote it by hand, member for member, decodes and runs: here the ensure
    /// step of a copy, with `grantAccount` and flags as JSON, the way older journals hold them.
    @Test func aPlanWrittenByTheEarlierCodeStillRuns() async throws {
        let world = try S3TestWorld()
        let plan = try world.plan(S3TestWorld.moveRunbook())
        var step = try #require(plan.step("move-images.ensure-staging"))
        step.inputs = .object([
            ("account", .string("product")), ("bucket", .string("admin-images-staging")), ("grantAccount", .string("legacy")),
        ])
        let executor = try #require(S3Steps.executors(sessions: world.sessions(plan), tuning: world.tuning)[S3PrimitiveType.ensureBucket])
        var context = Self.context(world, plan, step)
        context.phase = .forward
        guard case .done(let outputs) = try await executor.run(context) else {
            Issue.record("not done")
            return
        }
        #expect(outputs == ["bucket": "admin-images-staging", "created": "true", "granted": "true"])
        #expect(world.simulator.bucket("admin-images-staging")?.owner == S3TestWorld.product)
    }

    /// A plan that lacks an input fails the step with `InvalidInputs` naming it, before any AWS call.
    @Test func aMissingInputIsNamed() async throws {
        let world = try S3TestWorld()
        let plan = try world.plan(S3TestWorld.moveRunbook())
        var step = try #require(plan.step("move-images.copy-to-staging"))
        step.inputs = .object([("from", .object([("account", .string("legacy")), ("bucket", .string("admin-images"))]))])
        let executor = try #require(S3Steps.executors(sessions: world.sessions(plan), tuning: world.tuning)[S3PrimitiveType.copyObjects])
        var context = Self.context(world, plan, step)
        context.phase = .forward
        do {
            _ = try await executor.run(context)
            Issue.record("ran without `to`")
        } catch let error as StepError {
            #expect(error.code == "InvalidInputs")
            #expect(error.message.contains("input `to` is missing"), "\(error.message)")
        }
        #expect(world.simulator.requests(where: { _ in true }).isEmpty)
    }

    /// The move's primitives carry their inputs as the typed contracts encode them: what each
    /// executor decodes is what the definition meant (flags, counts, maps, modes).
    @Test func theMovePlansTypedInputs() throws {
        let world = try S3TestWorld()
        let plan = try world.plan(
            S3TestWorld.moveRunbook().replacingOccurrences(
                of: "recreate: { every: 10s, for: 5m } }",
                with: "recreate: { every: 10s, for: 5m }, kmsKeyMap: { \"alias/old\": \"alias/new\" }, concurrency: 16 }"))
        let copyBack = try #require(plan.step("move-images.copy-back"))
        #expect(copyBack.inputs["objectACLs"] == .string("target"))
        #expect(copyBack.inputs["mirror"] == .bool(true))
        #expect(copyBack.inputs["concurrency"] == .number(16))
        #expect(copyBack.inputs["kmsKeyMap"] == .object([("alias/old", .string("alias/new"))]))
        #expect(copyBack.inputs["versionsFrom"] == .string("move-images.copy-to-staging"))
        let empty = try #require(plan.step("move-images.empty-source"))
        #expect(empty.inputs["restoreKmsKeyMap"] == .object([("alias/new", .string("alias/old"))]))
        #expect(empty.inputs["staging"] == .object([("account", .string("product")), ("bucket", .string("admin-images-staging"))]))
        let delete = try #require(plan.step("move-images.delete-source"))
        #expect(delete.inputs["forcedWait"] == .number(3600))
        let verify = try #require(plan.step("move-images.verify-staging"))
        #expect(verify.inputs["countHistory"] == nil, "only with versions: current")
        #expect(verify.inputs["sha256"] == .bool(false))
    }
}
