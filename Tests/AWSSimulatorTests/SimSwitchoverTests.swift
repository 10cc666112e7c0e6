import AWSClient
import AWSServices
import AWSSimulator
import Foundation
import TestSupport
import Testing

/// Issue 20: the switch-over services modelled natively — ELBv2, ECS, Route 53, Secrets Manager,
/// SSM, CloudWatch alarms — read and written with our own typed clients over `Simulator.handle`,
/// with the operator's own names and IDs, and the two behaviours moto cannot give: an ECS rollout
/// over simulated time and a Route 53 change PENDING until it has propagated.
@Suite("SimSwitchover: ELBv2, ECS, Route 53, Secrets Manager, SSM, CloudWatch")
struct SimSwitchoverTests {
    static let legacy = "111111111111"
    static let product = "222222222222"
    static let region = "ap-northeast-1"
    static let zone = "Z0123456789ABCDEFGHIJ"

    struct World {
        let simulator: Simulator
        let clock: VirtualClock
        let legacyKey: SimAccessKey
        let productKey: SimAccessKey

        init() throws {
            clock = VirtualClock()
            simulator = Simulator(configuration: SimConfiguration(region: SimSwitchoverTests.region), clock: clock)
            try simulator.addAccount(id: legacy, name: "legacy")
            try simulator.addAccount(id: product, name: "product")
            legacyKey = try simulator.addUser(account: legacy, name: "alice")
            productKey = try simulator.addUser(account: product, name: "bob")
            let seed = try JSONDecoder().decode(SimSwitchoverSeed.self, from: Data(Self.seed.utf8))
            try simulator.seedSwitchover(seed)
        }

        static let seed = """
            {"loadBalancers": [
               {"account": "111111111111", "name": "legacy-admin-alb", "dnsName": "legacy-admin-alb-1.ap-northeast-1.elb.amazonaws.com",
                "canonicalHostedZoneId": "Z14GRHDCWA56QT",
                "listeners": [{"port": 443, "protocol": "HTTPS",
                  "rules": [{"priority": 10, "conditions": [{"field": "path-pattern", "values": ["/api/*"]}],
                             "actions": [{"type": "forward", "targetGroupArn": "arn:aws:elasticloadbalancing:ap-northeast-1:111111111111:targetgroup/api/1"}],
                             "tags": {"team": "web"}}]}]},
               {"account": "222222222222", "name": "product-admin-alb",
                "arn": "arn:aws:elasticloadbalancing:ap-northeast-1:222222222222:loadbalancer/app/product-admin-alb/50dc6c495c0c9188",
                "dnsName": "product-admin-alb-2.ap-northeast-1.elb.amazonaws.com", "canonicalHostedZoneId": "Z14GRHDCWA56QT"}],
             "ecs": {"clusters": [{"account": "222222222222", "name": "admin-console",
                                   "services": [{"name": "admin-console-web", "taskDefinition": "admin-console-web:1", "desiredCount": 1}]}],
                     "taskDefinitions": [{"account": "222222222222", "family": "admin-console-web", "revisions": [1, 2]}]},
             "hostedZones": [{"account": "222222222222", "id": "Z0123456789ABCDEFGHIJ", "name": "example.com",
                              "records": [{"name": "admin.example.com", "type": "A",
                                           "alias": {"hostedZoneId": "Z14GRHDCWA56QT", "dnsName": "legacy-admin-alb-1.ap-northeast-1.elb.amazonaws.com",
                                                     "evaluateTargetHealth": true}}]}],
             "secrets": [{"account": "222222222222", "name": "admin-console/db", "string": "{\\"host\\":\\"old\\",\\"port\\":\\"3306\\"}",
                          "versionId": "11111111-1111-1111-1111-111111111111"}],
             "parameters": [{"account": "222222222222", "name": "/admin/db-host", "type": "String", "value": "old", "version": 3}],
             "alarms": [{"account": "222222222222", "name": "admin-console-5xx", "state": "OK"}],
             "timings": {"route53Propagation": 60, "ecsTaskStart": 30, "ecsDrain": 30}}
            """

        func client(_ service: AWSService, _ key: SimAccessKey, region: String = SimSwitchoverTests.region) -> AWSClient {
            let clock = clock
            return AWSClient(
                service: service, region: region,
                credentials: StaticCredentialProvider(AWSCredentials(accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey)),
                transport: SimulatorTransport(simulator), retry: .init(maxAttempts: 1), account: key.account, now: { clock.now() },
                sleep: { _ in })
        }
    }

    // MARK: ELBv2

