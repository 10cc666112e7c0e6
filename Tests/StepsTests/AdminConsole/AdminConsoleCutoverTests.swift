import AWSServices
import AWSSimulator
import Engine
import Foundation
import Runbook
import Steps
import Synchronization
import TestSupport
import Testing

/// Issue 18: `Runbooks/admin-console-cutover.yaml`, the whole cutover, through the real engine on
/// the virtual clock — the moves against the in-process simulator, the switch-over (ELBv2, ECS,
/// Route 53, Secrets Manager, CloudWatch) in a private moto server the simulator forwards to, the
/// health URL a real local HTTP server. It completes with everything switched, and a rollback from
/// each phase leaves the switch-over as it found it: before the point of no return (page up,
/// moves under way), after the secret and the service were changed (the DNS step fails), and after
/// the DNS switch (the health check fails).
@Suite(.serialized) struct AdminConsoleCutoverTests {
    static let runbookURL = AdminConsoleWorld.runbookURL.deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("admin-console-cutover.yaml")

    /// One run's world: the simulator forwarding to its own moto.
    struct Cutover {
        let moto: SwitchoverMotoWorld
        let world: AdminConsoleWorld
        let plan: RunbookPlan
        let run: RunExecutor

        var sessions: RunbookAccountSessions { world.sessions(plan) }

        /// Fixed-response rules on the legacy listener (the maintenance page).
        func maintenanceRules() async throws -> [ELBv2Rule] {
            try await sessions.elbv2("legacy").describeRules(listenerArn: moto.summary.legacyListenerArn)
                .filter { rule in !rule.isDefault && rule.actions.contains { $0.type == "fixed-response" } }
        }

        /// The secret's AWSCURRENT version and the host it holds.
        func secret() async throws -> (version: String?, host: String?) {
            let client = try await sessions.secretsManager("product")
            let described = try await client.describeSecret("admin-console/db")
            let current = described.versionStages.first { $0.value.contains("AWSCURRENT") }?.key
            let value = try await client.getSecretValue("admin-console/db")
            let object = value.string.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            return (current, object?["host"] as? String)
        }

        func service() async throws -> ECSService? {
            try await sessions.ecs("product").describeServices(cluster: "admin-console", services: ["admin-console-web"]).services.first
        }

        /// Where admin.example.com's alias points.
        func recordTarget() async throws -> String? {
            try await sessions.route53("product").recordSet(zone: moto.summary.hostedZoneId, name: "admin.example.com", type: "A")?
                .alias?.dnsName.trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }

        /// The switch-over as the world was seeded: the seeded secret version, the service on
        /// revision 1 with no tasks, DNS at the legacy load balancer; and the page down, or still
        /// up (`pageUp`) when the rollback stopped at the moves' last irreversible step.
        func expectSwitchoverUntouched(_ context: String, pageUp: Bool = false) async throws {
            let rules = try await maintenanceRules()
            #expect(rules.count == (pageUp ? 1 : 0), "\(context): \(rules.count) maintenance rules")
            let secret = try await secret()
            #expect(secret.version == moto.summary.secretVersionId, "\(context): AWSCURRENT is \(secret.version ?? "none")")
            #expect(secret.host == "admin-db.legacy.internal", "\(context)")
            let service = try await service()
            #expect(
                service?.taskDefinition == moto.summary.taskDefinitions[0] && service?.desiredCount == 0,
                "\(context): \(String(describing: service))")
            #expect(try await recordTarget() == moto.summary.legacyAlbDNSName, "\(context)")
        }

