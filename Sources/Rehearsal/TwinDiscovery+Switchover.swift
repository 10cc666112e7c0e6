import AWSClient
import AWSServices
import Foundation
import Runbook
import Steps

/// Discovery of the switch-over resources, read-only and through the runbook's own accounts, as
/// for the moves: every load balancer the runbook names (by `aws.call` DescribeLoadBalancers
/// `Names` or a maintenance page's `loadBalancer`) with its listeners, rules and rule tags; every
/// ECS service a step updates and the task definition revisions involved; the hosted zone's
/// records the runbook changes and the zone's apex; secrets by DescribeSecret only (the value is
/// never read: the twin's stand-in holds the JSON keys the runbook merges, with placeholders);
/// parameters (values of `String`s only); the guard's alarms. `http.check` URLs are listed, not
/// reached.
extension TwinDiscovery {
    /// The reads switch-over discovery makes (added to `readOperations`).
    public static let switchoverReadOperations: Set<String> = [
        "DescribeLoadBalancers", "DescribeListeners", "DescribeRules", "DescribeTags", "DescribeServices", "DescribeTaskDefinition",
        "ListResourceRecordSets", "DescribeSecret", "GetParameterHistory", "DescribeAlarms",
    ]

    /// What the plan's switch-over steps name, by runbook account.
    struct SwitchoverTargets {
        var loadBalancers: Set<TwinTargets.Resource> = []
        var services: [(account: String, cluster: String, service: String, taskDefinition: String?)] = []
        var records: [(account: String, zone: String, name: String, type: String)] = []
        var secrets: [String: (account: String, name: String, keys: Set<String>)] = [:]
        var parameters: Set<TwinTargets.Resource> = []
        var httpChecks: [String] = []

        init(plan: RunbookPlan) {
            for step in plan.steps {
                guard case let .object(members) = step.inputs else { continue }
                let f = Dictionary(members, uniquingKeysWith: { a, _ in a })
                guard let account = f["account"]?.stringValue ?? step.account else {
                    if step.type == "http.check", let url = f["url"]?.stringValue { httpChecks.append(url) }
                    continue
                }
                switch step.type {
                case "aws.call", "aws.wait":
                    guard f["service"]?.stringValue == "elbv2", case let .object(parameters)? = f["parameters"] else { continue }
                    let p = Dictionary(parameters, uniquingKeysWith: { a, _ in a })
                    if case let .array(names)? = p["Names"] {
                        for name in names.compactMap(\.stringValue) { loadBalancers.insert(.init(account: account, name: name)) }
                    }
                case "elbv2.maintenance-page":
                    if let name = f["loadBalancer"]?.stringValue { loadBalancers.insert(.init(account: account, name: name)) }
                case "ecs.read-service", "ecs.update-service", "ecs.wait-deployment":
                    guard let cluster = f["cluster"]?.stringValue, let service = f["service"]?.stringValue,
                        !services.contains(where: { $0.account == account && $0.cluster == cluster && $0.service == service })
                    else { continue }
                    services.append((account, cluster, service, f["taskDefinition"]?.stringValue))
                case let type where type.hasPrefix("route53."):
                    guard let zone = f["hostedZoneId"]?.stringValue, let name = f["name"]?.stringValue,
                        let recordType = f["type"]?.stringValue,
                        !records.contains(where: { $0.account == account && $0.zone == zone && $0.name == name && $0.type == recordType })
                    else { continue }
                    records.append((account, zone, name, recordType))
                case "secretsmanager.put-secret-value":
                    guard let name = f["secretId"]?.stringValue else { continue }
                    var keys: Set<String> = []
                    if case let .object(merge)? = f["merge"] { keys.formUnion(merge.map(\.0)) }
                    secrets["\(account) \(name)", default: (account, name, [])].keys.formUnion(keys)
                case "ssm.put-parameter":
                    if let name = f["name"]?.stringValue { parameters.insert(.init(account: account, name: name)) }
                    if case let .object(from)? = f["valueFrom"] {
                        let g = Dictionary(from, uniquingKeysWith: { a, _ in a })
                        if let secret = g["secretId"]?.stringValue, let key = g["key"]?.stringValue {
                            secrets["\(account) \(secret)", default: (account, secret, [])].keys.insert(key)
                        }
                    }
                default:
                    continue
                }
            }
        }
    }

