import Foundation

/// The simulated ECS API (JSON 1.1, `X-Amz-Target: AmazonEC2ContainerServiceV20141113.<Op>`), as a
/// redeploy uses it: DescribeServices, UpdateService, DescribeTaskDefinition, ListTaskDefinitions.
///
/// Why natively and not moto: an UpdateService starts a deployment that rolls out over
/// (simulated) time — the new deployment `PRIMARY` with `runningCount` rising to its
/// `desiredCount` one task at a time, the replaced one `ACTIVE` until then, then drained and gone,
/// `rolloutState` `IN_PROGRESS` → `COMPLETED` and the "has reached a steady state" event — which is
/// what `ecs.update-service` waits for. moto completes a deployment at once (ECS Developer Guide,
/// "Deploy Amazon ECS services by replacing tasks": minimumHealthyPercent 100 / maximumPercent 200
/// keeps the old tasks until the new ones run).
public struct ECSSimService: SimService {
    public init() {}

    public var signingName: String { "ecs" }

    static let prefix = "AmazonEC2ContainerServiceV20141113"
    static let operations: Set<String> = ["DescribeServices", "UpdateService", "DescribeTaskDefinition", "ListTaskDefinitions"]

    public func operation(of request: SimRequest) -> String? { SimJSON.operation(request, prefix: Self.prefix, Self.operations) }

    public func render(_ error: SimError, requestId: String) -> SimResponse { SimJSON.error(error, requestId: requestId) }

    public func handle(
        _ request: SimRequest, operation: String, context: inout SimCallContext, state: inout SimState
    ) throws(SimError) -> SimResponse {
        let input = try SimJSONInput(request.body)
        let output: [String: Any]
        switch operation {
        case "DescribeServices": output = try describeServices(input, &context, state.switchover)
        case "UpdateService": output = try updateService(input, &context, &state.switchover)
        case "DescribeTaskDefinition":
            let reference = try input.required("taskDefinition", code: "ClientException")
            context.resource = reference
            let definition = try Self.taskDefinition(
                reference, account: context.principal.account, region: context.region, state.switchover)
            output = ["taskDefinition": Self.render(definition), "tags": [Any]()]
        case "ListTaskDefinitions":
            let family = input.string("familyPrefix")
            let status = input.string("status") ?? "ACTIVE"
            context.resource = family
            var found = state.switchover.taskDefinitions.filter {
                $0.account == context.principal.account && $0.region == context.region && $0.status == status
                    && (family == nil || $0.family.hasPrefix(family!))
            }
            .sorted { ($0.family, $0.revision) < ($1.family, $1.revision) }
            if input.string("sort") == "DESC" { found.reverse() }
            output = ["taskDefinitionArns": found.map(\.arn)]
        default: throw SimError("ClientException", "The operation \(operation) is not supported.", status: 400)
        }
        return SimJSON.response(output, requestId: context.requestId)
    }

    // MARK: Operations

    private func describeServices(
        _ input: SimJSONInput, _ context: inout SimCallContext, _ state: SwitchoverState
    ) throws(SimError) -> [String: Any] {
        let cluster = try Self.cluster(input.string("cluster"), context, state)
        let names = input.strings("services")
        guard !names.isEmpty, names.count <= 10 else {
            throw SimError("InvalidParameterException", "services must name 1 to 10 services", status: 400)
        }
        context.resource = names.first
        var services: [[String: Any]] = []
        var failures: [[String: Any]] = []
        for name in names {
            if let service = state.clusters[cluster].services.first(where: { $0.name == Self.lastComponent(name) || $0.arn == name }) {
                services.append(Self.render(service, cluster: state.clusters[cluster], now: context.now, timings: state.timings))
            } else {
                failures.append([
                    "arn":
                        "arn:aws:ecs:\(context.region):\(context.principal.account):service/\(state.clusters[cluster].name)/\(Self.lastComponent(name))",
                    "reason": "MISSING",
                ])
            }
        }
        return ["services": services, "failures": failures]
    }

