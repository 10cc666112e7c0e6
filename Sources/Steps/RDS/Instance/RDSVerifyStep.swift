import AWSClient
import AWSServices
import Engine
import Foundation
import Runbook

/// `rds.verify-restore` (read-only): the restored instance is `available`, runs the source's
/// engine and engine version, and its storage is encrypted with the target's key. Outputs the new
/// `endpoint`, `port` and `arn` — what the application is pointed at next.
struct RDSVerifyStep: RDSMoveStep {
    typealias Kind = RDSInstanceKind
    let sessions: any AccountSessions

    /// What the application is pointed at next.
    struct Outputs: Encodable, Sendable {
        var endpoint: String
        var port: Int?
        var arn: String
        var engineVersion: String
        var kmsKeyId: String
    }

    func run(_ settings: RDSInstanceKind.Settings, _ context: StepContext) async throws -> TypedStepResult<Outputs> {
        let move = work(context, settings)
        let s = move.settings
        guard let instance = try await move.targetInstance() else {
            throw StepError(
                code: AWSErrorCode.dbInstanceNotFound.name, message: "the restored instance \(s.targetInstance) is gone from \(s.to)",
                retryable: false, account: move.targetAccount, resource: s.targetInstance)
        }
        var problems = move.problems(
            with: RDSRestoredState(
                status: instance.status, engine: instance.engine, engineVersion: instance.engineVersion,
                storageEncrypted: instance.storageEncrypted, kmsKeyId: instance.kmsKeyId))
        guard let endpoint = instance.endpointAddress else {
            problems.append("it has no endpoint yet")
            throw failure(problems, instance, move)
        }
        guard problems.isEmpty else { throw failure(problems, instance, move) }
        return .done(
            Outputs(
                endpoint: endpoint, port: instance.endpointPort, arn: instance.arn ?? "", engineVersion: instance.engineVersion ?? "",
                kmsKeyId: instance.kmsKeyId ?? ""))
    }

    func check(_ context: StepContext) async throws -> CheckResult { .notDone }

    private func failure(_ problems: [String], _ instance: RDSDBInstance, _ move: RDSMoveContext<RDSInstanceKind>) -> StepError {
        StepError(
            code: "VerifyFailed",
            message: "restored instance \(instance.identifier) in \(move.settings.to): " + problems.joined(separator: "; "),
            retryable: false, account: move.targetAccount, resource: instance.arn ?? instance.identifier)
    }
}