    @Test func elbv2FindsTheBalancerItsListenerAndRulesAndKeepsPrioritiesUnique() async throws {
        let world = try World()
        let elb = ELBv2Client(client: world.client(.elbv2, world.legacyKey))
        let balancer = try #require(try await elb.describeLoadBalancers(names: ["legacy-admin-alb"]).first)
        #expect(balancer.dnsName == "legacy-admin-alb-1.ap-northeast-1.elb.amazonaws.com")
        #expect(balancer.arn.hasPrefix("arn:aws:elasticloadbalancing:ap-northeast-1:111111111111:loadbalancer/app/legacy-admin-alb/"))
        // Another account's balancer is not found by name.
        await #expect { _ = try await elb.describeLoadBalancers(names: ["product-admin-alb"]) } throws: {
            ($0 as? AWSError)?.code == "LoadBalancerNotFound"
        }

        let listener = try #require(try await elb.describeListeners(loadBalancerArn: balancer.arn).first)
        #expect(listener.port == 443 && listener.protocolName == "HTTPS")
        let rules = try await elb.describeRules(listenerArn: listener.arn)
        #expect(rules.map(\.priority) == ["10", "default"])
        #expect(rules.last?.isDefault == true)
        #expect(try await elb.describeTags(resourceArns: [rules[0].arn])[rules[0].arn] == ["team": "web"])

        let page = CreateRuleRequest(
            listenerArn: listener.arn, priority: 1, conditions: [ELBv2RuleCondition(.pathPattern, ["/*"])],
            actions: [
                ELBv2RuleAction(
                    type: "fixed-response",
                    fixedResponse: ELBv2FixedResponse(statusCode: "503", contentType: "text/html", messageBody: "down"))
            ],
            tags: ["cutover:page": "maintenance-on"])
        let created = try await elb.createRule(page).rule
        #expect(created.priority == "1")
        #expect(created.actions.first?.fixedResponse?.statusCode == "503")
        await #expect { _ = try await elb.createRule(page) } throws: { ($0 as? AWSError)?.code == "PriorityInUse" }
        #expect(try await elb.describeRules(listenerArn: listener.arn).map(\.priority) == ["1", "10", "default"])
        #expect(try await elb.describeTags(resourceArns: [created.arn])[created.arn] == ["cutover:page": "maintenance-on"])

