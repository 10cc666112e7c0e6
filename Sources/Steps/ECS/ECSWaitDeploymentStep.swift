import AWSClient
import AWSServices
import Engine
import Foundation
import Runbook

/// `ecs.wait-deployment`: polls the service through the engine (`.notYet`, so every look is
/// journaled and a restart polls on) until the deployment the update started has rolled out
/// (`ECSRollout`). `FAILED` fails the step with the service's latest events; a deployment that
/// is still rolling out `within` after the update (its journaled `startedAt`, not "now" after a
/// restart) fails with `WaitTimeout`. Either failure waits for the operator's decision:
/// `keep-waiting` looks again with no time limit (the decision is what lifts it; an operator
/// `retry` alone would meet the same limit again), `rollback`, or `pause`.
struct ECSWaitDeploymentStep: SessionStep {
    typealias Work = ECSServiceContext
    let sessions: any AccountSessions

    static let decisionOptions: [DecisionOption] = [.keepWaiting, .rollback, .pause]

    /// How the rollout ended.
    struct Outputs: Encodable, Sendable {
        var runningCount: Int
        var deploymentId: String
        var taskDefinition: String
        var rolloutState: String
    }

    func run(_ settings: ECSServiceSettings, _ context: StepContext) async throws -> TypedStepResult<Outputs> {
        let ecs = work(context, settings)
        let service = try await ecs.service()
        switch ECSRollout.judge(service, deployment: ecs.output(of: "update", "deploymentId")) {
        case .completed(let deployment):
            return .done(outputs(service, deployment))
        case .failed(let reason):
            throw StepError(
                code: "DeploymentFailed", message: "\(ecs.resource): \(reason)", retryable: false,
                account: ecs.accountId, resource: service.serviceArn ?? ecs.resource)
        case .inProgress(let progress):
            if context.decision == nil, let started = ecs.output(of: "update", "startedAt").flatMap(RunbookTimestamp.parse),
                ecs.now() >= started.addingTimeInterval(ecs.settings.within.timeInterval)
            {
                throw StepError(
                    code: "WaitTimeout",
                    message:
                        "\(ecs.resource) has not finished rolling out \(RunbookDuration.format(ecs.settings.within)) after the update: \(progress); "
                        + "choose keep-waiting to wait on, or rollback",
                    retryable: false, account: ecs.accountId, resource: service.serviceArn ?? ecs.resource)
            }
            await context.progress("\(ecs.resource): \(progress)")
            return .notYet(progress: "\(ecs.resource): \(progress)", after: ecs.settings.every)
        }
    }

    /// Read-only: done when the rollout has finished; otherwise `run` polls on.
    func check(_ context: StepContext) async throws -> CheckResult {
        let ecs = try work(context)
        let service = try await ecs.service()
        if case .completed(let deployment) = ECSRollout.judge(service, deployment: ecs.output(of: "update", "deploymentId")) {
            return try .done(outputs(service, deployment))
        }
        return .notDone
    }

    private func outputs(_ service: ECSService, _ deployment: ECSDeployment) -> Outputs {
        Outputs(
            runningCount: service.runningCount, deploymentId: deployment.id, taskDefinition: service.taskDefinition ?? "",
            rolloutState: deployment.rolloutState ?? "")
    }
}
