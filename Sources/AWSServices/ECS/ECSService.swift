/// An ECS service as DescribeServices and UpdateService report it: what a redeploy reads before
/// changing it (to restore it on rollback) and watches until the rollout has finished.
public struct ECSService: Sendable, Hashable, Decodable {
    public var serviceArn: String?
    public var serviceName: String?
    public var clusterArn: String?
    /// `ACTIVE`, `DRAINING` or `INACTIVE`.
    public var status: String?
    public var desiredCount: Int
    public var runningCount: Int
    public var pendingCount: Int?
    /// The task definition ARN new tasks start from.
    public var taskDefinition: String?
    public var deployments: [ECSDeployment]
    /// Newest first, as ECS lists them.
    public var events: [ECSServiceEvent]

    public init(
        serviceArn: String? = nil, serviceName: String? = nil, clusterArn: String? = nil, status: String? = "ACTIVE",
        desiredCount: Int, runningCount: Int, pendingCount: Int? = nil, taskDefinition: String?,
        deployments: [ECSDeployment] = [], events: [ECSServiceEvent] = []
    ) {
        self.serviceArn = serviceArn
        self.serviceName = serviceName
        self.clusterArn = clusterArn
        self.status = status
        self.desiredCount = desiredCount
        self.runningCount = runningCount
        self.pendingCount = pendingCount
        self.taskDefinition = taskDefinition
        self.deployments = deployments
        self.events = events
    }

    /// The deployment ECS is rolling out (status `PRIMARY`).
    public var primaryDeployment: ECSDeployment? { deployments.first { $0.status == "PRIMARY" } }

    enum CodingKeys: String, CodingKey {
        case serviceArn, serviceName, clusterArn, status, desiredCount, runningCount, pendingCount, taskDefinition, deployments, events
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        serviceArn = try c.decodeIfPresent(String.self, forKey: .serviceArn)
        serviceName = try c.decodeIfPresent(String.self, forKey: .serviceName)
        clusterArn = try c.decodeIfPresent(String.self, forKey: .clusterArn)
        status = try c.decodeIfPresent(String.self, forKey: .status)
        desiredCount = try c.decode(Int.self, forKey: .desiredCount)
        runningCount = try c.decode(Int.self, forKey: .runningCount)
        pendingCount = try c.decodeIfPresent(Int.self, forKey: .pendingCount)
        taskDefinition = try c.decodeIfPresent(String.self, forKey: .taskDefinition)
        deployments = try c.decodeIfPresent([ECSDeployment].self, forKey: .deployments) ?? []
        events = try c.decodeIfPresent([ECSServiceEvent].self, forKey: .events) ?? []
    }
}

/// One deployment of a service. `rolloutState` (`IN_PROGRESS`, `COMPLETED`, `FAILED`) exists only
/// for rolling-update services not behind a Classic Load Balancer; `FAILED` needs the deployment
/// circuit breaker.
public struct ECSDeployment: Sendable, Hashable, Decodable {
    public var id: String
    /// `PRIMARY` (the newest), `ACTIVE` (older, draining) or `INACTIVE`.
    public var status: String
    public var taskDefinition: String?
    public var desiredCount: Int?
    public var runningCount: Int?
    public var pendingCount: Int?
    public var failedTasks: Int?
    public var rolloutState: String?
    public var rolloutStateReason: String?

    public init(
        id: String, status: String, taskDefinition: String? = nil, desiredCount: Int? = nil, runningCount: Int? = nil,
        pendingCount: Int? = nil, failedTasks: Int? = nil, rolloutState: String? = nil, rolloutStateReason: String? = nil
    ) {
        self.id = id
        self.status = status
        self.taskDefinition = taskDefinition
        self.desiredCount = desiredCount
        self.runningCount = runningCount
        self.pendingCount = pendingCount
        self.failedTasks = failedTasks
        self.rolloutState = rolloutState
        self.rolloutStateReason = rolloutStateReason
    }
}

/// A line of the service's event log (`(service admin) has reached a steady state.`).
public struct ECSServiceEvent: Sendable, Hashable, Decodable {
    public var id: String?
    public var message: String?

    public init(id: String? = nil, message: String?) {
        self.id = id
        self.message = message
    }
}

/// A service DescribeServices could not describe (`reason` `MISSING` for one that does not exist).
public struct ECSFailure: Sendable, Hashable, Decodable {
    public var arn: String?
    public var reason: String?
    public var detail: String?

    public init(arn: String? = nil, reason: String? = nil, detail: String? = nil) {
        self.arn = arn
        self.reason = reason
        self.detail = detail
    }
}