    private func updateService(
        _ input: SimJSONInput, _ context: inout SimCallContext, _ state: inout SwitchoverState
    ) throws(SimError) -> [String: Any] {
        let c = try Self.cluster(input.string("cluster"), context, state)
        let name = try input.required("service", code: "InvalidParameterException")
        context.resource = name
        guard let s = state.clusters[c].services.firstIndex(where: { $0.name == Self.lastComponent(name) || $0.arn == name }) else {
            throw SimError("ServiceNotFoundException", "Service not found.", status: 400)
        }
        let desired = try input.int("desiredCount")
        if let desired, desired < 0 { throw SimError("InvalidParameterException", "desiredCount must be at least 0", status: 400) }
        var target: SimTaskDefinition?
        if let reference = input.string("taskDefinition") {
            let definition = try Self.taskDefinition(reference, account: context.principal.account, region: context.region, state)
            guard definition.status == "ACTIVE" else {
                throw SimError("InvalidParameterException", "TaskDefinition is inactive", status: 400)
            }
            target = definition
        }
        let now = context.now
        let timings = state.timings
        var service = state.clusters[c].services[s]
        Self.settle(&service, now: now, timings: timings)
        let newDefinition = target.map { $0.arn != service.taskDefinition } ?? false
        let count = desired ?? service.desiredCount
        if newDefinition || input.bool("forceNewDeployment") == true {
            // The current deployments keep their tasks until the new one's run (min healthy 100 %).
            for i in service.deployments.indices {
                let d = service.deployments[i]
                if i == 0 { service.deployments[i].runningAtStart = d.running(at: now, taskStart: timings.ecsTaskStart) }
            }
            let id = "ecs-svc/" + String(1_000_000_000_000_000_000 + state.nextSerial() * 7_919)
            let definition = target?.arn ?? service.taskDefinition
            service.deployments.insert(
                SimECSDeployment(id: id, taskDefinition: definition, desiredCount: count, runningAtStart: 0, createdAt: now, rampFrom: now),
                at: 0)
            service.taskDefinition = definition
            service.events.insert(
                (
                    id: UUIDText.make(state.nextSerial()), createdAt: now,
                    message: "(service \(service.name)) has started a new deployment \(id)."
                ), at: 0)
        } else if let desired, !service.deployments.isEmpty {
            let running = service.deployments[0].running(at: now, taskStart: timings.ecsTaskStart)
            service.deployments[0].runningAtStart = running
            service.deployments[0].rampFrom = now
            service.deployments[0].desiredCount = desired
        }
        service.desiredCount = count
        state.clusters[c].services[s] = service
        context.mutated = true
        return ["service": Self.render(service, cluster: state.clusters[c], now: now, timings: timings)]
    }

    // MARK: The rollout

    /// Drops deployments that have drained by `now` (so they are gone from later answers).
    static func settle(_ service: inout SimECSService, now: Date, timings: SwitchoverTimings) {
        guard let primary = service.deployments.first, service.deployments.count > 1 else { return }
        let done = primary.fullyRunning(taskStart: timings.ecsTaskStart).addingTimeInterval(timings.ecsDrain)
        if now >= done { service.deployments = [primary] }
    }

