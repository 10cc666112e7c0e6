import AWSClient
import AWSSimulator
import Engine
import Foundation
import Rehearsal
import Runbook
import Steps
import TestSupport
import Testing

/// Issue 20 items 1, 3 and 4: discovery of what the admin-console runbook touches, through the
/// runbook's own roles, is read-only (the simulator's request log shows only reads), and the twin
/// world it writes — seeded into a second simulator — behaves as the original: the same resources,
/// and the unchanged runbook runs to the same end on both.
@Suite struct TwinDiscoveryTests {
    static func sessions(
        _ plan: RunbookPlan, simulator: Simulator, base: StaticCredentialProvider, clock: ManualClock
    )
        -> RunbookAccountSessions
    {
        RunbookAccountSessions(
            accounts: plan.accounts, region: plan.region, base: base, transport: SimulatorTransport(simulator),
            retry: RetryConfiguration(maxAttempts: 4, maxBackoff: .milliseconds(10), baseDelay: .milliseconds(1)),
            sessionName: "cutover-rehearsal", now: { clock.now() })
    }

    @Test func discoveryOnlyReadsAndFindsWhatTheRunbookTouches() async throws {
        let plan = try AdminConsoleWorld.plan()
        let world = try AdminConsoleWorld()
        let before = world.simulator.requestLog.last?.sequence ?? 0
        let inventory = await TwinDiscovery(
            plan: plan, sessions: Self.sessions(plan, simulator: world.simulator, base: world.base, clock: world.fixture.clock)
        ).discover()

        let made = world.simulator.requestLog.filter { $0.sequence > before }
        #expect(!made.isEmpty)
        let writes = made.filter { !TwinDiscovery.readOperations.contains($0.operation) }
        #expect(writes.isEmpty, "discovery made calls that are not reads: \(Set(writes.map(\.operation)))")
        #expect(Set(inventory.calls.keys.map { String($0.split(separator: " ")[1]) }).isSubset(of: TwinDiscovery.readOperations))
        #expect(inventory.problems.isEmpty, "\(inventory.problems)")

        let images = try #require(inventory.buckets.first { $0.name == AdminConsoleWorld.bucket })
        #expect(images.exists && images.account == "legacy")
        #expect(images.profile?.objects == AdminConsoleWorld.objectCount)
        #expect(images.profile?.bytes == Int64(world.bodies.values.reduce(0) { $0 + $1.count }))
        let staging = try #require(inventory.buckets.first { $0.name == AdminConsoleWorld.staging })
        #expect(!staging.exists, "the staging bucket is the run's to create")
        let db = try #require(inventory.dbInstances.first)
        #expect(db.identifier == "admin-db" && db.engine == "mysql" && db.engineVersion == "8.0.40" && db.storageEncrypted)
        #expect(db.awsManagedKey == false)
        #expect(Set(inventory.keys.filter(\.exists).flatMap(\.aliases)) == ["alias/legacy-admin-db", "alias/admin-db"])
        #expect(inventory.subnetGroups["product"] == ["admin-private"])
    }

    @Test func theTwinRunsTheUnchangedRunbookToTheSameEnd() async throws {
        let plan = try AdminConsoleWorld.plan()
        let original = try AdminConsoleWorld()
        let inventory = await TwinDiscovery(
            plan: plan, sessions: Self.sessions(plan, simulator: original.simulator, base: original.base, clock: original.fixture.clock)
        ).discover()
        let json = try TwinWorld(inventory).json()
        let text = String(decoding: json, as: UTF8.self)
        for body in original.bodies.values {
            #expect(!text.contains(String(decoding: body.prefix(24), as: UTF8.self)), "object data leaked into the twin")
        }
        #expect(!text.contains(original.base.value.secretAccessKey), "a real credential leaked into the twin")

        // World B: a fresh simulator seeded from the twin file alone.
        let fixture = try EngineFixture(now: AdminConsoleWorld.start, inMemoryFilesystem: true)
        let twin = Simulator(
            configuration: SimConfiguration(
                region: AdminConsoleWorld.region, bucketNameHold: 3600,
                rds: RDSTimings(
                    instanceCreating: 60, instanceBackingUp: 60, instanceModifying: 60, instanceDeleting: 60,
                    snapshotCreating: 60, snapshotCopying: 60)),
            clock: SharedSimClock(fixture.clock))
        let applied = try JSONDecoder().decode(SimWorldSeed.self, from: json).apply(to: twin)
        let key = try #require(applied.keys.first { $0.userName == TwinWorld.operatorUser })
        let base = StaticCredentialProvider(AWSCredentials(accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey))

        // The same resources.
        #expect(twin.bucket(AdminConsoleWorld.bucket)?.owner == AdminConsoleWorld.legacy)
        #expect(twin.bucket(AdminConsoleWorld.staging) == nil)
        #expect(twin.dbInstanceStatus("admin-db", account: AdminConsoleWorld.legacy) == "available")
        let rediscovered = await TwinDiscovery(plan: plan, sessions: Self.sessions(plan, simulator: twin, base: base, clock: fixture.clock))
            .discover()
        #expect(rediscovered.problems.isEmpty, "\(rediscovered.problems)")
        #expect(rediscovered.buckets.map(\.profile?.objects) == inventory.buckets.map(\.profile?.objects))
        #expect(rediscovered.buckets.map(\.profile?.bytes) == inventory.buckets.map(\.profile?.bytes))
        #expect(rediscovered.dbInstances.map(\.engineVersion) == inventory.dbInstances.map(\.engineVersion))
        #expect(rediscovered.dbInstances.map(\.awsManagedKey) == inventory.dbInstances.map(\.awsManagedKey))
        #expect(Set(rediscovered.keys.flatMap(\.aliases)) == Set(inventory.keys.flatMap(\.aliases)))

        // The same run: the unchanged runbook, on each world, to the same end.
        let onOriginal = try await Self.run(plan, fixture: original.fixture, simulator: original.simulator, base: original.base)
        let onTwin = try await Self.run(plan, fixture: fixture, simulator: twin, base: base)
        #expect(onOriginal.end == .finished(.completed))
        #expect(onTwin.end == onOriginal.end)
        #expect(onTwin.steps == onOriginal.steps)
        #expect(twin.dbInstanceStatus("admin-db", account: AdminConsoleWorld.product) == "available")
        #expect(twin.bucket(AdminConsoleWorld.bucket)?.owner == AdminConsoleWorld.product)
    }

    static func run(
        _ plan: RunbookPlan, fixture: EngineFixture, simulator: Simulator, base: StaticCredentialProvider
    ) async throws
        -> (end: EngineDriver.Stop, steps: [String: StepState.Status])
    {
        let sessions = Self.sessions(plan, simulator: simulator, base: base, clock: fixture.clock)
        var registry = StepRegistry()
        let tuning = S3CopyTuning(objectRetries: 8, backoffBase: .milliseconds(2), backoffCap: .milliseconds(20))
        for (type, step) in S3Steps.executors(sessions: sessions, tuning: tuning) { registry.register(type, step) }
        for (type, step) in RDSSteps.executors(sessions: sessions) { registry.register(type, step) }
        fixture.registry = registry
        try fixture.reopen()
        let run = try await fixture.engine.start(
            plan: plan, runbookSource: try AdminConsoleWorld.runbookText(), parameters: [:], initiator: TestPeople.initiator)
        let end = await fixture.driver.drive(run, onIdle: AdminConsoleWorld.approver)
        let steps = await run.snapshot().steps
        return (end, Dictionary(uniqueKeysWithValues: steps.map { ($0.id, $0.status) }))
    }
}
