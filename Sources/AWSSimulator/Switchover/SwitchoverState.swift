import Foundation

/// The switch-over services of a cutover, per account: load balancers with their listeners and
/// rules (ELBv2), ECS clusters, services and task definitions, Route 53 hosted zones and their
/// changes, Secrets Manager secrets with version stages, SSM parameters with versions, and
/// CloudWatch alarms. Modelled natively so a rehearsal keeps the operator's own names, ARNs and
/// IDs (moto invents its own) and so time-dependent behaviour — an ECS rollout, a Route 53 change
/// going INSYNC — follows the simulated clock (moto finishes both at once).
public struct SwitchoverState: Sendable {
    public var loadBalancers: [SimLoadBalancer] = []
    public var clusters: [SimECSCluster] = []
    public var taskDefinitions: [SimTaskDefinition] = []
    public var hostedZones: [SimHostedZone] = []
    public var changes: [String: SimRoute53Change] = [:]
    public var secrets: [SimSecret] = []
    public var parameters: [SimParameter] = []
    public var alarms: [SimAlarm] = []
    public var timings = SwitchoverTimings()
    /// Counter behind generated IDs (rule ARNs, deployment IDs, change IDs), so they reproduce.
    var serial = 0

    public init() {}

    mutating func nextSerial() -> Int {
        serial += 1
        return serial
    }

    /// `count` lower-case hex digits derived from the serial (stable per world).
    mutating func hexID(_ count: Int) -> String {
        let n = nextSerial()
        var text = String(UInt64(n) &* 0x9E37_79B9_7F4A_7C15, radix: 16)
        while text.count < count { text = "0" + text }
        return String(text.suffix(count))
    }
}

/// How long the simulated clock lets time-dependent switch-over work take.
public struct SwitchoverTimings: Sendable, Equatable, Codable {
    /// Route 53: a change is `PENDING` this long, then `INSYNC` ("changes generally propagate to
    /// all Route 53 name servers within 60 seconds", Route 53 API Reference, ChangeResourceRecordSets).
    public var route53Propagation: TimeInterval = 60
    /// ECS: from a deployment's creation until one new task is RUNNING (image pull, start,
    /// health-check grace); tasks start one after another.
    public var ecsTaskStart: TimeInterval = 30
    /// ECS: after the last new task runs, the older deployment's tasks drain this long before the
    /// deployment is dropped and the rollout is `COMPLETED`.
    public var ecsDrain: TimeInterval = 30

    public init() {}
}

// MARK: - ELBv2

public struct SimLoadBalancer: Sendable {
    public var account: String
    public var name: String
    public var arn: String
    public var dnsName: String
    public var canonicalHostedZoneId: String
    public var type: String
    public var scheme: String
    public var createdTime: Date
    public var listeners: [SimListener]
    public var tags: [String: String]
}

public struct SimListener: Sendable {
    public var arn: String
    public var port: Int
    public var protocolName: String
    /// The default action (forward to a target group, or a fixed response).
    public var defaultAction: SimRuleAction
    public var rules: [SimRule]
}

public struct SimRule: Sendable {
    public var arn: String
    /// 1…50000; nil for the default rule.
    public var priority: Int?
    public var conditions: [SimRuleCondition]
    public var actions: [SimRuleAction]
    public var tags: [String: String]
}

public struct SimRuleCondition: Sendable, Codable, Equatable {
    public var field: String
    public var values: [String]

    public init(field: String, values: [String]) {
        self.field = field
        self.values = values
    }
}

public struct SimRuleAction: Sendable, Codable, Equatable {
    public var type: String
    public var targetGroupArn: String?
    public var statusCode: String?
    public var contentType: String?
    public var messageBody: String?

    public init(
        type: String, targetGroupArn: String? = nil, statusCode: String? = nil, contentType: String? = nil, messageBody: String? = nil
    ) {
        self.type = type
        self.targetGroupArn = targetGroupArn
        self.statusCode = statusCode
        self.contentType = contentType
        self.messageBody = messageBody
    }
}

// MARK: - ECS

public struct SimECSCluster: Sendable {
    public var account: String
    public var region: String
    public var name: String
    public var services: [SimECSService]

    public var arn: String { "arn:aws:ecs:\(region):\(account):cluster/\(name)" }
}

