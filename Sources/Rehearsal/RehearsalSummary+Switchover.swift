/// The switch-over resources in the discovery summary: one line each, with what the twin keeps.
extension RehearsalSummary {
    static func switchoverLines(_ found: TwinSwitchover?) -> [String] {
        guard let found else { return [] }
        var lines: [String] = []
        for lb in found.loadBalancers {
            guard lb.exists else {
                lines.append("  load balancer \(lb.name) in \(lb.account): absent")
                continue
            }
            let rules = lb.listeners.reduce(0) { $0 + $1.rules.count }
            lines.append(
                "  load balancer \(lb.name) in \(lb.account): \(lb.dnsName ?? "?") (zone \(lb.canonicalHostedZoneId ?? "?")), "
                    + "listeners \(lb.listeners.map { String($0.port) }.joined(separator: ", ")), \(rules) rules")
        }
        for service in found.services {
            lines.append(
                service.exists
                    ? "  ECS service \(service.cluster)/\(service.name) in \(service.account): \(service.desiredCount ?? 0) tasks of \(service.taskDefinition?.split(separator: "/").last.map(String.init) ?? "?")"
                    : "  ECS service \(service.cluster)/\(service.name) in \(service.account): absent")
        }
        for zone in found.zones {
            lines.append(
                zone.exists
                    ? "  hosted zone \(zone.id) (\(zone.name ?? "apex not found")) in \(zone.account): \(zone.records.map { "\($0.name) \($0.type)" }.joined(separator: ", "))"
                    : "  hosted zone \(zone.id) in \(zone.account): absent")
        }
        for secret in found.secrets {
            lines.append(
                secret.exists
                    ? "  secret \(secret.name) in \(secret.account): described only (value not read); the twin holds keys \(secret.keys.joined(separator: ", ")) with placeholders"
                    : "  secret \(secret.name) in \(secret.account): absent")
        }
        for parameter in found.parameters {
            lines.append(
                parameter.exists
                    ? "  parameter \(parameter.name) in \(parameter.account): \(parameter.type ?? "?") version \(parameter.version ?? 0)"
                    : "  parameter \(parameter.name) in \(parameter.account): absent")
        }
        for alarm in found.alarms {
            lines.append("  alarm \(alarm.name) in \(alarm.account): " + (alarm.exists ? "\(alarm.state ?? "?")" : "absent"))
        }
        for url in found.httpChecks {
            lines.append("  http.check \(url): not reached (answered by the rehearsal's daemon)")
        }
        return lines
    }
}
