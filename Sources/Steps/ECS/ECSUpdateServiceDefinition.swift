import Foundation
import Runbook

/// `uses: ecs.update-service`: redeploys an ECS service — a new task definition, a desired count,
/// and/or a forced new deployment — and waits until the rollout has finished.
///
/// ```yaml
/// - id: redeploy-app
///   uses: ecs.update-service
///   with:
///     account: product
///     cluster: admin-console
///     service: admin-console-web
///     taskDefinition: admin-console-web:42    # family, family:revision or ARN
///     desiredCount: 2
///     forceNewDeployment: true
///     within: 30m                              # give up waiting after this long (default 30m)
///     every: 15s                               # look this often (default 15s)
/// ```
///
/// Three primitives: `read` journals the service's task definition ARN and desired count before
/// anything changes (what undo puts back) and resolves the task definition to its ARN;
/// `update` calls UpdateService; `wait` polls until the PRIMARY deployment's rollout state is
/// COMPLETED and its running count equals its desired count (FAILED fails the step with the
/// service's latest events; a rollout still going after `within` fails with `WaitTimeout`). A
/// failed wait asks the operator: `keep-waiting` (look again, without the time limit),
/// `rollback` or `pause`. Rollback restores the journaled values and waits again, at most `within`
/// from when the undo began; then the rollback pauses (`retry`, or `mark-undone` once the service
/// is put right by hand).
public struct ECSUpdateServiceDefinition: StepDefinition {
    public static let type = "ecs.update-service"
    public static let readType = "ecs.read-service"
    public static let waitType = "ecs.wait-deployment"
    public init() {}

    public var type: String { Self.type }
    public var summary: String {
        "Update an ECS service (task definition, desired count, forced new deployment) and wait for the rollout; undo restores what it read before."
    }
    public var inputs: [StepInput] {
        [
            StepInput("account", .account, required: true, summary: "The runbook account that owns the service."),
            StepInput("cluster", .string, required: true, summary: "The cluster's name or ARN."),
            StepInput("service", .string, required: true, summary: "The service's name or ARN."),
            StepInput(
                "taskDefinition", .string,
                summary: "The task definition to run: `family` (latest ACTIVE revision), `family:revision` or an ARN."),
            StepInput("desiredCount", .int, summary: "How many tasks to run."),
            StepInput(
                "forceNewDeployment", .bool, summary: "Start new tasks even if nothing else changes (e.g. to pick up a new secret value)."),
            StepInput(
                "within", .duration,
                summary:
                    "Fail if the rollout has not finished this long after the update (default 30m); undo waits as long for the restoring one."
            ),
            StepInput("every", .duration, summary: "Time between looks at the rollout (default 15s)."),
        ]
    }
    public var outputs: [StepOutput] {
        [
            StepOutput(
                "taskDefinition", from: .primitive("update", key: "taskDefinition"), summary: "the task definition ARN the service runs now"
            ),
            StepOutput("deploymentId", from: .primitive("update", key: "deploymentId"), summary: "the deployment the update started"),
            StepOutput("runningCount", from: .primitive("wait", key: "runningCount"), summary: "tasks running once the rollout finished"),
            StepOutput("previousTaskDefinition", from: .primitive("read", key: "previousTaskDefinition"), summary: "what it ran before"),
            StepOutput("previousDesiredCount", from: .primitive("read", key: "previousDesiredCount")),
        ]
    }

    public func expand(_ step: StepSpec, in context: ExpansionContext) throws(RunbookDiagnostics) -> [PrimitiveTemplate] {
        var reader = StepInputReader(step, context: context)
        let account = reader.account("account", required: true) ?? ""
        let cluster = reader.string("cluster", required: true) ?? ""
        let service = reader.string("service", required: true) ?? ""
        let taskDefinition = reader.string("taskDefinition")
        let desiredCount = reader.int("desiredCount")
        let force = reader.bool("forceNewDeployment") ?? false
        let within = reader.duration("within") ?? .seconds(1_800)
        let every = reader.duration("every") ?? .seconds(15)

        if taskDefinition == nil, desiredCount == nil, !force, reader.diagnostics.isEmpty {
            reader.report(
                "nothing-to-do", "step `\(step.id)` (\(Self.type)) changes nothing",
                hint: "give `taskDefinition`, `desiredCount` or `forceNewDeployment: true`", at: step.with)
        }
        if let value = reader.value("taskDefinition"), let text = taskDefinition, !text.contains("${"), !Self.isTaskDefinition(text) {
            reader.report(
                "bad-value", "`with.taskDefinition` of step `\(step.id)` is not a task definition: `\(text)`",
                hint: "write `family`, `family:revision` (e.g. `admin-console-web:42`) or its ARN", at: value)
        }
        if let value = reader.value("desiredCount"), let count = desiredCount, count < 0 {
            reader.report(
                "bad-value", "`with.desiredCount` of step `\(step.id)` is negative: \(count)", hint: "write `0` or more", at: value)
        }
        if let value = reader.value("every"), every <= .zero || every > within {
            reader.report(
                "bad-value",
                "`with.every` of step `\(step.id)` must be more than 0 and at most `within` (\(RunbookDuration.format(within)))",
                hint: "e.g. `every: 15s`", at: value)
        }
        if let value = reader.value("within"), within <= .zero {
            reader.report("bad-value", "`with.within` of step `\(step.id)` must be more than 0", hint: "e.g. `within: 30m`", at: value)
        }
        try reader.finish()

        let settings = ECSServiceSettings(
            account: account, cluster: cluster, service: service, taskDefinition: taskDefinition, desiredCount: desiredCount,
            forceNewDeployment: force, within: within, every: every)
        let inputs = try StepValues.encode(settings, of: step)
        let where_ = "\(cluster)/\(service) in \(account)"
        return [
            PrimitiveTemplate(
                name: "read", type: Self.readType, title: "Read ECS service \(where_) (what undo restores)", account: account,
                effect: .readOnly, reversibility: .nothingToUndo, estimatedDuration: .seconds(2), inputs: inputs),
            PrimitiveTemplate(
                name: "update", type: Self.type, title: "Update ECS service \(where_): \(settings.changeSummary)", account: account,
                effect: .mutating, reversibility: .reversible, estimatedDuration: .seconds(2), inputs: inputs),
            PrimitiveTemplate(
                name: "wait", type: Self.waitType, title: "Wait for ECS service \(where_) to finish rolling out", account: account,
                effect: .readOnly, reversibility: .nothingToUndo, estimatedDuration: .seconds(180), inputs: inputs,
                retry: RetryPolicy(backoff: .fixed(interval: every), maxElapsed: within), onFailure: .decide,
                decisionOptions: ECSWaitDeploymentStep.decisionOptions),
        ]
    }

    /// `family`, `family:revision` or `arn:…:task-definition/family:revision`; a family is up to
    /// 255 letters, digits, hyphens and underscores.
    public static func isTaskDefinition(_ text: String) -> Bool {
        var name = Substring(text)
        if text.hasPrefix("arn:") {
            guard let range = text.range(of: ":task-definition/") else { return false }
            name = text[range.upperBound...]
        }
        let parts = name.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let family = parts.first, (1...255).contains(family.count),
            family.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        else { return false }
        return parts.count == 1 || (Int(parts[1]).map { $0 > 0 } ?? false)
    }
}