public struct SimECSService: Sendable {
    public var name: String
    public var arn: String
    public var desiredCount: Int
    public var taskDefinition: String
    public var launchType: String
    public var createdAt: Date
    /// Newest first; the first is PRIMARY.
    public var deployments: [SimECSDeployment]
    /// Newest first.
    public var events: [(id: String, createdAt: Date, message: String)]
}

/// One deployment. From `rampFrom` on, its running tasks rise from `runningAtStart` by one
/// every `ecsTaskStart` until `desiredCount` run (a scale-in is immediate). A deployment a newer
/// one replaced keeps `runningAtStart` tasks until the newer one is fully running, then drains.
public struct SimECSDeployment: Sendable {
    public var id: String
    public var taskDefinition: String
    public var desiredCount: Int
    public var runningAtStart: Int
    public var createdAt: Date
    public var rampFrom: Date

    /// Tasks of this deployment running at `now`, were it the primary.
    func running(at now: Date, taskStart: TimeInterval) -> Int {
        guard desiredCount > runningAtStart else { return desiredCount }
        let started = taskStart <= 0 ? Int.max : Int(max(0, now.timeIntervalSince(rampFrom)) / taskStart)
        return min(desiredCount, runningAtStart + started)
    }

    /// When all its tasks run.
    func fullyRunning(taskStart: TimeInterval) -> Date {
        rampFrom.addingTimeInterval(Double(max(0, desiredCount - runningAtStart)) * taskStart)
    }
}

public struct SimTaskDefinition: Sendable {
    public var account: String
    public var region: String
    public var family: String
    public var revision: Int
    public var status: String
    public var registeredAt: Date

    public var arn: String { "arn:aws:ecs:\(region):\(account):task-definition/\(family):\(revision)" }
}

// MARK: - Route 53

public struct SimHostedZone: Sendable {
    public var account: String
    /// Without `/hostedzone/`.
    public var id: String
    /// With the trailing dot.
    public var name: String
    public var privateZone: Bool
    public var records: [SimRecordSet]
}

public struct SimRecordSet: Sendable, Codable, Equatable {
    public struct Alias: Sendable, Codable, Equatable {
        public var hostedZoneId: String
        public var dnsName: String
        public var evaluateTargetHealth: Bool

        public init(hostedZoneId: String, dnsName: String, evaluateTargetHealth: Bool) {
            self.hostedZoneId = hostedZoneId
            self.dnsName = dnsName
            self.evaluateTargetHealth = evaluateTargetHealth
        }
    }
    public var name: String
    public var type: String
    public var ttl: Int?
    public var values: [String]?
    public var alias: Alias?
    public var setIdentifier: String?

    public init(name: String, type: String, ttl: Int? = nil, values: [String]? = nil, alias: Alias? = nil, setIdentifier: String? = nil) {
        self.name = name
        self.type = type
        self.ttl = ttl
        self.values = values
        self.alias = alias
        self.setIdentifier = setIdentifier
    }
}

public struct SimRoute53Change: Sendable {
    public var account: String
    public var id: String
    public var submittedAt: Date
    public var comment: String?
}

// MARK: - Secrets Manager, SSM, CloudWatch

public struct SimSecret: Sendable {
    public struct Version: Sendable {
        public var id: String
        public var string: String
        public var stages: [String]
        public var createdAt: Date
    }
    public var account: String
    public var name: String
    public var arn: String
    public var description: String?
    public var kmsKeyId: String?
    public var createdAt: Date
    public var lastChangedAt: Date
    public var versions: [Version]
}

public struct SimParameter: Sendable {
    public struct Version: Sendable {
        public var version: Int
        public var value: String
        public var modifiedAt: Date
        public var keyId: String?
    }
    public var account: String
    public var region: String
    public var name: String
    public var type: String
    public var versions: [Version]

    public var arn: String { "arn:aws:ssm:\(region):\(account):parameter/\(name.hasPrefix("/") ? String(name.dropFirst()) : name)" }
}

public struct SimAlarm: Sendable {
    public var account: String
    public var region: String
    public var name: String
    /// `MetricAlarm` or `CompositeAlarm`.
    public var type: String
    /// `OK`, `ALARM` or `INSUFFICIENT_DATA`.
    public var state: String
    public var reason: String
    public var updatedAt: Date

    public var arn: String { "arn:aws:cloudwatch:\(region):\(account):alarm:\(name)" }
}
