import AWSClient
import AWSSimulator
import Engine
import Foundation
import Rehearsal
import Runbook
import Steps
import TestSupport
import Testing

/// Issue 20, the switch-over part: discovery of the whole cutover (`Runbooks/admin-console-cutover.yaml`)
/// also reads the load balancers, the ECS service and its task definitions, the hosted zone's
/// record, the secret (never its value) and the guard's alarm — still only with reads — and the
/// twin it writes keeps their names, ARNs and IDs, so the unchanged runbook with the same
/// parameters runs on the twin to the same end as on the original world (world A by hand →
/// discover → world B from the twin file alone).
@Suite struct TwinSwitchoverTests {
    static let runbookURL = AdminConsoleWorld.runbookURL.deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("admin-console-cutover.yaml")
    static let zone = "Z0123456789ABCDEFGHIJ"
    static let password = "s3cr3t-Pa55word-never-copied"

    /// The switch-over half of world A, seeded by hand with real-looking names and IDs.
    static let seed = """
        {"loadBalancers": [
           {"account": "111111111111", "name": "legacy-admin-alb",
            "arn": "arn:aws:elasticloadbalancing:ap-northeast-1:111111111111:loadbalancer/app/legacy-admin-alb/0123456789abcdef",
            "dnsName": "legacy-admin-alb-1234567890.ap-northeast-1.elb.amazonaws.com", "canonicalHostedZoneId": "Z14GRHDCWA56QT",
            "listeners": [{"port": 443, "protocol": "HTTPS",
              "arn": "arn:aws:elasticloadbalancing:ap-northeast-1:111111111111:listener/app/legacy-admin-alb/0123456789abcdef/aaaabbbbccccdddd",
              "rules": [{"priority": 10, "conditions": [{"field": "path-pattern", "values": ["/static/*"]}],
                         "actions": [{"type": "forward", "targetGroupArn": "arn:aws:elasticloadbalancing:ap-northeast-1:111111111111:targetgroup/static/1"}]}]}]},
           {"account": "222222222222", "name": "product-admin-alb",
            "dnsName": "product-admin-alb-987654321.ap-northeast-1.elb.amazonaws.com", "canonicalHostedZoneId": "Z14GRHDCWA56QT",
            "listeners": [{"port": 443}]}],
         "ecs": {"clusters": [{"account": "222222222222", "name": "admin-console",
                               "services": [{"name": "admin-console-web", "taskDefinition": "admin-console-web:6", "desiredCount": 0}]}],
                 "taskDefinitions": [{"account": "222222222222", "family": "admin-console-web", "revisions": [6, 7]}]},
         "hostedZones": [{"account": "222222222222", "id": "Z0123456789ABCDEFGHIJ", "name": "example.com",
                          "records": [{"name": "example.com", "type": "SOA", "ttl": 900,
                                       "values": ["ns-1.awsdns-1.org. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400"]},
                                      {"name": "admin.example.com", "type": "A",
                                       "alias": {"hostedZoneId": "Z14GRHDCWA56QT", "dnsName": "legacy-admin-alb-1234567890.ap-northeast-1.elb.amazonaws.com",
                                                 "evaluateTargetHealth": true}}]}],
         "secrets": [{"account": "222222222222", "name": "admin-console/db",
                      "arn": "arn:aws:secretsmanager:ap-northeast-1:222222222222:secret:admin-console/db-AbCdEf",
                      "string": "{\\"host\\":\\"admin-db.legacy.internal\\",\\"port\\":3306,\\"password\\":\\"\(password)\\"}"}],
         "alarms": [{"account": "222222222222", "name": "admin-console-5xx", "state": "OK"}]}
        """

    static func plan() throws -> RunbookPlan {
        let runbook = try RunbookLoader(catalog: StepLibrary.catalog).load(
            text: try String(contentsOf: runbookURL, encoding: .utf8), file: "admin-console-cutover.yaml")
        var parameters = AdminConsoleWorld.windowParameters
        parameters["hostedZoneId"] = zone
        return try RunbookPlanner(catalog: StepLibrary.catalog).plan(runbook, parameters: parameters)
    }

