import AWSClient
import Engine
import Foundation
import Steps
import Synchronization

/// An in-process stand-in for the ECS API (JSON 1.1, the three operations Cutover calls) whose
/// rollouts progress on the engine's virtual clock — what moto cannot do (its deployments keep
/// the rollout state they got at creation; docs/MOTO-FINDINGS.md). Our real client talks to it
/// through the transport, so the requests are signed and decoded exactly as against AWS.
///
/// A deployment brings its tasks up (or down) one every `taskInterval`; it is COMPLETED when it
/// runs its desired count and the older deployments have drained. A deployment started while
/// `failNextDeployment` is set instead turns FAILED `failAfter` into its rollout, with service
/// events as ECS writes them.
final class FakeECS: HTTPTransport {
    struct Deployment {
        var id: String
        var taskDefinition: String
        var desired: Int
        var running: Int
        /// When `running` was last rebased (a change of the desired count).
        var since: Date
        var createdAt: Date
        var failsAt: Date?
        /// Its tasks never start, and nothing fails it (no circuit breaker): IN_PROGRESS for ever.
        var stalled = false
    }

    struct State {
        var desiredCount: Int
        var taskDefinition: String
        var deployments: [Deployment]
        var events: [String] = []
        var failNextDeployment = false
        var stallNextDeployment = false
        /// Someone else deploys this long after the next UpdateService (once).
        var othersDeployAfter: TimeInterval?
        var othersDeployAt: Date?
        var counts: [String: Int] = [:]
        var nextId = 1
    }

    let clock: ManualClock
    let cluster = "admin"
    let service = "admin-web"
    let family = "admin-web"
    let taskInterval: TimeInterval
    let failAfter: TimeInterval = 90
    private let state: Mutex<State>

    static let account = "222222222222"

    func revision(_ n: Int) -> String { "arn:aws:ecs:us-east-1:\(Self.account):task-definition/\(family):\(n)" }

    /// A service on revision 1 with `desiredCount` tasks, all running; revisions 1–3 exist.
    init(clock: ManualClock, desiredCount: Int = 2, taskInterval: TimeInterval = 20) {
        self.clock = clock
        self.taskInterval = taskInterval
        let now = clock.now()
        let first = Deployment(
            id: "ecs-svc/0", taskDefinition: "arn:aws:ecs:us-east-1:\(Self.account):task-definition/admin-web:1", desired: desiredCount,
            running: desiredCount, since: now, createdAt: now)
        state = Mutex(State(desiredCount: desiredCount, taskDefinition: first.taskDefinition, deployments: [first]))
    }

    func failNextDeployment() { state.withLock { $0.failNextDeployment = true } }
    func stallNextDeployment() { state.withLock { $0.stallNextDeployment = true } }
    /// A stalled deployment's tasks start coming up from now on.
    func unstall() {
        let now = clock.now()
        state.withLock { state in
            for i in state.deployments.indices where state.deployments[i].stalled {
                state.deployments[i].stalled = false
                state.deployments[i].since = now
            }
        }
    }
    /// Another deployment (not Cutover's) starts `after` seconds into the next rollout.
    func othersDeploy(after: TimeInterval) { state.withLock { $0.othersDeployAfter = after } }
    func count(_ operation: String) -> Int { state.withLock { $0.counts[operation] ?? 0 } }
    var taskDefinition: String { state.withLock { $0.taskDefinition } }
    var desiredCount: Int { state.withLock { $0.desiredCount } }

    func send(_ request: HTTPRequest, timeout: TransportTimeouts) async throws -> HTTPResponse {
        let operation = OperationCounter.operation(of: request) ?? "?"
        let input = (try? JSONSerialization.jsonObject(with: request.body) as? [String: Any]) ?? [:]
        let now = clock.now()
        let (status, body): (Int, Data) = state.withLock { state in
            let (status, object) = answer(operation, input, &state, now)
            return (status, (try? JSONSerialization.data(withJSONObject: object)) ?? Data())
        }
        return HTTPResponse(
            status: status,
            headers: HTTPHeaders([("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-RequestId", "fake-\(UUID().uuidString)")]),
            body: body)
    }

    private func answer(_ operation: String, _ input: [String: Any], _ state: inout State, _ now: Date) -> (Int, Any) {
        state.counts[operation, default: 0] += 1
        switch operation {
        case "DescribeServices":
            let names = input["services"] as? [String] ?? []
            let found = names.filter { $0 == service }
            return (
                200,
                [
                    "services": found.map { _ in describe(&state, now) },
                    "failures": names.filter { $0 != service }.map {
                        ["arn": "arn:aws:ecs:us-east-1:\(Self.account):service/\(cluster)/\($0)", "reason": "MISSING"]
                    },
                ]
            )
        case "DescribeTaskDefinition":
            let wanted = input["taskDefinition"] as? String ?? ""
            let n: Int? = wanted == family ? 3 : Int(wanted.split(separator: ":").last.map(String.init) ?? "")
            guard let n, (1...3).contains(n), wanted == family || wanted.hasSuffix("\(family):\(n)") else {
                return (400, ["__type": "ClientException", "message": "Unable to describe task definition."])
            }
            return (200, ["taskDefinition": ["taskDefinitionArn": revision(n), "family": family, "revision": n, "status": "ACTIVE"]])
        case "UpdateService":
            guard input["service"] as? String == service else {
                return (400, ["__type": "ServiceNotFoundException", "message": "Service not found."])
            }
            update(&state, input, now)
            return (200, ["service": describe(&state, now)])
        default:
            return (400, ["__type": "InvalidAction", "message": "\(operation) is not faked"])
        }
    }

