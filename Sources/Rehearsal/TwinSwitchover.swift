/// What discovery read of the switch-over resources a runbook touches — load balancers with their
/// listeners and rules, ECS services and task definition revisions, the hosted zone's records,
/// secrets (their names and the JSON keys the runbook merges, never a value), parameters and the
/// guard's alarms — each under its real name, ARN or ID, so the twin keeps them.
public struct TwinSwitchover: Sendable, Codable, Equatable {
    public struct LoadBalancer: Sendable, Codable, Equatable {
        public var account: String
        public var name: String
        public var exists: Bool
        public var arn: String?
        public var dnsName: String?
        public var canonicalHostedZoneId: String?
        public var type: String?
        public var scheme: String?
        public var listeners: [Listener] = []
        public var tags: [String: String] = [:]
    }

    public struct Listener: Sendable, Codable, Equatable {
        public var arn: String
        public var port: Int
        public var protocolName: String?
        public var rules: [Rule]
    }

    public struct Rule: Sendable, Codable, Equatable {
        public struct Condition: Sendable, Codable, Equatable {
            public var field: String
            public var values: [String]
        }
        public struct Action: Sendable, Codable, Equatable {
            public var type: String
            public var targetGroupArn: String?
            public var statusCode: String?
            public var contentType: String?
            public var messageBody: String?
        }
        public var arn: String
        public var priority: Int
        public var conditions: [Condition]
        public var actions: [Action]
        public var tags: [String: String]
    }

    public struct Service: Sendable, Codable, Equatable {
        public var account: String
        public var cluster: String
        public var name: String
        public var exists: Bool
        /// The task definition ARN it runs now.
        public var taskDefinition: String?
        public var desiredCount: Int?
        public var launchType: String?
    }

    /// Revisions of one task definition family the runbook names or a service runs.
    public struct TaskDefinitionFamily: Sendable, Codable, Equatable {
        public var account: String
        public var family: String
        public var revisions: [Int]
    }

    public struct Zone: Sendable, Codable, Equatable {
        public struct Record: Sendable, Codable, Equatable {
            public struct Alias: Sendable, Codable, Equatable {
                public var hostedZoneId: String
                public var dnsName: String
                public var evaluateTargetHealth: Bool
            }
            public var name: String
            public var type: String
            public var ttl: Int?
            public var values: [String]?
            public var alias: Alias?
        }
        public var account: String
        public var id: String
        /// The apex (the name holding the zone's SOA record), when found.
        public var name: String?
        public var exists: Bool
        public var records: [Record]
    }

    public struct Secret: Sendable, Codable, Equatable {
        public var account: String
        public var name: String
        public var exists: Bool
        public var arn: String?
        public var kmsKeyId: String?
        /// The JSON keys the twin's stand-in value holds: the ones the runbook merges or reads.
        /// Learnt from the runbook, not from the value, which discovery never reads.
        public var keys: [String]
    }

    public struct Parameter: Sendable, Codable, Equatable {
        public var account: String
        public var name: String
        public var exists: Bool
        public var type: String?
        public var version: Int?
        /// Copied only for `String`/`StringList`; a `SecureString` gets a placeholder.
        public var value: String?
    }

    public struct Alarm: Sendable, Codable, Equatable {
        public var account: String
        public var name: String
        public var exists: Bool
        public var type: String?
        public var state: String?
    }

    public var loadBalancers: [LoadBalancer] = []
    public var services: [Service] = []
    public var taskDefinitions: [TaskDefinitionFamily] = []
    public var zones: [Zone] = []
    public var secrets: [Secret] = []
    public var parameters: [Parameter] = []
    public var alarms: [Alarm] = []
    /// URLs `http.check` steps reach: not rehearsed (the rehearsal's daemon answers them itself).
    public var httpChecks: [String] = []

    public init() {}

    public var isEmpty: Bool {
        loadBalancers.isEmpty && services.isEmpty && zones.isEmpty && secrets.isEmpty && parameters.isEmpty && alarms.isEmpty
            && httpChecks.isEmpty
    }
}
