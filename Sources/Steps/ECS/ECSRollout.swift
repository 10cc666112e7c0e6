import AWSServices

/// Where a service's rollout stands, judged from one DescribeServices answer. Pure, so the
/// decision is tested on its own; the wait and the undo act on it.
///
/// Finished means: the PRIMARY deployment's `rolloutState` is `COMPLETED` (or, for services ECS
/// gives no rollout state — a Classic Load Balancer, an external controller — it is the only
/// deployment, as botocore's `ServicesStable` waiter requires), and both the deployment and the
/// service run as many tasks as they want. `FAILED` (the deployment circuit breaker) fails.
enum ECSRollout: Sendable, Equatable {
    case completed(ECSDeployment)
    case inProgress(String)
    case failed(String)

    /// How many of the service's latest events a failure quotes.
    static let eventsQuoted = 3

    /// - Parameter deployment: the deployment the update started, when known: the rollout must
    ///   be that one's. Another PRIMARY means it was replaced (rolled back by the circuit
    ///   breaker, or someone else deployed), which the cutover must not mistake for success.
    static func judge(_ service: ECSService, deployment: String?) -> ECSRollout {
        if let deployment {
            if let ours = service.deployments.first(where: { $0.id == deployment }), ours.rolloutState == "FAILED" {
                return .failed(failure(ours, service))
            }
            guard let primary = service.primaryDeployment, primary.id == deployment else {
                let now =
                    service.primaryDeployment.map { "deployment \($0.id) (task definition \($0.taskDefinition ?? "?"))" } ?? "no deployment"
                return .failed("deployment \(deployment) was replaced: \(now) is PRIMARY now" + events(service))
            }
        }
        guard let primary = service.primaryDeployment else { return .inProgress("no PRIMARY deployment yet") }
        if primary.rolloutState == "FAILED" { return .failed(failure(primary, service)) }
        let rolledOut = primary.rolloutState.map { $0 == "COMPLETED" } ?? (service.deployments.count == 1)
        let running = primary.runningCount ?? service.runningCount
        let desired = primary.desiredCount ?? service.desiredCount
        if rolledOut && running == desired && service.runningCount == service.desiredCount { return .completed(primary) }
        var progress =
            "deployment \(primary.id) \(primary.rolloutState ?? "rolling out"): \(service.runningCount) of \(service.desiredCount) tasks running"
        if let pending = primary.pendingCount, pending > 0 { progress += ", \(pending) pending" }
        if service.deployments.count > 1 { progress += ", \(service.deployments.count - 1) older deployment(s) draining" }
        return .inProgress(progress)
    }

    private static func failure(_ deployment: ECSDeployment, _ service: ECSService) -> String {
        "deployment \(deployment.id) FAILED" + (deployment.rolloutStateReason.map { ": \($0)" } ?? "") + events(service)
    }

    private static func events(_ service: ECSService) -> String {
        let latest = service.events.prefix(eventsQuoted).compactMap(\.message)
        return latest.isEmpty ? "" : "; latest service events: " + latest.joined(separator: " | ")
    }
}
