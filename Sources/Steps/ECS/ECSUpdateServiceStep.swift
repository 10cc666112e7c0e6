import AWSClient
import AWSServices
import Engine
import Foundation
import Runbook

/// `ecs.update-service` (the primitive): UpdateService with the task definition (as the `read`
/// primitive resolved it), desired count and forced new deployment the runbook asks for.
///
/// `check` (and a second `run`) compare the service with the request instead of repeating it: the
/// task definition ARN and desired count are there, and for a forced deployment the PRIMARY
/// deployment is no longer the one `read` saw. Undo puts back the task definition and desired
/// count `read` journaled and waits until that rollout has finished too: it is a compensation
/// that polls (`.notYet`), so every look is journaled and a restart looks again instead of
/// updating again. A forced deployment alone has nothing to put back: undo then only waits for
/// the service to be stable. The undo waits at most `within` from when it began (a restart or its
/// polls do not move that): a restoring rollout that never finishes, with no circuit breaker to
/// fail it, pauses the rollback with `WaitTimeout` instead of polling for ever; the operator's
/// retry waits `within` again.
struct ECSUpdateServiceStep: SessionStep {
    typealias Work = ECSServiceContext
    let sessions: any AccountSessions

    /// What the service runs after the update, its PRIMARY deployment (the wait follows it), and
    /// when the update was made (the wait's `within` counts from then).
    struct Outputs: Encodable, Sendable {
        var taskDefinition: String
        var desiredCount: Int
        var deploymentId: String
        var startedAt: Date
    }

    func run(_ settings: ECSServiceSettings, _ context: StepContext) async throws -> TypedStepResult<Outputs> {
        let ecs = work(context, settings)
        let target = try target(ecs)
        let current = try await ecs.service()
        if applied(current, target, ecs) { return .done(outputs(current, ecs)) }
        let updated = try await ecs.update(
            UpdateServiceRequest(
                cluster: ecs.settings.cluster, service: ecs.settings.service, taskDefinition: target.taskDefinition,
                desiredCount: target.desiredCount, forceNewDeployment: ecs.settings.forceNewDeployment ? true : nil))
        return .done(outputs(updated, ecs))
    }

    func check(_ context: StepContext) async throws -> CheckResult {
        let ecs = try work(context)
        let current = try await ecs.service()
        return applied(current, try target(ecs), ecs) ? try .done(outputs(current, ecs)) : .notDone
    }

    func compensate(_ context: StepContext) async throws -> StepResult {
        let ecs = try work(context)
        let previousTaskDefinition = try ecs.required("read", "previousTaskDefinition")
        guard let previousCount = Int(try ecs.required("read", "previousDesiredCount")) else {
            throw StepError(
                code: "OutputMissing", message: "\(context.step.origin).read journaled no valid desired count", retryable: false)
        }
        let current = try await ecs.service()
        if current.taskDefinition != previousTaskDefinition || current.desiredCount != previousCount {
            _ = try await ecs.update(
                UpdateServiceRequest(
                    cluster: ecs.settings.cluster, service: ecs.settings.service,
                    taskDefinition: current.taskDefinition == previousTaskDefinition ? nil : previousTaskDefinition,
                    desiredCount: current.desiredCount == previousCount ? nil : previousCount))
            return .notYet(
                progress: "restoring \(ecs.resource) to \(previousTaskDefinition), \(previousCount) tasks", after: ecs.settings.every)
        }
        switch ECSRollout.judge(current, deployment: nil) {
        case .completed:
            return .done()
        case .inProgress(let progress):
            if let began = context.undoStartedAt, ecs.now() >= began.addingTimeInterval(ecs.settings.within.timeInterval) {
                throw StepError(
                    code: "WaitTimeout",
                    message:
                        "restoring \(ecs.resource) has not finished \(RunbookDuration.format(ecs.settings.within)) after the undo began: \(progress); "
                        + "retry to keep waiting, or put the service right by hand and mark the undo done",
                    retryable: false, account: ecs.accountId, resource: current.serviceArn ?? ecs.resource)
            }
            await context.progress("restoring \(ecs.resource): \(progress)")
            return .notYet(progress: "restoring \(ecs.resource): \(progress)", after: ecs.settings.every)
        case .failed(let reason):
            throw StepError(
                code: "DeploymentFailed", message: "restoring \(ecs.resource): \(reason)", retryable: false,
                account: ecs.accountId, resource: current.serviceArn ?? ecs.resource)
        }
    }

    private struct Target {
        var taskDefinition: String?
        var desiredCount: Int?
    }

    private func target(_ ecs: ECSServiceContext) throws -> Target {
        Target(
            taskDefinition: ecs.settings.taskDefinition == nil ? nil : try ecs.required("read", "targetTaskDefinition"),
            desiredCount: ecs.settings.desiredCount)
    }

    private func applied(_ service: ECSService, _ target: Target, _ ecs: ECSServiceContext) -> Bool {
        if let wanted = target.taskDefinition, service.taskDefinition != wanted { return false }
        if let wanted = target.desiredCount, service.desiredCount != wanted { return false }
        if ecs.settings.forceNewDeployment {
            // A forced deployment leaves nothing else to compare: it happened when the PRIMARY
            // deployment is not the one the service ran before.
            return service.primaryDeployment.map { $0.id != ecs.output(of: "read", "previousDeploymentId") } ?? false
        }
        return true
    }

    private func outputs(_ service: ECSService, _ ecs: ECSServiceContext) -> Outputs {
        Outputs(
            taskDefinition: service.taskDefinition ?? "", desiredCount: service.desiredCount,
            deploymentId: service.primaryDeployment?.id ?? "",
            startedAt: ecs.now())
    }
}
