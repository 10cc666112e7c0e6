import AWSServices
import Engine
import Foundation
import Runbook

/// `rds.wait-snapshot`, `rds.wait-snapshot-copy`, `rds.wait-instance`, `rds.wait-cluster-snapshot`,
/// `rds.wait-cluster-snapshot-copy`, `rds.wait-cluster`, `rds.wait-cluster-members`: poll until
/// the snapshot, its copy, the restored instance or cluster, or every member is `available`,
/// through the engine (`.notYet`), so every observation is journaled and a restart polls on
/// instead of starting over. Progress shows `PercentProgress` where RDS gives it and how many
/// members are up. botocore's 30-minute waiters are too short for big databases: the wait gives
/// up `waitTimeout` (default 12 h) after the primitive it waits for finished — unless an operator
/// chose to retry after that, then it waits on (the step's own `timeout:`, if the runbook sets
/// one, still applies). Where RDS reports progress, the next look is aimed at the earliest moment
/// the resource can be ready (`RDSPollSchedule`), so the wait ends within seconds of it; where it
/// does not (restores, members), polling turns dense around the expected duration
/// (`RDSReadinessEstimate`).
struct RDSWaitStep<Kind: RDSResourceKind>: RDSMoveStep {
    let sessions: any AccountSessions
    let target: RDSWaitTarget

    /// The status RDS reported (`available` where a wait looks at several members) and when.
    struct Outputs: Encodable, Sendable {
        var status: String
        /// When `run` saw it; nil from `check`, which only tells the wait is over.
        var observedAt: Date?
    }

    func run(_ settings: Kind.Settings, _ context: StepContext) async throws -> TypedStepResult<Outputs> {
        let move = work(context, settings)
        let seen = try await observe(move)
        switch seen.state {
        case .done:
            return .done(Outputs(status: seen.status ?? "available", observedAt: move.now()))
        case let .failed(reason):
            throw StepError(
                code: "WaitFailed", message: "\(seen.what): \(reason)", retryable: false, account: seen.account, resource: seen.resource)
        case .pending:
            let started = move.startedAt(of: target.creator)
            if context.decision == nil, let started,
                move.now() >= started.addingTimeInterval(move.settings.waitTimeout.timeInterval)
            {
                throw StepError(
                    code: "WaitTimeout",
                    message:
                        "\(seen.what) is still \(seen.progress) \(RunbookDuration.format(move.settings.waitTimeout)) after it started; "
                        + "retry to keep waiting, or roll back",
                    retryable: false, account: seen.account, resource: seen.resource)
            }
            await context.progress("\(seen.what): \(seen.progress)")
            // `startedAt` is the primitive's journaled output, so after a restart the estimate
            // still counts from when RDS began, not from the restart.
            let after =
                if seen.percent == nil, let expected = seen.expected {
                    RDSPollSchedule.nextLook(interval: move.settings.pollInterval, startedAt: started, expected: expected, now: move.now())
                } else {
                    RDSPollSchedule.nextLook(
                        interval: move.settings.pollInterval, startedAt: started, percent: seen.percent, now: move.now())
                }
            return .notYet(progress: "\(seen.what): \(seen.progress)", after: after)
        }
    }

    /// Read-only: done when the resource is available; otherwise `run` polls on.
    func check(_ context: StepContext) async throws -> CheckResult {
        let seen = try await observe(try work(context))
        return seen.state == .done ? try .done(Outputs(status: seen.status ?? "available")) : .notDone
    }

    private func observe(_ move: RDSMoveContext<Kind>) async throws -> RDSWaitObservation {
        let s = move.settings
        switch target {
        case .snapshot, .copy:
            let inTarget = target == .copy
            let snapshot = inTarget ? try await move.targetSnapshot() : try await move.sourceSnapshot()
            let status = snapshot?.status
            var progress = status ?? "not found"
            if let percent = snapshot?.percentProgress { progress += ", \(percent)%" }
            return RDSWaitObservation(
                state: Kind.snapshotState(status), status: status,
                what: inTarget ? "\(Kind.copyNoun) \(move.copyId) in \(s.to)" : "\(Kind.snapshotNoun) \(move.snapshotId) in \(s.from)",
                progress: progress, percent: snapshot?.percentProgress, account: inTarget ? move.targetAccount : move.sourceAccount,
                resource: snapshot?.arn ?? move.snapshotId)
        case .shareCopy:
            guard move.rekeys else {
                // `sourceShareKey: auto` and the source is not on aws/rds: no copy to wait for.
                return RDSWaitObservation(
                    state: .done, status: "not needed", what: "no re-encrypted copy (not needed)", progress: "not needed",
                    account: move.sourceAccount, resource: move.snapshotId)
            }
            let copy = try await move.shareCopy()
            var progress = copy?.status ?? "not found"
            if let percent = copy?.percentProgress { progress += ", \(percent)%" }
            return RDSWaitObservation(
                state: Kind.snapshotState(copy?.status), status: copy?.status,
                what: "\(Kind.snapshotNoun) \(move.shareCopyId) (under the share key) in \(s.from)", progress: progress,
                percent: copy?.percentProgress, account: move.sourceAccount, resource: copy?.arn ?? move.shareCopyId)
        case .restored, .members:
            return try await Kind.observeRestored(target, move)
        }
    }
}
