import AWSServices
import Engine
import Foundation
import Runbook

/// `rds.wait-snapshot`, `rds.wait-snapshot-copy`, `rds.wait-instance`: poll until the snapshot,
/// its copy or the restored instance is `available`, through the engine (`.notYet`), so every
/// observation is journaled and a restart polls on instead of starting over. Progress shows
/// `PercentProgress` where RDS gives it. botocore's 30-minute waiters are too short for big
/// databases: the wait gives up `waitTimeout` (default 12 h) after the primitive it waits for
/// finished — unless an operator chose to retry after that, then it waits on (the step's own
/// `timeout:`, if the runbook sets one, still applies).
struct RDSWaitStep: Step {
    enum Target: String, Sendable {
        case snapshot, copy, instance

        /// The primitive this wait follows.
        var creator: String {
            switch self {
            case .snapshot: "snapshot"
            case .copy: "copy"
            case .instance: "restore"
            }
        }
    }

    let sessions: any AccountSessions
    let target: Target

    func run(_ context: StepContext) async throws -> StepResult {
        let move = try RDSMoveContext(context, sessions: sessions)
        let observation = try await observe(move)
        switch observation.state {
        case .done:
            return .done(outputs: ["status": observation.status ?? "available", "observedAt": RDSMoveContext.format(move.now())])
        case let .failed(reason):
            throw StepError(code: "WaitFailed", message: "\(observation.what): \(reason)", retryable: false,
                            account: observation.account, resource: observation.resource)
        case .pending:
            if context.decision == nil, let started = move.startedAt(of: target.creator) {
                let deadline = started.addingTimeInterval(move.settings.waitTimeout.timeInterval)
                if move.now() >= deadline {
                    throw StepError(
                        code: "WaitTimeout",
                        message: "\(observation.what) is still \(observation.progress) \(RunbookDuration.format(move.settings.waitTimeout)) "
                            + "after it started; retry to keep waiting, or roll back",
                        retryable: false, account: observation.account, resource: observation.resource)
                }
            }
            await context.progress("\(observation.what): \(observation.progress)")
            return .notYet(progress: "\(observation.what): \(observation.progress)", after: move.settings.pollInterval)
        }
    }

    /// Read-only: done when the resource is available; otherwise `run` polls on.
    func check(_ context: StepContext) async throws -> CheckResult {
        let move = try RDSMoveContext(context, sessions: sessions)
        let observation = try await observe(move)
        if observation.state == .done { return .done(outputs: ["status": observation.status ?? "available"]) }
        return .notDone
    }

    private struct Observation {
        var state: RDSWaitState
        var status: String?
        var what: String
        var progress: String
        var account: String
        var resource: String
    }

    private func observe(_ move: RDSMoveContext) async throws -> Observation {
        let s = move.settings
        switch target {
        case .snapshot, .copy:
            let inTarget = target == .copy
            let account = inTarget ? move.targetAccount : move.sourceAccount
            let what = inTarget ? "copy \(move.copyId) in \(s.to)" : "snapshot \(move.snapshotId) in \(s.from)"
            let snapshot = inTarget ? try await move.targetSnapshot() : try await move.sourceSnapshot()
            let status = snapshot?.status
            var progress = status ?? "not found"
            if let percent = snapshot?.percentProgress { progress += ", \(percent)%" }
            return Observation(
                state: RDSWaiters.snapshotState(status), status: status, what: what, progress: progress, account: account,
                resource: snapshot?.arn ?? move.snapshotId)
        case .instance:
            let instance = try await move.targetInstance()
            let status = instance?.status
            return Observation(
                state: RDSWaiters.instanceState(status), status: status, what: "instance \(s.targetInstance) in \(s.to)",
                progress: status ?? "not found", account: move.targetAccount, resource: instance?.arn ?? s.targetInstance)
        }
    }
}
