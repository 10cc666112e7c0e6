import Engine
import Foundation
import Runbook

/// What the primitives of an `ecs.update-service` step read from their plan inputs: the service
/// (account, cluster, name), the changes, and the wait's limits. The definition encodes these
/// inputs and the executors decode them (`StepValues`), so both sides share one spelling.
struct ECSServiceSettings: Codable, Sendable, Hashable {
    var account: String
    var cluster: String
    var service: String
    /// `family`, `family:revision` or an ARN, as the runbook wrote it; the `read` primitive
    /// resolves it to an ARN, which is what the update sends and compares.
    var taskDefinition: String?
    var desiredCount: Int?
    var forceNewDeployment: Bool
    /// How long the rollout may take, counted from the update.
    var within: Duration
    /// Time between looks at the rollout.
    var every: Duration

    init(
        account: String, cluster: String, service: String, taskDefinition: String?, desiredCount: Int?, forceNewDeployment: Bool,
        within: Duration, every: Duration
    ) {
        self.account = account
        self.cluster = cluster
        self.service = service
        self.taskDefinition = taskDefinition
        self.desiredCount = desiredCount
        self.forceNewDeployment = forceNewDeployment
        self.within = within
        self.every = every
    }

    enum CodingKeys: String, CodingKey {
        case account, cluster, service, taskDefinition, desiredCount, forceNewDeployment, within, every
    }

    /// Durations are seconds; `forceNewDeployment` is written only when true.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            account: try container.decode(String.self, forKey: .account), cluster: try container.decode(String.self, forKey: .cluster),
            service: try container.decode(String.self, forKey: .service),
            taskDefinition: try container.decodeIfPresent(String.self, forKey: .taskDefinition),
            desiredCount: try container.decodeIfPresent(Int.self, forKey: .desiredCount),
            forceNewDeployment: try container.decodeIfPresent(Bool.self, forKey: .forceNewDeployment) ?? false,
            within: .seconds(try container.decodeIfPresent(Double.self, forKey: .within) ?? 1_800),
            every: .seconds(try container.decodeIfPresent(Double.self, forKey: .every) ?? 15))
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(account, forKey: .account)
        try container.encode(cluster, forKey: .cluster)
        try container.encode(service, forKey: .service)
        try container.encodeIfPresent(taskDefinition, forKey: .taskDefinition)
        try container.encodeIfPresent(desiredCount, forKey: .desiredCount)
        if forceNewDeployment { try container.encode(true, forKey: .forceNewDeployment) }
        try container.encode(within.timeInterval, forKey: .within)
        try container.encode(every.timeInterval, forKey: .every)
    }

    /// `task definition admin:42, 3 tasks, forced`: what `plan` says the update changes.
    var changeSummary: String {
        var parts: [String] = []
        if let taskDefinition { parts.append("task definition \(taskDefinition)") }
        if let desiredCount { parts.append("\(desiredCount) task\(desiredCount == 1 ? "" : "s")") }
        if forceNewDeployment { parts.append(parts.isEmpty ? "a forced new deployment" : "forced new deployment") }
        return parts.joined(separator: ", ")
    }
}