    static func render(_ service: SimECSService, cluster: SimECSCluster, now: Date, timings: SwitchoverTimings) -> [String: Any] {
        var service = service
        settle(&service, now: now, timings: timings)
        guard let primary = service.deployments.first else { return [:] }
        let fullyRunning = primary.fullyRunning(taskStart: timings.ecsTaskStart)
        let older = service.deployments.count > 1
        let completedAt = older ? fullyRunning.addingTimeInterval(timings.ecsDrain) : fullyRunning
        let completed = now >= completedAt
        var deployments: [[String: Any]] = []
        var running = 0
        var pending = 0
        for (i, d) in service.deployments.enumerated() {
            let r = i == 0 ? d.running(at: now, taskStart: timings.ecsTaskStart) : (now >= fullyRunning ? 0 : d.runningAtStart)
            let p = i == 0 && r < d.desiredCount ? 1 : 0
            running += r
            pending += p
            var item: [String: Any] = [
                "id": d.id, "status": i == 0 ? "PRIMARY" : "ACTIVE", "taskDefinition": d.taskDefinition,
                "desiredCount": i == 0 ? d.desiredCount : 0,
                "runningCount": r, "pendingCount": p, "failedTasks": 0, "launchType": service.launchType,
                "createdAt": SimJSON.time(d.createdAt), "updatedAt": SimJSON.time(i == 0 && completed ? completedAt : d.createdAt),
            ]
            if i == 0 {
                item["rolloutState"] = completed ? "COMPLETED" : "IN_PROGRESS"
                item["rolloutStateReason"] = completed ? "ECS deployment \(d.id) completed." : "ECS deployment \(d.id) in progress."
            } else {
                item["rolloutState"] = "COMPLETED"
            }
            deployments.append(item)
        }
        var events = service.events.map { ["id": $0.id, "createdAt": SimJSON.time($0.createdAt), "message": $0.message] as [String: Any] }
        if completed {
            events.insert(
                [
                    "id": UUIDText.make(Int(completedAt.timeIntervalSince1970)), "createdAt": SimJSON.time(completedAt),
                    "message": "(service \(service.name)) has reached a steady state.",
                ], at: 0)
        }
        return [
            "serviceArn": service.arn, "serviceName": service.name, "clusterArn": cluster.arn, "status": "ACTIVE",
            "desiredCount": service.desiredCount, "runningCount": running, "pendingCount": pending, "launchType": service.launchType,
            "taskDefinition": service.taskDefinition, "deployments": deployments, "events": Array(events.prefix(100)),
            "createdAt": SimJSON.time(service.createdAt), "schedulingStrategy": "REPLICA",
            "deploymentConfiguration": ["maximumPercent": 200, "minimumHealthyPercent": 100],
        ]
    }

    // MARK: Lookup

    static func cluster(_ reference: String?, _ context: SimCallContext, _ state: SwitchoverState) throws(SimError) -> Int {
        let name = lastComponent(reference ?? "default")
        guard
            let index = state.clusters.firstIndex(where: {
                $0.account == context.principal.account && $0.region == context.region && $0.name == name
            })
        else {
            throw SimError("ClusterNotFoundException", "Cluster not found.", status: 400)
        }
        return index
    }

    /// `family`, `family:revision` or an ARN; a bare family is its latest ACTIVE revision.
    static func taskDefinition(
        _ reference: String, account: String, region: String, _ state: SwitchoverState
    ) throws(SimError) -> SimTaskDefinition {
        let bare = reference.hasPrefix("arn:") ? lastComponent(reference) : reference
        let parts = bare.split(separator: ":")
        let family = parts.first.map(String.init) ?? bare
        let mine = state.taskDefinitions.filter { $0.account == account && $0.region == region && $0.family == family }
        let found: SimTaskDefinition?
        if parts.count == 2, let revision = Int(parts[1]) {
            found = mine.first { $0.revision == revision }
        } else {
            found = mine.filter { $0.status == "ACTIVE" }.max { $0.revision < $1.revision }
        }
        guard let found else { throw SimError("ClientException", "Unable to describe task definition.", status: 400) }
        return found
    }

    static func render(_ definition: SimTaskDefinition) -> [String: Any] {
        [
            "taskDefinitionArn": definition.arn, "family": definition.family, "revision": definition.revision, "status": definition.status,
            "containerDefinitions": [Any](), "registeredAt": SimJSON.time(definition.registeredAt),
        ]
    }

    static func lastComponent(_ reference: String) -> String {
        reference.split(separator: "/").last.map(String.init) ?? reference
    }
}

/// A UUID-shaped event ID derived from a number (reproducible per world).
enum UUIDText {
    static func make(_ n: Int) -> String {
        let hex = String(format: "%032llx", UInt64(truncatingIfNeeded: n) &* 0x9E37_79B9_7F4A_7C15)
        let c = Array(hex)
        return "\(String(c[0..<8]))-\(String(c[8..<12]))-\(String(c[12..<16]))-\(String(c[16..<20]))-\(String(c[20..<32]))"
    }
}