    func discoverSwitchover(_ recorder: inout CallRecorder, _ problems: inout [String]) async -> TwinSwitchover {
        let targets = SwitchoverTargets(plan: plan)
        var found = TwinSwitchover()
        found.httpChecks = targets.httpChecks
        for target in targets.loadBalancers.sorted() {
            found.loadBalancers.append(await discoverLoadBalancer(target, &recorder, &problems))
        }
        for target in targets.services {
            let (service, family) = await discoverService(target, &recorder, &problems)
            found.services.append(service)
            for (account, name, revisions) in family {
                if let i = found.taskDefinitions.firstIndex(where: { $0.account == account && $0.family == name }) {
                    found.taskDefinitions[i].revisions = Array(Set(found.taskDefinitions[i].revisions).union(revisions)).sorted()
                } else {
                    found.taskDefinitions.append(.init(account: account, family: name, revisions: Array(Set(revisions)).sorted()))
                }
            }
        }
        for target in targets.records {
            await discoverRecord(target, into: &found.zones, &recorder, &problems)
        }
        for (_, target) in targets.secrets.sorted(by: { $0.key < $1.key }) {
            found.secrets.append(await discoverSecret(target, &recorder, &problems))
        }
        for target in targets.parameters.sorted() {
            found.parameters.append(await discoverParameter(target, &recorder, &problems))
        }
        if let spec = plan.runGuard {
            found.alarms = await discoverAlarms(spec, &recorder, &problems)
        }
        return found
    }

    // MARK: ELBv2

    private func discoverLoadBalancer(
        _ target: TwinTargets.Resource, _ recorder: inout CallRecorder, _ problems: inout [String]
    ) async -> TwinSwitchover.LoadBalancer {
        var facts = TwinSwitchover.LoadBalancer(account: target.account, name: target.name, exists: false)
        do {
            guard let model = AWSModelCatalog.shared.service("elbv2") else {
                throw TwinDiscoveryGap("this build's AWS catalog has no ELBv2")
            }
            let generic = AWSGenericClient(client: try await sessions.client(model.clientService, account: target.account), model: model)
            recorder.note("elbv2", "DescribeLoadBalancers")
            let answer = try await generic.call(
                "DescribeLoadBalancers", parameters: .map([(key: "Names", value: .list([.scalar(target.name)]))]), resource: target.name)
            guard case .list(let items)? = Self.member(answer.document, "LoadBalancers"), let lb = items.first else { return facts }
            facts.exists = true
            facts.arn = Self.member(lb, "LoadBalancerArn")?.text
            facts.dnsName = Self.member(lb, "DNSName")?.text
            facts.canonicalHostedZoneId = Self.member(lb, "CanonicalHostedZoneId")?.text
            facts.type = Self.member(lb, "Type")?.text
            facts.scheme = Self.member(lb, "Scheme")?.text
            guard let arn = facts.arn else { return facts }
            let client = try await sessions.elbv2(target.account)
            recorder.note("elbv2", "DescribeListeners")
            for listener in try await client.describeListeners(loadBalancerArn: arn) {
                recorder.note("elbv2", "DescribeRules")
                let rules = try await client.describeRules(listenerArn: listener.arn).filter { !$0.isDefault }
                var tags: [String: [String: String]] = [:]
                if !rules.isEmpty {
                    recorder.note("elbv2", "DescribeTags")
                    tags = try await client.describeTags(resourceArns: rules.map(\.arn))
                }
                facts.listeners.append(
                    .init(
                        arn: listener.arn, port: listener.port ?? 0, protocolName: listener.protocolName,
                        rules: rules.compactMap { rule in
                            guard let priority = rule.priorityNumber else { return nil }
                            return .init(
                                arn: rule.arn, priority: priority,
                                conditions: rule.conditions.map { .init(field: $0.field, values: $0.values) },
                                actions: rule.actions.map {
                                    .init(
                                        type: $0.type, targetGroupArn: $0.targetGroupArn, statusCode: $0.fixedResponse?.statusCode,
                                        contentType: $0.fixedResponse?.contentType, messageBody: $0.fixedResponse?.messageBody)
                                },
                                tags: tags[rule.arn] ?? [:])
                        }))
            }
            recorder.note("elbv2", "DescribeTags")
            facts.tags = try await client.describeTags(resourceArns: [arn])[arn] ?? [:]
        } catch let error as AWSError where error.code == "LoadBalancerNotFound" {
            return facts
        } catch {
            problems.append("\(target.account): load balancer \(target.name): \(Self.describe(error))")
        }
        return facts
    }

