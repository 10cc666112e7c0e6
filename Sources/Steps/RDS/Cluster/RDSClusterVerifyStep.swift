import AWSServices
import Engine
import Foundation
import Runbook

/// `rds.verify-cluster` (read-only): the restored cluster is `available`, runs the source's engine
/// and engine version, its storage is encrypted with the target's key, and every member is
/// `available` and in the cluster. Outputs the new `endpoint` (writer), `readerEndpoint`, `port`
/// and `arn` — what the application is pointed at next.
struct RDSClusterVerifyStep: RDSMoveStep {
    typealias Kind = RDSClusterKind
    let sessions: any AccountSessions

    /// What the application is pointed at next: the writer and reader endpoints, and the members.
    struct Outputs: Encodable, Sendable {
        var endpoint: String
        var readerEndpoint: String
        var port: Int?
        var arn: String
        var engineVersion: String
        var kmsKeyId: String
        /// Comma-separated, writer first.
        var members: String
    }

    func run(_ settings: RDSClusterKind.Settings, _ context: StepContext) async throws -> TypedStepResult<Outputs> {
        let move = work(context, settings)
        let s = move.settings
        guard let cluster = try await move.targetCluster() else {
            throw StepError(
                code: AWSErrorCode.dbClusterNotFound.name, message: "the restored cluster \(s.targetCluster) is gone from \(s.to)",
                retryable: false, account: move.targetAccount, resource: s.targetCluster)
        }
        var problems = move.problems(
            with: RDSRestoredState(
                status: cluster.status, engine: cluster.engine, engineVersion: cluster.engineVersion,
                storageEncrypted: cluster.storageEncrypted, kmsKeyId: cluster.kmsKeyId))
        let members = try await move.targetMembers()
        let inCluster = Set(cluster.members.map { $0.instanceIdentifier.lowercased() })
        for id in move.memberIds {
            guard let member = members[id] else {
                problems.append("member \(id) does not exist")
                continue
            }
            if member.status != "available" { problems.append("member \(id) is \(member.status), not available") }
            if !inCluster.contains(id.lowercased()) { problems.append("member \(id) is not in the cluster's member list") }
        }
        if cluster.endpoint == nil { problems.append("it has no endpoint yet") }
        guard problems.isEmpty, let endpoint = cluster.endpoint else {
            throw StepError(
                code: "VerifyFailed",
                message: "restored cluster \(cluster.identifier) in \(s.to): " + problems.joined(separator: "; "),
                retryable: false, account: move.targetAccount, resource: cluster.arn ?? cluster.identifier)
        }
        return .done(
            Outputs(
                endpoint: endpoint, readerEndpoint: cluster.readerEndpoint ?? "", port: cluster.port, arn: cluster.arn ?? "",
                engineVersion: cluster.engineVersion ?? "", kmsKeyId: cluster.kmsKeyId ?? "", members: move.memberIds.joined(separator: ",")
            ))
    }

    func check(_ context: StepContext) async throws -> CheckResult { .notDone }
}