        try await elb.deleteRule(ruleArn: created.arn)
        await #expect { try await elb.deleteRule(ruleArn: created.arn) } throws: { ($0 as? AWSError)?.code == "RuleNotFound" }
        await #expect { try await elb.deleteRule(ruleArn: rules[1].arn) } throws: { ($0 as? AWSError)?.code == "OperationNotPermitted" }
        #expect(try await elb.describeRules(listenerArn: listener.arn).map(\.priority) == ["10", "default"])
    }

    @Test func describeLoadBalancersGivesTheCanonicalZoneAStepOutputReads() async throws {
        let world = try World()
        let model = try #require(AWSModelCatalog.shared.service("elbv2"))
        let client = AWSGenericClient(client: world.client(model.clientService, world.productKey), model: model)
        let answer = try await client.call(
            "DescribeLoadBalancers", parameters: .map([(key: "Names", value: .list([.scalar("product-admin-alb")]))]), resource: nil)
        let text = answer.document.json
        #expect(text.contains("\"CanonicalHostedZoneId\":\"Z14GRHDCWA56QT\""))
        #expect(text.contains("\"DNSName\":\"product-admin-alb-2.ap-northeast-1.elb.amazonaws.com\""))
        #expect(text.contains("loadbalancer/app/product-admin-alb/50dc6c495c0c9188"), "the seeded ARN is kept")
    }

    // MARK: ECS

    @Test func anECSDeploymentRollsOutOverSimulatedTime() async throws {
        let world = try World()
        let ecs = ECSClient(client: world.client(.ecs, world.productKey))
        let latest = try await ecs.describeTaskDefinition("admin-console-web")
        #expect(latest.taskDefinitionArn == "arn:aws:ecs:ap-northeast-1:222222222222:task-definition/admin-console-web:2")
        let before = try #require(try await ecs.describeServices(cluster: "admin-console", services: ["admin-console-web"]).services.first)
        #expect(before.deployments.count == 1 && before.runningCount == 1)
        #expect(before.taskDefinition?.hasSuffix("admin-console-web:1") == true)

        let updated = try await ecs.updateService(
            UpdateServiceRequest(
                cluster: "admin-console", service: "admin-console-web", taskDefinition: latest.taskDefinitionArn, desiredCount: 2,
                forceNewDeployment: true)
        ).service
        let primary = try #require(updated.primaryDeployment)
        #expect(primary.taskDefinition == latest.taskDefinitionArn && primary.rolloutState == "IN_PROGRESS" && primary.runningCount == 0)
        #expect(updated.deployments.map(\.status) == ["PRIMARY", "ACTIVE"])
        #expect(updated.runningCount == 1, "the old task keeps serving (minimum healthy 100 %)")

        func look() async throws -> ECSService {
            try #require(try await ecs.describeServices(cluster: "admin-console", services: ["admin-console-web"]).services.first)
        }
        world.clock.advance(by: 31)
        var now = try await look()
        #expect(now.primaryDeployment?.runningCount == 1 && now.runningCount == 2 && now.deployments.count == 2)
        world.clock.advance(by: 30)  // both new tasks run: the old one drains
        now = try await look()
        #expect(now.primaryDeployment?.runningCount == 2 && now.primaryDeployment?.rolloutState == "IN_PROGRESS")
        #expect(now.deployments.last?.runningCount == 0)
        world.clock.advance(by: 30)
        now = try await look()
        #expect(now.deployments.count == 1 && now.primaryDeployment?.rolloutState == "COMPLETED" && now.runningCount == 2)
        #expect(now.events.first?.message == "(service admin-console-web) has reached a steady state.")

        let missing = try await ecs.describeServices(cluster: "admin-console", services: ["nope"])
        #expect(missing.services.isEmpty && missing.failures.first?.reason == "MISSING")
        await #expect { _ = try await ecs.describeServices(cluster: "nope", services: ["x"]) } throws: {
            ($0 as? AWSError)?.code == "ClusterNotFoundException"
        }
        await #expect { _ = try await ecs.describeTaskDefinition("other-family") } throws: { ($0 as? AWSError)?.code == "ClientException" }
    }

    // MARK: Route 53

    @Test func aRoute53ChangeIsPendingUntilItHasPropagated() async throws {
        let world = try World()
        let dns = Route53Client(client: world.client(.route53, world.productKey, region: "us-east-1"))
        let before = try #require(try await dns.recordSet(zone: Self.zone, name: "admin.example.com", type: "A"))
        #expect(before.alias?.dnsName == "legacy-admin-alb-1.ap-northeast-1.elb.amazonaws.com.")

        let product = Route53AliasTarget(
            hostedZoneId: "Z14GRHDCWA56QT", dnsName: "product-admin-alb-2.ap-northeast-1.elb.amazonaws.com", evaluateTargetHealth: true)
        let change = try await dns.changeRecordSet(
            zone: "/hostedzone/\(Self.zone)", action: .upsert, Route53RecordSet(name: "admin.example.com", type: "A", alias: product),
            comment: "switch")
        #expect(change.status == "PENDING")
        world.clock.advance(by: 30)
        #expect(try await dns.getChange(change.id).status == "PENDING")
        world.clock.advance(by: 31)
        #expect(try await dns.getChange(change.id).status == "INSYNC")
        #expect(
            try await dns.recordSet(zone: Self.zone, name: "admin.example.com.", type: "A")?.alias?.dnsName
                == "product-admin-alb-2.ap-northeast-1.elb.amazonaws.com.")

        // CREATE of an existing record, DELETE with other values, an alias to no load balancer: refused, nothing changed.
        await #expect {
            _ = try await dns.changeRecordSet(
                zone: Self.zone, action: .create, Route53RecordSet(name: "admin.example.com", type: "A", alias: product))
        } throws: {
            ($0 as? AWSError)?.code == "InvalidChangeBatch"
        }
        await #expect {
            _ = try await dns.changeRecordSet(
                zone: Self.zone, action: .delete, Route53RecordSet(name: "admin.example.com", type: "A", ttl: 60, values: ["10.0.0.1"]))
        } throws: {
            ($0 as? AWSError)?.code == "InvalidChangeBatch"
        }
        let nowhere = Route53AliasTarget(
            hostedZoneId: "Z14GRHDCWA56QT", dnsName: "gone.ap-northeast-1.elb.amazonaws.com", evaluateTargetHealth: false)
        await #expect {
            _ = try await dns.changeRecordSet(
                zone: Self.zone, action: .upsert, Route53RecordSet(name: "admin.example.com", type: "A", alias: nowhere))
        } throws: {
            ($0 as? AWSError)?.code == "InvalidChangeBatch"
        }
        _ = try await dns.changeRecordSet(
            zone: Self.zone, action: .delete, Route53RecordSet(name: "admin.example.com", type: "A", alias: product))
        #expect(try await dns.recordSet(zone: Self.zone, name: "admin.example.com", type: "A") == nil)
        await #expect { _ = try await dns.getChange("CNOSUCHCHANGE") } throws: { ($0 as? AWSError)?.code == "NoSuchChange" }
        let other = Route53Client(client: world.client(.route53, world.legacyKey, region: "us-east-1"))
        await #expect { _ = try await other.recordSet(zone: Self.zone, name: "admin.example.com", type: "A") } throws: {
            ($0 as? AWSError)?.code == "NoSuchHostedZone"
        }
    }

    // MARK: Secrets Manager

    @Test func putSecretValueMovesTheStagesAndATokenIsIdempotent() async throws {
        let world = try World()
        let sm = SecretsManagerClient(client: world.client(.secretsManager, world.productKey))
        let first = "11111111-1111-1111-1111-111111111111"
        let token = String(repeating: "a", count: 64)
        let before = try await sm.describeSecret("admin-console/db")
        #expect(before.versionStages == [first: ["AWSCURRENT"]])
        #expect(before.arn?.hasPrefix("arn:aws:secretsmanager:ap-northeast-1:222222222222:secret:admin-console/db-") == true)

        let written = try await sm.putSecretValue("admin-console/db", string: #"{"host":"new","port":"3306"}"#, token: token)
        #expect(written.versionId == token && written.versionStages == ["AWSCURRENT"])
        #expect(try await sm.describeSecret("admin-console/db").versionStages == [first: ["AWSPREVIOUS"], token: ["AWSCURRENT"]])
        #expect(try await sm.getSecretValue("admin-console/db").string == #"{"host":"new","port":"3306"}"#)
        #expect(try await sm.getSecretValue("admin-console/db", stage: "AWSPREVIOUS").versionId == first)

        // The same token again: no new version; with another value: refused.
        _ = try await sm.putSecretValue("admin-console/db", string: #"{"host":"new","port":"3306"}"#, token: token)
        #expect(try await sm.describeSecret("admin-console/db").versionStages.count == 2)
        await #expect { _ = try await sm.putSecretValue("admin-console/db", string: "other", token: token) } throws: {
            ($0 as? AWSError)?.code == "ResourceExistsException"
        }

        // Undo as the step does it: AWSCURRENT back, AWSPREVIOUS follows.
        try await sm.updateSecretVersionStage("admin-console/db", stage: "AWSCURRENT", moveTo: first, removeFrom: token)
        #expect(try await sm.describeSecret("admin-console/db").versionStages == [first: ["AWSCURRENT"], token: ["AWSPREVIOUS"]])
        await #expect {
            try await sm.updateSecretVersionStage("admin-console/db", stage: "AWSCURRENT", moveTo: token, removeFrom: nil)
        } throws: {
            ($0 as? AWSError)?.code == "InvalidParameterException"
        }
        await #expect { _ = try await sm.describeSecret("nope") } throws: { ($0 as? AWSError)?.code == "ResourceNotFoundException" }
        let log = world.simulator.requestLog.filter { $0.service == "secretsmanager" }
        #expect(
            !log.isEmpty && log.allSatisfy { $0.resource == "admin-console/db" || $0.resource == "nope" },
            "the log names the secret, never its value")
    }

    // MARK: SSM, CloudWatch

    @Test func ssmParametersGainAVersionPerWrite() async throws {
        let world = try World()
        let ssm = SSMClient(client: world.client(.ssm, world.productKey))
        let write = try await ssm.putParameter("/admin/db-host", value: "new", type: .string)
        #expect(write.version == 4)
        let history = try await ssm.parameterHistory("/admin/db-host", withDecryption: true)
        #expect(history.map(\.version) == [1, 2, 3, 4] && history.last?.value == "new")
        let created = try await ssm.putParameter("/admin/fresh", value: "x", type: .string)
        #expect(created.version == 1)
        try await ssm.deleteParameter("/admin/fresh")
        await #expect { _ = try await ssm.parameterHistory("/admin/fresh", withDecryption: false) } throws: {
            ($0 as? AWSError)?.code == "ParameterNotFound"
        }
        // Without Overwrite an existing name is refused.
        await #expect {
            _ = try await world.client(.ssm, world.productKey).json(
                operation: "PutParameter", input: ["Name": "/admin/db-host", "Value": "v", "Type": "String"], resource: nil)
        } throws: { ($0 as? AWSError)?.code == "ParameterAlreadyExists" }
    }

    @Test func theGuardReadsAlarmStates() async throws {
        let world = try World()
        let model = try #require(AWSModelCatalog.shared.service("cloudwatch"))
        let client = AWSGenericClient(client: world.client(model.clientService, world.productKey), model: model)
        func states() async throws -> String {
            try await client.call(
                "DescribeAlarms",
                parameters: .map([
                    (key: "AlarmNames", value: .list([.scalar("admin-console-5xx"), .scalar("missing")])),
                    (key: "AlarmTypes", value: .list([.scalar("MetricAlarm"), .scalar("CompositeAlarm")])),
                ]), resource: nil
            ).document.json
        }
        #expect(try await states().contains("\"StateValue\":\"OK\""))
        world.simulator.setAlarmState(account: Self.product, name: "admin-console-5xx", state: "ALARM")
        let text = try await states()
        #expect(text.contains("\"StateValue\":\"ALARM\"") && !text.contains("missing"))
    }
}