    // MARK: ECS

    private func discoverService(
        _ target: (account: String, cluster: String, service: String, taskDefinition: String?), _ recorder: inout CallRecorder,
        _ problems: inout [String]
    ) async -> (TwinSwitchover.Service, [(String, String, [Int])]) {
        var facts = TwinSwitchover.Service(account: target.account, cluster: target.cluster, name: target.service, exists: false)
        var families: [(String, String, [Int])] = []
        do {
            let client = try await sessions.ecs(target.account)
            recorder.note("ecs", "DescribeServices")
            let (services, _) = try await client.describeServices(cluster: target.cluster, services: [target.service])
            if let service = services.first(where: { $0.status != "INACTIVE" }) {
                facts.exists = true
                facts.taskDefinition = service.taskDefinition
                facts.desiredCount = service.desiredCount
                if let running = service.taskDefinition, let (family, revision) = Self.familyRevision(running) {
                    families.append((target.account, family, [revision]))
                }
            }
            if let wanted = target.taskDefinition {
                recorder.note("ecs", "DescribeTaskDefinition")
                let definition = try await client.describeTaskDefinition(wanted)
                if let (family, revision) = Self.familyRevision(definition.taskDefinitionArn) {
                    families.append((target.account, family, [revision]))
                }
            }
        } catch let error as AWSError where error.code == "ClusterNotFoundException" {
            problems.append("\(target.account): ECS cluster \(target.cluster) does not exist (ClusterNotFoundException)")
        } catch {
            problems.append("\(target.account): ECS service \(target.cluster)/\(target.service): \(Self.describe(error))")
        }
        return (facts, families)
    }

    static func familyRevision(_ arn: String) -> (String, Int)? {
        let last = arn.split(separator: "/").last.map(String.init) ?? arn
        let parts = last.split(separator: ":")
        guard parts.count == 2, let revision = Int(parts[1]) else { return nil }
        return (String(parts[0]), revision)
    }

    // MARK: Route 53

    private func discoverRecord(
        _ target: (account: String, zone: String, name: String, type: String), into zones: inout [TwinSwitchover.Zone],
        _ recorder: inout CallRecorder, _ problems: inout [String]
    ) async {
        let zoneId = Route53Client.bareId(target.zone)
        var index = zones.firstIndex { $0.account == target.account && $0.id == zoneId }
        if index == nil {
            zones.append(.init(account: target.account, id: zoneId, name: nil, exists: true, records: []))
            index = zones.count - 1
        }
        do {
            let client = try await sessions.route53(target.account)
            recorder.note("route53", "ListResourceRecordSets")
            if let record = try await client.recordSet(zone: zoneId, name: target.name, type: target.type) {
                zones[index!].records.append(Self.twinRecord(record))
            }
            if zones[index!].name == nil {
                // The apex is the nearest enclosing name with the zone's SOA record.
                var labels = target.name.split(separator: ".").map(String.init)
                while !labels.isEmpty {
                    let candidate = labels.joined(separator: ".")
                    recorder.note("route53", "ListResourceRecordSets")
                    if let soa = try await client.recordSet(zone: zoneId, name: candidate, type: "SOA") {
                        zones[index!].name = soa.name
                        zones[index!].records.append(Self.twinRecord(soa))
                        break
                    }
                    labels.removeFirst()
                }
            }
        } catch let error as AWSError where error.code == "NoSuchHostedZone" {
            zones[index!].exists = false
            problems.append("\(target.account): hosted zone \(zoneId) does not exist (NoSuchHostedZone)")
        } catch {
            problems.append("\(target.account): record \(target.name) \(target.type) in \(zoneId): \(Self.describe(error))")
        }
    }

    static func twinRecord(_ record: Route53RecordSet) -> TwinSwitchover.Zone.Record {
        .init(
            name: record.name, type: record.type, ttl: record.ttl, values: record.alias == nil ? record.values : nil,
            alias: record.alias.map {
                .init(hostedZoneId: $0.hostedZoneId, dnsName: $0.dnsName, evaluateTargetHealth: $0.evaluateTargetHealth)
            })
    }

