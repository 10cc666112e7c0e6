import AWSServices
import Engine
import Foundation
import Runbook

/// `rds.wait-cluster-snapshot`, `rds.wait-cluster-snapshot-copy`, `rds.wait-cluster`,
/// `rds.wait-cluster-members`: poll until the cluster snapshot, its copy, the restored cluster or
/// every member is `available`, through the engine (`.notYet`), so every observation is journaled
/// and a restart polls on. Progress shows `PercentProgress` for snapshots and how many members are
/// up. As for the instance move, the wait gives up `waitTimeout` (default 12 h, not botocore's 30
/// minutes) after the primitive it follows finished, unless an operator chose to keep waiting.
struct RDSClusterWaitStep: Step {
    enum Target: String, Sendable {
        case snapshot, copy, cluster, members

        /// The primitive this wait follows.
        var creator: String {
            switch self {
            case .snapshot: "snapshot"
            case .copy: "copy"
            case .cluster: "restore"
            case .members: "members"
            }
        }
    }

    let sessions: any AccountSessions
    let target: Target

    func run(_ context: StepContext) async throws -> StepResult {
        let move = try RDSClusterMoveContext(context, sessions: sessions)
        let seen = try await observe(move)
        switch seen.state {
        case .done:
            return .done(outputs: ["status": "available", "observedAt": RDSMoveContext.format(move.now())])
        case let .failed(reason):
            throw StepError(code: "WaitFailed", message: "\(seen.what): \(reason)", retryable: false, account: seen.account, resource: seen.resource)
        case .pending:
            if context.decision == nil, let started = move.startedAt(of: target.creator),
                move.now() >= started.addingTimeInterval(move.settings.waitTimeout.timeInterval)
            {
                throw StepError(
                    code: "WaitTimeout",
                    message: "\(seen.what) is still \(seen.progress) \(RunbookDuration.format(move.settings.waitTimeout)) after it started; "
                        + "retry to keep waiting, or roll back",
                    retryable: false, account: seen.account, resource: seen.resource)
            }
            await context.progress("\(seen.what): \(seen.progress)")
            return .notYet(progress: "\(seen.what): \(seen.progress)", after: move.settings.pollInterval)
        }
    }

    /// Read-only: done when the resource is available; otherwise `run` polls on.
    func check(_ context: StepContext) async throws -> CheckResult {
        let move = try RDSClusterMoveContext(context, sessions: sessions)
        return try await observe(move).state == .done ? .done(outputs: ["status": "available"]) : .notDone
    }

    private struct Observation {
        var state: RDSWaitState
        var what: String
        var progress: String
        var account: String
        var resource: String
    }

    private func observe(_ move: RDSClusterMoveContext) async throws -> Observation {
        let s = move.settings
        switch target {
        case .snapshot, .copy:
            let inTarget = target == .copy
            let snapshot = inTarget ? try await move.targetSnapshot() : try await move.sourceSnapshot()
            var progress = snapshot?.status ?? "not found"
            if let percent = snapshot?.percentProgress { progress += ", \(percent)%" }
            return Observation(
                state: RDSWaiters.clusterSnapshotState(snapshot?.status),
                what: inTarget ? "cluster snapshot copy \(move.copyId) in \(s.to)" : "cluster snapshot \(move.snapshotId) in \(s.from)",
                progress: progress, account: inTarget ? move.targetAccount : move.sourceAccount,
                resource: snapshot?.arn ?? move.snapshotId)
        case .cluster:
            let cluster = try await move.targetCluster()
            return Observation(
                state: RDSWaiters.clusterState(cluster?.status), what: "cluster \(s.targetCluster) in \(s.to)",
                progress: cluster?.status ?? "not found", account: move.targetAccount, resource: cluster?.arn ?? s.targetCluster)
        case .members:
            let members = try await move.targetMembers()
            let ids = move.memberIds
            let states = ids.map { RDSWaiters.instanceState(members[$0]?.status) }
            let pending = ids.filter { members[$0]?.status != "available" }.map { "\($0) \(members[$0]?.status ?? "not found")" }
            var state = RDSWaitState.pending
            if let failed = zip(ids, states).first(where: { if case .failed = $0.1 { true } else { false } }),
                case let .failed(reason) = failed.1
            {
                state = .failed(reason: "member \(failed.0): \(reason)")
            } else if !ids.isEmpty, states.allSatisfy({ $0 == .done }) {
                state = .done
            }
            return Observation(
                state: state, what: "members of \(s.targetCluster) in \(s.to)",
                progress: "\(ids.count - pending.count)/\(ids.count) available" + (pending.isEmpty ? "" : " (\(pending.joined(separator: ", ")))"),
                account: move.targetAccount, resource: s.targetCluster)
        }
    }
}
