import AWSClient
import AWSServices
import Engine
import Foundation
import Runbook

/// `ecs.read-service`: reads the service before anything changes it and journals what undo must
/// put back — the task definition ARN and desired count (neither is secret) — and the PRIMARY
/// deployment it runs, by which the update's `check` tells a forced deployment happened. It also
/// resolves the runbook's task definition (`family`, `family:revision`) to the exact revision's
/// ARN, so the update sends, and `check` compares, one unambiguous value. These outputs are
/// journaled before the update's intent: a crash in the middle of the update cannot lose them.
struct ECSReadServiceStep: SessionStep {
    typealias Work = ECSServiceContext
    let sessions: any AccountSessions

    /// What undo puts back, what `check` compares against, and the task definition to send.
    struct Outputs: Encodable, Sendable {
        var previousTaskDefinition: String
        var previousDesiredCount: Int
        var previousDeploymentId: String
        var serviceArn: String
        /// The runbook's task definition resolved to its revision's ARN (when it names one).
        var targetTaskDefinition: String?
    }

    func run(_ settings: ECSServiceSettings, _ context: StepContext) async throws -> TypedStepResult<Outputs> {
        let ecs = work(context, settings)
        let service = try await ecs.service()
        var outputs = Outputs(
            previousTaskDefinition: service.taskDefinition ?? "", previousDesiredCount: service.desiredCount,
            previousDeploymentId: service.primaryDeployment?.id ?? "", serviceArn: service.serviceArn ?? "")
        if let wanted = ecs.settings.taskDefinition {
            let client = try await ecs.client()
            let definition = try await AWSCallBoundary.read(account: ecs.accountId, resource: wanted) {
                try await client.describeTaskDefinition(wanted)
            }
            guard definition.status == nil || definition.status == "ACTIVE" else {
                throw StepError(
                    code: "TaskDefinitionInactive",
                    message: "task definition \(definition.taskDefinitionArn) is \(definition.status ?? "?"); register a new revision",
                    retryable: false, account: ecs.accountId, resource: definition.taskDefinitionArn)
            }
            outputs.targetTaskDefinition = definition.taskDefinitionArn
        }
        return .done(outputs)
    }

    /// Read-only and journaled before anything changes: after a crash the read is simply made again.
    func check(_ context: StepContext) async throws -> CheckResult { .notDone }
}