    @Test func theWholeCutoverIsDiscoveredReadOnlyAndRunsOnItsTwinToTheSameEnd() async throws {
        let plan = try Self.plan()
        let original = try AdminConsoleWorld()
        try original.simulator.seedSwitchover(try JSONDecoder().decode(SimSwitchoverSeed.self, from: Data(Self.seed.utf8)))

        // Discovery: reads only, everything found.
        let before = original.simulator.requestLog.last?.sequence ?? 0
        let inventory = await TwinDiscovery(
            plan: plan,
            sessions: TwinDiscoveryTests.sessions(plan, simulator: original.simulator, base: original.base, clock: original.fixture.clock)
        ).discover()
        let made = original.simulator.requestLog.filter { $0.sequence > before }
        let writes = made.filter { !TwinDiscovery.readOperations.contains($0.operation) || $0.mutated }
        #expect(writes.isEmpty, "discovery made calls that are not reads: \(Set(writes.map(\.operation)))")
        for service in ["elasticloadbalancing", "ecs", "route53", "secretsmanager", "monitoring"] {
            #expect(made.contains { $0.service == service }, "discovery never asked \(service)")
        }
        #expect(!made.contains { $0.operation == "GetSecretValue" }, "discovery must not read the secret's value")
        #expect(inventory.problems.isEmpty, "\(inventory.problems)")
        let found = try #require(inventory.switchover)
        #expect(found.loadBalancers.map(\.name) == ["legacy-admin-alb", "product-admin-alb"] && found.loadBalancers.allSatisfy(\.exists))
        #expect(found.loadBalancers[0].listeners.first?.rules.map(\.priority) == [10])
        #expect(found.services.first?.taskDefinition == "arn:aws:ecs:ap-northeast-1:222222222222:task-definition/admin-console-web:6")
        #expect(found.taskDefinitions.first?.revisions == [6, 7])
        #expect(found.zones.first?.name == "example.com." && found.zones.first?.records.map(\.type).sorted() == ["A", "SOA"])
        #expect(found.secrets.first?.keys == ["host", "port"])
        #expect(found.alarms.first?.state == "OK")
        #expect(found.httpChecks == ["https://admin.example.com/health"])
        let summary = RehearsalSummary(inventory: inventory).text
        #expect(summary.contains("secret admin-console/db in product: described only (value not read)"), "\(summary)")
        #expect(summary.contains("hosted zone Z0123456789ABCDEFGHIJ (example.com.) in product"), "\(summary)")

        let json = try TwinWorld(inventory).json()
        let text = String(decoding: json, as: UTF8.self)
        #expect(!text.contains(Self.password) && !text.contains("admin-db.legacy.internal"), "a secret value leaked into the twin")

        // World B from the twin file alone: the same resources, the same IDs.
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
        let rediscovered = await TwinDiscovery(
            plan: plan, sessions: TwinDiscoveryTests.sessions(plan, simulator: twin, base: base, clock: fixture.clock)
        )
        .discover()
        #expect(rediscovered.problems.isEmpty, "\(rediscovered.problems)")
        #expect(rediscovered.switchover == inventory.switchover)

        // The same preflight findings on both.
        let preflightA = await S3Preflight(sessions: original.sessions(plan), now: { original.fixture.clock.now() }).run(plan)
        let preflightB = await S3Preflight(
            sessions: TwinDiscoveryTests.sessions(plan, simulator: twin, base: base, clock: fixture.clock), now: { fixture.clock.now() }
        )
        .run(plan)
        #expect(preflightA == preflightB)

        // The same run: the unchanged runbook, on each world, to the same end.
        let onOriginal = try await Self.run(plan, fixture: original.fixture, simulator: original.simulator, base: original.base)
        let onTwin = try await Self.run(plan, fixture: fixture, simulator: twin, base: base)
        #expect(onOriginal.end == .finished(.completed), "\(onOriginal.reason)")
        #expect(onTwin.end == onOriginal.end, "\(onTwin.reason)")
        #expect(onTwin.steps == onOriginal.steps)
        for world in [original.simulator, twin] {
            #expect(world.requests { $0.operation == "CreateRule" && $0.status == 200 }.count == 1)
            #expect(world.requests { $0.operation == "DeleteRule" && $0.status == 200 }.count == 1)
            #expect(world.requests { $0.operation == "GetChange" && $0.status == 200 }.count >= 2, "the DNS step waited for INSYNC")
            #expect(world.requests { $0.operation == "DescribeServices" }.count >= 3, "the redeploy waited for the rollout")
        }
    }

    static func run(
        _ plan: RunbookPlan, fixture: EngineFixture, simulator: Simulator, base: StaticCredentialProvider
    ) async throws
        -> (end: EngineDriver.Stop, steps: [String: StepState.Status], reason: String)
    {
        let sessions = TwinDiscoveryTests.sessions(plan, simulator: simulator, base: base, clock: fixture.clock)
        // Every step type as a rehearsal's daemon has them (http.check answered by its stand-in).
        var registry = StepLibrary.rehearsalRegistry(sessions: sessions, plan: plan)
        let tuning = S3CopyTuning(objectRetries: 8, backoffBase: .milliseconds(2), backoffCap: .milliseconds(20))
        for (type, step) in S3Steps.executors(sessions: sessions, tuning: tuning) { registry.register(type, step) }
        fixture.registry = registry
        try fixture.reopen()
        let run = try await fixture.engine.start(
            plan: plan, runbookSource: try String(contentsOf: runbookURL, encoding: .utf8), parameters: [:], initiator: TestPeople.initiator
        )
        let end = await fixture.driver.drive(run, onIdle: AdminConsoleWorld.approver)
        let snapshot = await run.snapshot()
        return (end, Dictionary(uniqueKeysWithValues: snapshot.steps.map { ($0.id, $0.status) }), snapshot.reason)
    }
}