    private func update(_ state: inout State, _ input: [String: Any], _ now: Date) {
        let newDefinition = (input["taskDefinition"] as? String).flatMap { $0 == state.taskDefinition ? nil : $0 }
        let force = input["forceNewDeployment"] as? Bool ?? false
        if let desired = input["desiredCount"] as? Int {
            state.desiredCount = desired
            if var primary = state.deployments.first {
                primary.running = running(primary, now)
                primary.since = now
                primary.desired = desired
                state.deployments[0] = primary
            }
        }
        guard newDefinition != nil || force else { return }
        if let newDefinition { state.taskDefinition = newDefinition }
        // The older deployments drain as the new one comes up.
        for i in state.deployments.indices {
            state.deployments[i].running = running(state.deployments[i], now)
            state.deployments[i].since = now
            state.deployments[i].desired = 0
        }
        let deployment = Deployment(
            id: "ecs-svc/\(state.nextId)", taskDefinition: state.taskDefinition, desired: state.desiredCount, running: 0, since: now,
            createdAt: now, failsAt: state.failNextDeployment ? now.addingTimeInterval(failAfter) : nil,
            stalled: state.stallNextDeployment)
        state.nextId += 1
        state.failNextDeployment = false
        state.stallNextDeployment = false
        state.othersDeployAt = state.othersDeployAfter.map { now.addingTimeInterval($0) }
        state.othersDeployAfter = nil
        state.deployments.insert(deployment, at: 0)
        state.events.insert("(service \(service)) has started 1 tasks: (task \(deployment.id)).", at: 0)
    }

    /// Tasks move one at a time toward the desired count.
    private func running(_ deployment: Deployment, _ now: Date) -> Int {
        if deployment.stalled { return deployment.running }
        let steps = Int(max(0, now.timeIntervalSince(deployment.since)) / taskInterval)
        if deployment.running < deployment.desired { return min(deployment.desired, deployment.running + steps) }
        return max(deployment.desired, deployment.running - steps)
    }

    private func describe(_ state: inout State, _ now: Date) -> [String: Any] {
        if let at = state.othersDeployAt, now >= at {
            state.othersDeployAt = nil
            update(&state, ["forceNewDeployment": true], at)
        }
        guard let primary = state.deployments.first else { return [:] }
        var failed = false
        if let failsAt = primary.failsAt, now >= failsAt {
            failed = true
            if !state.events.contains(where: { $0.contains("circuit breaker") }) {
                state.events.insert("(service \(service)) (deployment \(primary.id)) deployment failed: tasks failed to start.", at: 0)
                state.events.insert("(service \(service)) deployment \(primary.id) deployment failed: circuit breaker tripped.", at: 0)
            }
        }
        // A deployment bound to fail never gets its tasks healthy.
        let primaryRunning = primary.failsAt != nil ? 0 : running(primary, now)
        var older: [[String: Any]] = []
        var olderRunning = 0
        for old in state.deployments.dropFirst() {
            let left = running(old, now)
            if left > 0 || primaryRunning < primary.desired {
                olderRunning += left
                older.append([
                    "id": old.id, "status": "ACTIVE", "taskDefinition": old.taskDefinition, "desiredCount": 0, "runningCount": left,
                ])
            }
        }
        let completed = !failed && primaryRunning == primary.desired && olderRunning == 0
        if completed, !(state.events.first?.contains("steady state") ?? false) {
            state.events.insert("(service \(service)) has reached a steady state.", at: 0)
        }
        let rollout = failed ? "FAILED" : completed ? "COMPLETED" : "IN_PROGRESS"
        let deployments: [[String: Any]] =
            [
                [
                    "id": primary.id, "status": "PRIMARY", "taskDefinition": primary.taskDefinition, "desiredCount": primary.desired,
                    "runningCount": primaryRunning, "pendingCount": max(0, primary.desired - primaryRunning), "rolloutState": rollout,
                    "rolloutStateReason": failed
                        ? "ECS deployment circuit breaker: tasks failed to start." : "ECS deployment \(primary.id) \(rollout.lowercased())."
                        ,
                ]
            ] + older
        return [
            "serviceArn": "arn:aws:ecs:us-east-1:\(Self.account):service/\(cluster)/\(service)", "serviceName": service, "status": "ACTIVE",
            "desiredCount": state.desiredCount, "runningCount": primaryRunning + olderRunning, "taskDefinition": state.taskDefinition,
            "deployments": deployments,
            "events": state.events.prefix(10).enumerated().map { ["id": "e\($0.offset)", "message": $0.element] },
        ]
    }
}

/// One account, on the fake: what `RunbookAccountSessions` would hand out, without STS.
struct FakeECSSessions: AccountSessions {
    let ecs: FakeECS
    var region: String { "us-east-1" }

    func accountId(_ account: String) -> String? { FakeECS.account }

    func client(_ service: AWSService, account: String) async throws -> AWSClient {
        AWSClient(
            service: service, region: region,
            credentials: StaticCredentialProvider(AWSCredentials(accessKeyId: "AKIAFAKEECS", secretAccessKey: "fake")),
            transport: ecs, endpoints: EndpointResolver(overrideURL: "http://127.0.0.1:9"), retry: .disabled, account: FakeECS.account)
    }
}
