import Foundation

/// The `switchover` section of a world seed (`SimWorldSeed`): the switch-over resources with the
/// operator's own names, ARNs and IDs, so a rehearsal's twin answers as the real accounts do.
///
/// ```json
/// "switchover": {
///   "loadBalancers": [{"account": "222222222222", "name": "product-admin-alb",
///     "dnsName": "product-admin-alb-1.ap-northeast-1.elb.amazonaws.com", "canonicalHostedZoneId": "Z14GRHDCWA56QT",
///     "listeners": [{"port": 443, "protocol": "HTTPS",
///                    "rules": [{"priority": 10, "conditions": [{"field": "path-pattern", "values": ["/api/*"]}],
///                               "actions": [{"type": "forward", "targetGroupArn": "arn:…"}]}]}]}],
///   "ecs": {"clusters": [{"account": "222222222222", "name": "admin-console",
///                         "services": [{"name": "admin-console-web", "taskDefinition": "admin-console-web:7", "desiredCount": 2}]}],
///           "taskDefinitions": [{"account": "222222222222", "family": "admin-console-web", "revisions": [7]}]},
///   "hostedZones": [{"account": "222222222222", "id": "Z0123456789ABCDEFGHIJ", "name": "example.com.",
///                    "records": [{"name": "admin.example.com.", "type": "A", "alias": {…}}]}],
///   "secrets": [{"account": "222222222222", "name": "admin-console/db", "string": "{\"host\":\"…\"}"}],
///   "parameters": [{"account": "222222222222", "name": "/admin/db-host", "type": "String", "value": "…"}],
///   "alarms": [{"account": "222222222222", "name": "admin-console-5xx", "state": "OK"}],
///   "timings": {"route53Propagation": 60, "ecsTaskStart": 30, "ecsDrain": 30}}
/// ```
/// ARNs and IDs not given are made up in AWS's formats; the region is the simulator's.
public struct SimSwitchoverSeed: Sendable, Codable {
    public struct LoadBalancer: Sendable, Codable {
        public struct Listener: Sendable, Codable {
            public struct Rule: Sendable, Codable {
                public var arn: String?
                public var priority: Int
                public var conditions: [SimRuleCondition]
                public var actions: [SimRuleAction]
                public var tags: [String: String]?
            }
            public var arn: String?
            public var port: Int
            public var `protocol`: String?
            public var defaultAction: SimRuleAction?
            public var rules: [Rule]?
        }
        public var account: String
        public var name: String
        public var arn: String?
        public var dnsName: String?
        public var canonicalHostedZoneId: String?
        public var type: String?
        public var scheme: String?
        public var listeners: [Listener]?
        public var tags: [String: String]?
    }

    public struct ECS: Sendable, Codable {
        public struct Cluster: Sendable, Codable {
            public struct Service: Sendable, Codable {
                public var name: String
                public var taskDefinition: String
                public var desiredCount: Int
                public var launchType: String?
            }
            public var account: String
            public var name: String
            public var services: [Service]?
        }
        public struct TaskDefinitions: Sendable, Codable {
            public var account: String
            public var family: String
            public var revisions: [Int]
            /// Revisions that are INACTIVE (deregistered).
            public var inactive: [Int]?
        }
        public var clusters: [Cluster]?
        public var taskDefinitions: [TaskDefinitions]?
    }

    public struct HostedZone: Sendable, Codable {
        public var account: String
        public var id: String
        public var name: String
        public var privateZone: Bool?
        public var records: [SimRecordSet]?
    }

    public struct Secret: Sendable, Codable {
        public var account: String
        public var name: String
        public var arn: String?
        public var description: String?
        public var kmsKeyId: String?
        /// The AWSCURRENT value.
        public var string: String
        public var versionId: String?
    }

    public struct Parameter: Sendable, Codable {
        public var account: String
        public var name: String
        public var type: String?
        public var value: String
        /// Its version number now (earlier versions are filled with the same value).
        public var version: Int?
    }

