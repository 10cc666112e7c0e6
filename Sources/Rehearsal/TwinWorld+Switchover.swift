import Foundation

/// The switch-over half of a twin world: the simulator's `switchover` seed section
/// (`SimSwitchoverSeed`) written from what discovery read, under the same names, ARNs and IDs.
/// A secret's value is a stand-in: a JSON object with the keys the runbook merges or reads, each
/// `"twin-placeholder"` — discovery never reads the real value.
extension TwinWorld {
    /// The placeholder every twinned secret key and SecureString parameter holds.
    public static let placeholder = "twin-placeholder"

    struct Switchover: Encodable, Sendable {
        struct LoadBalancer: Encodable, Sendable {
            struct Listener: Encodable, Sendable {
                struct Rule: Encodable, Sendable {
                    struct Condition: Encodable, Sendable {
                        var field: String
                        var values: [String]
                    }
                    struct Action: Encodable, Sendable {
                        var type: String
                        var targetGroupArn: String?
                        var statusCode: String?
                        var contentType: String?
                        var messageBody: String?
                    }
                    var arn: String
                    var priority: Int
                    var conditions: [Condition]
                    var actions: [Action]
                    var tags: [String: String]?
                }
                var arn: String
                var port: Int
                var `protocol`: String?
                var rules: [Rule]
            }
            var account: String
            var name: String
            var arn: String?
            var dnsName: String?
            var canonicalHostedZoneId: String?
            var type: String?
            var scheme: String?
            var listeners: [Listener]
            var tags: [String: String]?
        }
        struct ECS: Encodable, Sendable {
            struct Cluster: Encodable, Sendable {
                struct Service: Encodable, Sendable {
                    var name: String
                    var taskDefinition: String
                    var desiredCount: Int
                    var launchType: String?
                }
                var account: String
                var name: String
                var services: [Service]
            }
            struct TaskDefinitions: Encodable, Sendable {
                var account: String
                var family: String
                var revisions: [Int]
            }
            var clusters: [Cluster]
            var taskDefinitions: [TaskDefinitions]
        }
        struct HostedZone: Encodable, Sendable {
            var account: String
            var id: String
            var name: String
            var records: [TwinSwitchover.Zone.Record]
        }
        struct Secret: Encodable, Sendable {
            var account: String
            var name: String
            var arn: String?
            var string: String
        }
        struct Parameter: Encodable, Sendable {
            var account: String
            var name: String
            var type: String?
            var value: String
            var version: Int?
        }
        struct Alarm: Encodable, Sendable {
            var account: String
            var name: String
            var type: String?
            var state: String?
        }
        var loadBalancers: [LoadBalancer]
        var ecs: ECS
        var hostedZones: [HostedZone]
        var secrets: [Secret]
        var parameters: [Parameter]
        var alarms: [Alarm]
    }

    static func switchover(_ found: TwinSwitchover?, ids: [String: String]) -> Switchover? {
        guard let found, !found.isEmpty else { return nil }
        func id(_ label: String) -> String { ids[label] ?? label }
        let balancers = found.loadBalancers.filter(\.exists).map { lb in
            Switchover.LoadBalancer(
                account: id(lb.account), name: lb.name, arn: lb.arn, dnsName: lb.dnsName, canonicalHostedZoneId: lb.canonicalHostedZoneId,
                type: lb.type, scheme: lb.scheme,
                listeners: lb.listeners.map { listener in
                    .init(
                        arn: listener.arn, port: listener.port, protocol: listener.protocolName,
                        rules: listener.rules.map { rule in
                            .init(
                                arn: rule.arn, priority: rule.priority,
                                conditions: rule.conditions.map { .init(field: $0.field, values: $0.values) },
                                actions: rule.actions.map {
                                    .init(
                                        type: $0.type, targetGroupArn: $0.targetGroupArn, statusCode: $0.statusCode,
                                        contentType: $0.contentType,
                                        messageBody: $0.messageBody)
                                },
                                tags: rule.tags.isEmpty ? nil : rule.tags)
                        })
                },
                tags: lb.tags.isEmpty ? nil : lb.tags)
        }
        var clusters: [Switchover.ECS.Cluster] = []
        for service in found.services where service.exists {
            guard let definition = service.taskDefinition else { continue }
            let entry = Switchover.ECS.Cluster.Service(
                name: service.name, taskDefinition: definition.split(separator: "/").last.map(String.init) ?? definition,
                desiredCount: service.desiredCount ?? 0, launchType: service.launchType)
            if let i = clusters.firstIndex(where: { $0.account == id(service.account) && $0.name == service.cluster }) {
                clusters[i].services.append(entry)
            } else {
                clusters.append(.init(account: id(service.account), name: service.cluster, services: [entry]))
            }
        }
        let zones = found.zones.filter(\.exists).map { zone in
            Switchover.HostedZone(
                account: id(zone.account), id: zone.id, name: zone.name ?? Self.parentName(zone.records.first?.name), records: zone.records)
        }
        let secrets = found.secrets.filter(\.exists).map { secret in
            Switchover.Secret(account: id(secret.account), name: secret.name, arn: secret.arn, string: Self.standIn(keys: secret.keys))
        }
        let parameters = found.parameters.filter(\.exists).map { p in
            Switchover.Parameter(account: id(p.account), name: p.name, type: p.type, value: p.value ?? Self.placeholder, version: p.version)
        }
        let alarms = found.alarms.filter(\.exists).map {
            Switchover.Alarm(account: id($0.account), name: $0.name, type: $0.type, state: $0.state)
        }
        return Switchover(
            loadBalancers: balancers,
            ecs: .init(
                clusters: clusters,
                taskDefinitions: found.taskDefinitions.map { .init(account: id($0.account), family: $0.family, revisions: $0.revisions) }),
            hostedZones: zones, secrets: secrets, parameters: parameters, alarms: alarms)
    }

    /// `{"host":"twin-placeholder",…}`, keys sorted.
    static func standIn(keys: [String]) -> String {
        "{" + keys.sorted().map { "\(JSONString.quote($0)):\(JSONString.quote(placeholder))" }.joined(separator: ",") + "}"
    }

    /// A zone whose apex was not found: the record's parent name (`admin.example.com.` → `example.com.`).
    static func parentName(_ name: String?) -> String {
        guard let name else { return "twin.invalid." }
        let labels = name.split(separator: ".")
        return labels.count > 2 ? labels.dropFirst().joined(separator: ".") + "." : name
    }
}

/// JSON string quoting without Foundation's encoder (keys and a fixed placeholder only).
enum JSONString {
    static func quote(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if c.value < 0x20 { out += String(format: "\\u%04x", c.value) } else { out.unicodeScalars.append(c) }
            }
        }
        return out + "\""
    }
}
