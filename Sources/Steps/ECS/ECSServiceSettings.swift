import Engine
import Foundation
import Runbook

/// What the primitives of an `ecs.update-service` step read from their plan inputs: the service
/// (account, cluster, name), the changes, and the wait's limits. The definition writes these
/// inputs and the executors read them back, so both sides share one spelling.
struct ECSServiceSettings: Sendable, Hashable {
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

    init(_ step: PlannedStep) throws {
        let inputs = step.inputs
        func missing(_ key: String) -> StepError {
            StepError(code: StepErrorCode.invalidInputs, message: "step \(step.id) has no input `\(key)`; re-plan the runbook", retryable: false)
        }
        guard let account = inputs["account"]?.stringValue else { throw missing("account") }
        guard let cluster = inputs["cluster"]?.stringValue else { throw missing("cluster") }
        guard let service = inputs["service"]?.stringValue else { throw missing("service") }
        self.init(
            account: account, cluster: cluster, service: service, taskDefinition: inputs["taskDefinition"]?.stringValue,
            desiredCount: inputs["desiredCount"]?.numberValue.map { Int($0) }, forceNewDeployment: inputs["forceNewDeployment"]?.boolValue ?? false,
            within: .seconds(inputs["within"]?.numberValue ?? 1_800), every: .seconds(inputs["every"]?.numberValue ?? 15))
    }

    var json: JSONValue {
        var entries: [(String, JSONValue)] = [("account", .string(account)), ("cluster", .string(cluster)), ("service", .string(service))]
        if let taskDefinition { entries.append(("taskDefinition", .string(taskDefinition))) }
        if let desiredCount { entries.append(("desiredCount", .number(Double(desiredCount)))) }
        if forceNewDeployment { entries.append(("forceNewDeployment", .bool(true))) }
        entries += [("within", .number(within.timeInterval)), ("every", .number(every.timeInterval))]
        return .object(entries)
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