        func status(_ id: String) async -> StepState.Status? { await run.snapshot().steps.first { $0.id == id }?.status }
    }

    static func start(
        hostedZoneId: String? = nil, healthURL: KeyPath<SwitchoverMotoWorld.Summary, String> = \.healthURL
    ) async throws -> Cutover {
        let moto = try await SwitchoverMotoWorld()
        let world = try AdminConsoleWorld(forwarding: SimForwarding(port: moto.summary.port))
        let text = try String(contentsOf: runbookURL, encoding: .utf8)
        let runbook = try RunbookLoader(catalog: StepLibrary.catalog).load(text: text, file: "admin-console-cutover.yaml")
        var parameters = AdminConsoleWorld.windowParameters
        parameters["hostedZoneId"] = hostedZoneId ?? moto.summary.hostedZoneId
        parameters["healthURL"] = moto.summary[keyPath: healthURL]
        let plan = try RunbookPlanner(catalog: StepLibrary.catalog).plan(runbook, parameters: parameters)
        let run = try await world.start(plan, source: text)
        return Cutover(moto: moto, world: world, plan: plan, run: run)
    }

    /// Approves what waits; when `rollbackWhen` first holds, rolls the run back instead (undo
    /// gates are approved afterwards too). A rollback that pauses on a blocked undo (a snapshot
    /// still `creating` cannot be deleted yet) is retried a minute later, as an operator would.
    static func drive(
        _ cutover: Cutover, rollbackWhen: @escaping @Sendable (RunSnapshot) async -> Bool = { _ in false }
    ) async -> EngineDriver.Stop {
        let rolledBack = Mutex(false)
        let retries = Mutex(0)
        let clock = cutover.world.fixture.clock
        return await cutover.world.fixture.driver.drive(cutover.run) { run in
            let snapshot = await run.snapshot()
            if !rolledBack.withLock({ $0 }), await rollbackWhen(snapshot) {
                rolledBack.withLock { $0 = true }
                return (try? await run.rollback(by: TestPeople.alice, comment: "test: roll back from here")) != nil
            }
            if await AdminConsoleWorld.approver(run) { return true }
            guard rolledBack.withLock({ $0 }), snapshot.reason.contains("rollback blocked"), retries.withLock({ $0 < 30 }) else {
                return false
            }
            retries.withLock { $0 += 1 }
            clock.advance(by: 60)
            return (try? await run.retry(by: TestPeople.alice, comment: "test: retry the rollback")) != nil
        }
    }

    @Test func theWholeCutoverCompletesWithEverythingSwitched() async throws {
        let cutover = try await Self.start()
        defer { cutover.moto.stop() }
        let stop = await Self.drive(cutover)
        let reason = await cutover.run.snapshot().reason
        #expect(stop == .finished(.completed), "\(reason)")

        let endpoint = try #require(await cutover.run.state.steps["move-db.verify"]?.outputs["endpoint"])
        #expect(try await cutover.maintenanceRules().isEmpty, "maintenance-off removed the page")
        let secret = try await cutover.secret()
        #expect(secret.version != cutover.moto.summary.secretVersionId && secret.host == endpoint)
        let service = try await cutover.service()
        #expect(service?.taskDefinition == cutover.moto.summary.taskDefinitions[1] && service?.desiredCount == 2)
        #expect(try await cutover.recordTarget() == cutover.moto.summary.productAlbDNSName)
        // The page went up once and came down once; the guard read the alarm before the steps.
        let forwarded = cutover.world.simulator.requests { $0.service == "elasticloadbalancing" && $0.status == 200 }
        #expect(forwarded.filter { $0.operation == "CreateRule" }.count == 1)
        #expect(forwarded.filter { $0.operation == "DeleteRule" }.count == 1)
        #expect(!cutover.world.requests("DescribeAlarms").isEmpty)
    }

    @Test func aRollbackBeforeThePointOfNoReturnTakesThePageDownAndLeavesTheRestAsItWas() async throws {
        let cutover = try await Self.start()
        defer { cutover.moto.stop() }
        let pageWasUp = Mutex(false)
        let stop = await Self.drive(cutover) { snapshot in
            guard snapshot.steps.contains(where: { $0.id == "move-images.empty-source" && $0.status == .awaitingApproval }) else {
                return false
            }
            pageWasUp.withLock { $0 = true }
            return true
        }
        #expect(pageWasUp.withLock { $0 }, "the run never reached the point of no return")
        let reason = await cutover.run.snapshot().reason
        #expect(stop == .finished(.rolledBack), "\(reason)")
        try await cutover.expectSwitchoverUntouched("rollback before the point of no return")
        #expect(cutover.world.simulator.requests { $0.operation == "CreateRule" && $0.status == 200 }.count == 1, "the page was put up")
        let legacy = try await cutover.sessions.s3("legacy").listAllObjects(bucket: AdminConsoleWorld.bucket)
        #expect(legacy.count == AdminConsoleWorld.objectCount, "the legacy bucket keeps its objects")
    }

    @Test func aRollbackAfterTheSecretAndServiceChangedPutsThemBack() async throws {
        // A hosted zone that does not exist: switch-dns fails after db-secret and redeploy.
        let cutover = try await Self.start(hostedZoneId: "Z0000000000000NOSUCHZONE")
        defer { cutover.moto.stop() }
        let changed = Mutex<(String?, String?)>((nil, nil))
        let stop = await Self.drive(cutover) { snapshot in
            guard snapshot.status == .paused || snapshot.steps.contains(where: { $0.id.hasPrefix("switch-dns") && $0.status == .failed })
            else { return false }
            let secret = try? await cutover.secret()
            let service = try? await cutover.service()
            changed.withLock { $0 = (secret?.host, service?.taskDefinition) }
            return true
        }
        let before = changed.withLock { $0 }
        #expect(before.0 != nil && before.0 != "admin-db.legacy.internal", "db-secret had changed the host before the rollback")
        #expect(before.1 == cutover.moto.summary.taskDefinitions[1], "redeploy had run revision 2 before the rollback")
        let secretStep = await cutover.status("db-secret")
        let updateStep = await cutover.status("redeploy.update")
        #expect(
            secretStep != .succeeded && updateStep != .succeeded,
            "undone: db-secret \(String(describing: secretStep)), redeploy.update \(String(describing: updateStep)); stop \(stop)")
        // The moves finished (remove-staging is irreversible, the rollback's barrier): the page
        // put up before them stays up, for the operator to decide what comes next.
        #expect(stop == .finished(.rolledBack), "\(stop)")
        try await cutover.expectSwitchoverUntouched("rollback after the secret and the service changed", pageUp: true)
    }

    @Test func aRollbackAfterTheDNSSwitchWhenTheHealthCheckFailsPointsDNSBack() async throws {
        let cutover = try await Self.start(healthURL: \.unhealthyURL)
        defer { cutover.moto.stop() }
        let switched = Mutex<String?>(nil)
        let stop = await Self.drive(cutover) { snapshot in
            guard snapshot.status == .paused || snapshot.steps.contains(where: { $0.id == "health" && $0.status == .failed }) else {
                return false
            }
            let target = try? await cutover.recordTarget()
            switched.withLock { $0 = target }
            return true
        }
        let dnsStep = await cutover.status("switch-dns.upsert")
        #expect(dnsStep != .succeeded, "undone: switch-dns.upsert \(String(describing: dnsStep)); stop \(stop)")
        #expect(switched.withLock { $0 } == cutover.moto.summary.productAlbDNSName, "DNS pointed at the product ALB before the rollback")
        #expect(stop == .finished(.rolledBack), "\(stop)")
        try await cutover.expectSwitchoverUntouched("rollback after the DNS switch", pageUp: true)
    }
}