    // MARK: Secrets, parameters, alarms

    private func discoverSecret(
        _ target: (account: String, name: String, keys: Set<String>), _ recorder: inout CallRecorder, _ problems: inout [String]
    ) async
        -> TwinSwitchover.Secret
    {
        var facts = TwinSwitchover.Secret(account: target.account, name: target.name, exists: false, keys: target.keys.sorted())
        do {
            let client = try await sessions.secretsManager(target.account)
            recorder.note("secretsmanager", "DescribeSecret")
            let described = try await client.describeSecret(target.name)
            facts.exists = described.deletedDate == nil
            facts.arn = described.arn
        } catch let error as AWSError where error.code == "ResourceNotFoundException" {
            return facts
        } catch {
            problems.append("\(target.account): secret \(target.name): \(Self.describe(error))")
        }
        return facts
    }

    private func discoverParameter(
        _ target: TwinTargets.Resource, _ recorder: inout CallRecorder, _ problems: inout [String]
    ) async -> TwinSwitchover.Parameter {
        var facts = TwinSwitchover.Parameter(account: target.account, name: target.name, exists: false)
        do {
            let client = try await sessions.ssm(target.account)
            recorder.note("ssm", "GetParameterHistory")
            let history = try await client.parameterHistory(target.name, withDecryption: false)
            if let latest = history.last {
                facts.exists = true
                facts.type = latest.type.rawValue
                facts.version = latest.version
                facts.value = latest.type == .secureString ? nil : latest.value
            }
        } catch let error as AWSError where error.code == "ParameterNotFound" {
            return facts
        } catch {
            problems.append("\(target.account): parameter \(target.name): \(Self.describe(error))")
        }
        return facts
    }

    private func discoverAlarms(
        _ spec: RunGuardSpec, _ recorder: inout CallRecorder, _ problems: inout [String]
    ) async -> [TwinSwitchover.Alarm] {
        var alarms = spec.alarms.map { TwinSwitchover.Alarm(account: spec.account, name: $0, exists: false) }
        do {
            guard let model = AWSModelCatalog.shared.service("cloudwatch") else {
                throw TwinDiscoveryGap("this build's AWS catalog has no CloudWatch")
            }
            let client = AWSGenericClient(client: try await sessions.client(model.clientService, account: spec.account), model: model)
            recorder.note("cloudwatch", "DescribeAlarms")
            let answer = try await client.call(
                "DescribeAlarms",
                parameters: .map([
                    (key: "AlarmNames", value: .list(spec.alarms.map(AWSParameterValue.scalar))),
                    (key: "AlarmTypes", value: .list([.scalar("MetricAlarm"), .scalar("CompositeAlarm")])),
                    (key: "MaxRecords", value: .scalar("100")),
                ]),
                resource: spec.alarms.joined(separator: ","))
            for (key, type) in [("MetricAlarms", "MetricAlarm"), ("CompositeAlarms", "CompositeAlarm")] {
                guard case .list(let items)? = Self.member(answer.document, key) else { continue }
                for item in items {
                    guard let name = Self.member(item, "AlarmName")?.text, let i = alarms.firstIndex(where: { $0.name == name }) else {
                        continue
                    }
                    alarms[i].exists = true
                    alarms[i].type = type
                    alarms[i].state = Self.member(item, "StateValue")?.text
                }
            }
            for alarm in alarms where !alarm.exists {
                problems.append("\(spec.account): the guard's alarm \(alarm.name) does not exist (DescribeAlarms does not list it)")
            }
        } catch {
            problems.append("\(spec.account): the guard's alarms \(spec.alarms.joined(separator: ", ")): \(Self.describe(error))")
        }
        return alarms
    }

    static func member(_ document: AWSDocument, _ name: String) -> AWSDocument? {
        guard case .object(let members) = document else { return nil }
        return members[name]
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? AWSError { return "\(error.code): \(error.message)" + (error.requestId.map { " (request \($0))" } ?? "") }
        return "\(error)"
    }
}

/// A switch-over resource discovery could not look at for a reason of this build, not of AWS.
struct TwinDiscoveryGap: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
