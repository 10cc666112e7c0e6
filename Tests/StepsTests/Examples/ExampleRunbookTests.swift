import AWSSimulator
import Engine
import Foundation
import Runbook
import Steps
import TestSupport
import Testing

/// The shipped runbooks: every file in `Runbooks/examples/` (and `Runbooks/admin-console-cutover.yaml`)
/// loads and plans with the real step catalog, and the single-move examples and `every-option.yaml`
/// run unchanged to completion against the in-process simulator, in two accounts, on the virtual
/// clock of `AdminConsoleWorld` (their accounts, roles, region and window are that world's).
/// Also `rds.decommission-instance` and the preflight's option-group check, in `RDSMoveWorld`.
@Suite struct ExampleRunbookTests {
    static let runbooks = AdminConsoleWorld.runbookURL.deletingLastPathComponent().deletingLastPathComponent()
    static let examples = runbooks.appendingPathComponent("examples")

    /// Every example file, by name, plus the admin-console runbook (listed, so a new file is covered).
    static var shipped: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: examples.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted().map { "examples/\($0)" } + ["admin-console-cutover.yaml"]
    }

    static func text(_ name: String) throws -> String {
        try String(contentsOf: runbooks.appendingPathComponent(name), encoding: .utf8)
    }

    static func plan(_ name: String) throws -> RunbookPlan {
        let runbook = try RunbookLoader(catalog: StepLibrary.catalog).load(text: try text(name), file: name)
        // A runbook whose window comes from parameters gets this world's window, and the whole
        // cutover a hosted zone.
        let known = AdminConsoleWorld.windowParameters.merging(["hostedZoneId": "Z0123456789ABCDEFGHIJ"]) { a, _ in a }
        let given = known.filter { name, _ in runbook.parameters.contains { $0.name == name } }
        return try RunbookPlanner(catalog: StepLibrary.catalog).plan(runbook, parameters: given)
    }

    /// Starts `name` in `world` with the runbook's own text as its source.
    static func start(_ name: String, in world: AdminConsoleWorld) async throws -> RunExecutor {
        let plan = try plan(name)
        world.installRegistry(plan)
        try world.fixture.reopen()
        return try await world.fixture.engine.start(
            plan: plan, runbookSource: try text(name), parameters: [:], initiator: TestPeople.initiator)
    }

    @Test func theExamplesAreAllThere() {
        for name in [
            "examples/s3-move-bucket.yaml", "examples/rds-move-instance.yaml", "examples/every-option.yaml",
            "examples/aurora-move.yaml", "examples/engine-demo.yaml", "admin-console-cutover.yaml",
        ] {
            #expect(Self.shipped.contains(name), "\(name)")
        }
    }

    @Test(arguments: ExampleRunbookTests.shipped)
    func everyShippedRunbookValidatesAndPlans(_ name: String) throws {
        let plan = try Self.plan(name)
        #expect(!plan.steps.isEmpty, "\(name)")
    }

    @Test func everyOptionUsesEveryInputOfEveryStepType() throws {
        let text = try Self.text("examples/every-option.yaml")
        var missing: [String] = []
        for type in [
            "s3.copy-objects", "s3.move-bucket", "rds.move-instance", "rds.move-cluster", "rds.decommission-instance", "approval", "wait",
        ] {
            let definition = try #require(StepLibrary.catalog.definition(for: type), "\(type)")
            #expect(text.contains("uses: \(type)"), "\(type)")
            for input in definition.inputs where !text.contains("\(input.name):") { missing.append("\(type).\(input.name)") }
        }
        for key in [
            "apiVersion", "name", "description", "region", "accounts", "window", "onOverrun", "approvals", "approvers",
            "required", "distinct", "allowInitiator", "timeout", "onTimeout", "parameters", "steps", "parallel",
            "needs", "retry", "onFailure", "message", "approval", "externalId", "role", "id",
        ] where !text.contains("\(key):") {
            missing.append(key)
        }
        #expect(missing.isEmpty, "not shown: \(missing)")
        let plan = try Self.plan("examples/every-option.yaml")
        #expect(plan.step("decommission-db")?.reversibility == .irreversible)
    }

    @Test func theBucketMoveExampleRunsToCompletion() async throws {
        let world = try AdminConsoleWorld()
        let run = try await Self.start("examples/s3-move-bucket.yaml", in: world)
        #expect(await world.fixture.driver.drive(run, onIdle: AdminConsoleWorld.approver) == .finished(.completed))
        Self.expectBucketMoved(world)
        // The pre-copy ran before the window opened, the delete inside it.
        let windowStart = Date(timeIntervalSince1970: 1_796_054_400)
        #expect(try #require(world.requests("CopyObject").map(\.time).min()) < windowStart)
        #expect(try #require(world.requests("DeleteBucket", on: AdminConsoleWorld.bucket).first).time >= windowStart)
    }

    @Test func theInstanceMoveExampleRunsToCompletion() async throws {
        let world = try AdminConsoleWorld()
        let run = try await Self.start("examples/rds-move-instance.yaml", in: world)
        #expect(await world.fixture.driver.drive(run, onIdle: AdminConsoleWorld.approver) == .finished(.completed))
        let now = world.fixture.clock.now()
        let restored = try #require(world.simulator.dbInstances(account: AdminConsoleWorld.product).first { $0.identifier == "admin-db" })
        #expect(restored.status(at: now) == "available")
        #expect(restored.kmsKeyId == world.targetKeyArn)
        #expect(world.simulator.dbInstanceStatus("admin-db", account: AdminConsoleWorld.legacy) == "available")
        #expect(world.requests("DeleteDBInstance").isEmpty)
        #expect(await run.state.steps["move-db.verify"]?.outputs["endpoint"] == restored.endpointAddress)
    }

    /// Everything at once: the pre-copy, the three moves in parallel, the soak and the decommission
    /// of the source instance, which keeps its final snapshot.
    @Test func everyOptionRunsToCompletion() async throws {
        let world = try AdminConsoleWorld()
        // What the example names beyond the admin-console world: a parameter group, an option group,
        // an Aurora cluster and a share key for it.
        world.simulator.seedRDSNetwork(
            account: AdminConsoleWorld.product, parameterGroups: ["admin-mysql80"], clusterParameterGroups: ["admin-aurora-mysql80"])
        world.simulator.seedOptionGroup(
            SimOptionGroup(name: "admin-mysql80-options", engine: "mysql", majorEngineVersion: "8.0"), account: AdminConsoleWorld.product)
        try world.simulator.createKMSKey(
            account: AdminConsoleWorld.legacy, description: "aurora share key", sharedWith: [AdminConsoleWorld.product],
            alias: "alias/legacy-aurora-share")
        try world.simulator.seedDBCluster(
            identifier: "admin-aurora", kmsKeyId: "alias/legacy-admin-db", storageEncrypted: true, account: AdminConsoleWorld.legacy)
        for member in ["admin-aurora-a", "admin-aurora-b"] {
            try world.simulator.seedDBInstance(
                SimDBInstanceSeed(
                    identifier: member, engine: "aurora-mysql", instanceClass: "db.r6g.large", clusterIdentifier: "admin-aurora"),
                account: AdminConsoleWorld.legacy)
        }

        let run = try await Self.start("examples/every-option.yaml", in: world)
        #expect(await world.fixture.driver.drive(run, onIdle: AdminConsoleWorld.approver) == .finished(.completed))
        Self.expectBucketMoved(world)
        let now = world.fixture.clock.now()
        let restored = try #require(world.simulator.dbInstances(account: AdminConsoleWorld.product).first { $0.identifier == "admin-db" })
        #expect(restored.status(at: now) == "available")
        #expect(restored.parameterGroupName == "admin-mysql80")
        #expect(restored.optionGroupName == "admin-mysql80-options")
        // Both moves shared a copy under a share key and removed it; the instance move's own key is pending deletion.
        #expect(!world.simulator.dbSnapshots(account: AdminConsoleWorld.legacy).contains { $0.identifier.hasSuffix("-share") })
        #expect(
            !world.simulator.dbSnapshots(account: AdminConsoleWorld.legacy, kind: .cluster).contains { $0.identifier.hasSuffix("-share") })
        #expect(
            world.simulator.kmsKeys(account: AdminConsoleWorld.legacy).filter { $0.tags["cutover:run"] == run.runId }.map(\.keyState)
                == ["PendingDeletion"])
        #expect(world.simulator.dbClusters(account: AdminConsoleWorld.product).contains { $0.identifier == "admin-aurora" })
        // The decommission: one DeleteDBInstance, in legacy, for admin-db, with its final snapshot.
        let deletes = world.requests("DeleteDBInstance")
        #expect(deletes.count == 1)
        #expect(deletes.allSatisfy { $0.account == AdminConsoleWorld.legacy && $0.mutated })
        #expect(world.simulator.dbInstanceStatus("admin-db", account: AdminConsoleWorld.legacy) != "available")
        #expect(world.simulator.dbSnapshots(account: AdminConsoleWorld.legacy).contains { $0.identifier == "admin-db-final" })
        #expect(
            world.simulator.dbClusters(account: AdminConsoleWorld.legacy).contains { $0.identifier == "admin-aurora" },
            "the Aurora source is untouched")
    }

    static func expectBucketMoved(_ world: AdminConsoleWorld) {
        let bucket = world.simulator.bucket(AdminConsoleWorld.bucket)
        #expect(bucket?.owner == AdminConsoleWorld.product)
        #expect(world.simulator.bucket(AdminConsoleWorld.staging) == nil, "staging left")
        for (key, body) in world.bodies {
            #expect(world.simulator.object(bucket: AdminConsoleWorld.bucket, key: key)?.body == .bytes(body), "\(key)")
        }
        #expect(bucket?.keys.count == AdminConsoleWorld.objectCount)
        #expect(world.requests("DeleteBucket", on: AdminConsoleWorld.bucket).count == 1)
    }
}
