import AWSClient
import AWSServices
import Engine
import Foundation
import Runbook

/// `rds.verify-restore` (read-only): the restored instance is `available`, runs the source's
/// engine and engine version, and its storage is encrypted with the target's key. Outputs the new
/// `endpoint`, `port` and `arn` — what the application is pointed at next.
struct RDSVerifyStep: Step {
    let sessions: any AccountSessions

    func run(_ context: StepContext) async throws -> StepResult {
        let move = try RDSMoveContext<RDSInstanceKind>(context, sessions: sessions)
        let s = move.settings
        guard let instance = try await move.targetInstance() else {
            throw StepError(code: AWSErrorCode.dbInstanceNotFound.name, message: "the restored instance \(s.targetInstance) is gone from \(s.to)",
                            retryable: false, account: move.targetAccount, resource: s.targetInstance)
        }
        var problems: [String] = []
        if instance.status != "available" { problems.append("status is \(instance.status), not available") }
        let expectedEngine = move.output(of: "preflight", "engine")
        let expectedVersion = move.output(of: "preflight", "engineVersion")
        if let expectedEngine, !expectedEngine.isEmpty, instance.engine != expectedEngine {
            problems.append("engine is \(instance.engine ?? "unknown"), the source runs \(expectedEngine)")
        }
        if let expectedVersion, !expectedVersion.isEmpty, instance.engineVersion != expectedVersion {
            problems.append("engine version is \(instance.engineVersion ?? "unknown"), the source runs \(expectedVersion)")
        }
        let expectedKey = move.output(of: "preflight", "targetKeyArn") ?? s.kmsKey
        if !instance.storageEncrypted {
            problems.append("storage is not encrypted")
        } else if instance.kmsKeyId != expectedKey {
            problems.append("storage is encrypted with \(instance.kmsKeyId ?? "an unknown key"), not the target key \(expectedKey)")
        }
        guard let endpoint = instance.endpointAddress else {
            problems.append("it has no endpoint yet")
            throw failure(problems, instance, move)
        }
        guard problems.isEmpty else { throw failure(problems, instance, move) }
        return .done(outputs: [
            "endpoint": endpoint,
            "port": instance.endpointPort.map(String.init) ?? "",
            "arn": instance.arn ?? "",
            "engineVersion": instance.engineVersion ?? "",
            "kmsKeyId": instance.kmsKeyId ?? "",
        ])
    }

    func check(_ context: StepContext) async throws -> CheckResult { .notDone }

    private func failure(_ problems: [String], _ instance: RDSDBInstance, _ move: RDSMoveContext<RDSInstanceKind>) -> StepError {
        StepError(
            code: "VerifyFailed",
            message: "restored instance \(instance.identifier) in \(move.settings.to): " + problems.joined(separator: "; "),
            retryable: false, account: move.targetAccount, resource: instance.arn ?? instance.identifier)
    }
}