    public struct Alarm: Sendable, Codable {
        public var account: String
        public var name: String
        public var type: String?
        public var state: String?
        public var reason: String?
    }

    public var loadBalancers: [LoadBalancer]?
    public var ecs: ECS?
    public var hostedZones: [HostedZone]?
    public var secrets: [Secret]?
    public var parameters: [Parameter]?
    public var alarms: [Alarm]?
    public var timings: SwitchoverTimings?

    public init() {}

    /// Adds every resource to `state`; a name given twice in one account is `ValidationError`.
    func apply(to state: inout SwitchoverState, region: String, now: Date) throws(SimError) -> [String] {
        var applied: [String] = []
        if let timings { state.timings = timings }
        for seed in loadBalancers ?? [] {
            guard !state.loadBalancers.contains(where: { $0.account == seed.account && $0.name == seed.name }) else {
                throw SimError("DuplicateLoadBalancerName", "load balancer \(seed.name) is seeded twice in \(seed.account)", status: 400)
            }
            let type = seed.type ?? "application"
            let short = type == "network" ? "net" : "app"
            let arn =
                seed.arn ?? "arn:aws:elasticloadbalancing:\(region):\(seed.account):loadbalancer/\(short)/\(seed.name)/\(state.hexID(16))"
            let lbId = arn.split(separator: "/").suffix(3).joined(separator: "/")
            var listeners: [SimListener] = []
            for listener in seed.listeners ?? [] {
                let listenerArn =
                    listener.arn ?? "arn:aws:elasticloadbalancing:\(region):\(seed.account):listener/\(lbId)/\(state.hexID(16))"
                let suffix = listenerArn.components(separatedBy: ":listener/").last ?? lbId
                var rules: [SimRule] = []
                for rule in listener.rules ?? [] {
                    guard (1...50_000).contains(rule.priority), !rules.contains(where: { $0.priority == rule.priority }) else {
                        throw SimError(
                            "PriorityInUse", "rule priority \(rule.priority) on \(listenerArn) is out of range or seeded twice", status: 400
                        )
                    }
                    rules.append(
                        SimRule(
                            arn: rule.arn
                                ?? "arn:aws:elasticloadbalancing:\(region):\(seed.account):listener-rule/\(suffix)/\(state.hexID(16))",
                            priority: rule.priority, conditions: rule.conditions, actions: rule.actions, tags: rule.tags ?? [:]))
                }
                listeners.append(
                    SimListener(
                        arn: listenerArn, port: listener.port, protocolName: listener.protocol ?? (listener.port == 443 ? "HTTPS" : "HTTP"),
                        defaultAction: listener.defaultAction
                            ?? SimRuleAction(type: "fixed-response", statusCode: "404", contentType: "text/plain"),
                        rules: rules))
            }
            state.loadBalancers.append(
                SimLoadBalancer(
                    account: seed.account, name: seed.name, arn: arn,
                    dnsName: seed.dnsName ?? "\(seed.name)-\(state.hexID(10)).\(region).elb.amazonaws.com",
                    canonicalHostedZoneId: seed.canonicalHostedZoneId ?? "Z14GRHDCWA56QT", type: type,
                    scheme: seed.scheme ?? "internet-facing",
                    createdTime: now, listeners: listeners, tags: seed.tags ?? [:]))
            applied.append(arn)
        }
        for seed in ecs?.taskDefinitions ?? [] {
            for revision in seed.revisions.sorted() {
                state.taskDefinitions.append(
                    SimTaskDefinition(
                        account: seed.account, region: region, family: seed.family, revision: revision,
                        status: (seed.inactive ?? []).contains(revision) ? "INACTIVE" : "ACTIVE", registeredAt: now))
            }
        }
        for seed in ecs?.clusters ?? [] {
            var cluster = SimECSCluster(account: seed.account, region: region, name: seed.name, services: [])
            for service in seed.services ?? [] {
                let definition = try ECSSimService.taskDefinition(service.taskDefinition, account: seed.account, region: region, state)
                let id = "ecs-svc/" + String(1_000_000_000_000_000_000 + state.nextSerial() * 7_919)
                cluster.services.append(
                    SimECSService(
                        name: service.name, arn: "arn:aws:ecs:\(region):\(seed.account):service/\(seed.name)/\(service.name)",
                        desiredCount: service.desiredCount, taskDefinition: definition.arn, launchType: service.launchType ?? "FARGATE",
                        createdAt: now,
                        deployments: [
                            SimECSDeployment(
                                id: id, taskDefinition: definition.arn, desiredCount: service.desiredCount,
                                runningAtStart: service.desiredCount,
                                createdAt: now, rampFrom: now)
                        ],
                        events: []))
                applied.append(cluster.services.last!.arn)
            }
            state.clusters.append(cluster)
        }
        for seed in hostedZones ?? [] {
            let name = Route53SimService.canonical(seed.name)
            state.hostedZones.append(
                SimHostedZone(
                    account: seed.account, id: seed.id, name: name, privateZone: seed.privateZone ?? false,
                    records: (seed.records ?? []).map { r in
                        var r = r
                        r.name = Route53SimService.canonical(r.name)
                        r.type = r.type.uppercased()
                        if var alias = r.alias {
                            alias.dnsName = Route53SimService.canonical(alias.dnsName)
                            r.alias = alias
                        }
                        return r
                    }))
            applied.append("hostedzone/\(seed.id)")
        }
        for seed in secrets ?? [] {
            let arn = seed.arn ?? "arn:aws:secretsmanager:\(region):\(seed.account):secret:\(seed.name)-\(state.hexID(6))"
            state.secrets.append(
                SimSecret(
                    account: seed.account, name: seed.name, arn: arn, description: seed.description, kmsKeyId: seed.kmsKeyId,
                    createdAt: now,
                    lastChangedAt: now,
                    versions: [
                        .init(
                            id: seed.versionId ?? UUIDText.make(state.nextSerial()), string: seed.string, stages: ["AWSCURRENT"],
                            createdAt: now)
                    ]))
            applied.append(arn)
        }
        for seed in parameters ?? [] {
            let count = max(1, seed.version ?? 1)
            state.parameters.append(
                SimParameter(
                    account: seed.account, region: region, name: seed.name, type: seed.type ?? "String",
                    versions: (1...count).map { .init(version: $0, value: seed.value, modifiedAt: now, keyId: nil) }))
            applied.append(state.parameters.last!.arn)
        }
        for seed in alarms ?? [] {
            let alarm = SimAlarm(
                account: seed.account, region: region, name: seed.name, type: seed.type ?? "MetricAlarm", state: seed.state ?? "OK",
                reason: seed.reason ?? "Seeded", updatedAt: now)
            state.alarms.append(alarm)
            applied.append(alarm.arn)
        }
        return applied
    }
}

extension Simulator {
    /// Seeds the switch-over resources (see `SimSwitchoverSeed`) in the simulator's region.
    @discardableResult
    public func seedSwitchover(_ seed: SimSwitchoverSeed) throws(SimError) -> [String] {
        let region = configuration.region
        let now = clock.now()
        return try world.withLock { state throws(SimError) in try seed.apply(to: &state.switchover, region: region, now: now) }
    }

    /// Sets a CloudWatch alarm's state (tests and the admin API: what the guard then reads).
    public func setAlarmState(account: String, name: String, state value: String, reason: String = "Set by the simulator") {
        let now = clock.now()
        world.withLock { state in
            for i in state.switchover.alarms.indices
            where state.switchover.alarms[i].account == account && state.switchover.alarms[i].name == name {
                state.switchover.alarms[i].state = value
                state.switchover.alarms[i].reason = reason
                state.switchover.alarms[i].updatedAt = now
            }
        }
    }
}
