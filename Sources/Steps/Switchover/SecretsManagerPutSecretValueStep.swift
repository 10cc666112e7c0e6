import AWSServices
import Engine
import Foundation
import Runbook

/// Executes `secretsmanager.put-secret-value`.
///
/// - `run` reads which version is `AWSCURRENT`, reads its value (in memory only), merges the keys
///   and writes the result with `PutSecretValue`, whose `ClientRequestToken` — the new version's
///   ID — is derived from the run and the step: a retry or a resume after a crash sends the same
///   token, and AWS answers it without writing twice.
/// - `check` finds that version: if it exists and is `AWSCURRENT`, the write happened, and the
///   version it displaced is the one Secrets Manager labelled `AWSPREVIOUS`.
/// - `undo` moves `AWSCURRENT` back to the previous version (`UpdateSecretVersionStage`); the old
///   value is never journaled because it never leaves AWS. If the secret was changed again since
///   (another version is current), undo stops rather than overwrite that change.
///
/// The secret string is never an output, a call record, a progress line or part of an error.
struct SecretsManagerPutSecretValueStep: SessionStep {
    typealias Work = SecretWriteContext
    let sessions: any AccountSessions

    /// The version written, the one it displaced (undo moves `AWSCURRENT` back to it), the secret.
    struct Outputs: Encodable, Sendable {
        var versionId: String
        var previousVersionId: String
        var arn: String
    }

    func run(_ inputs: SecretWriteInputs, _ context: StepContext) async throws -> TypedStepResult<Outputs> {
        let write = work(context, inputs)
        let client = try await write.client()
        let before = try await write.describe(client)
        if before.versionStages[write.token] != nil {
            // Written by an earlier attempt of this step (a retry, or a resume after a crash).
            return .done(try write.finished(before))
        }
        guard let previous = before.version(holding: SecretStage.current) else {
            throw write.error(
                "NoCurrentVersion",
                "secret \(write.secretId) has no single AWSCURRENT version (\(before.versions(holding: SecretStage.current).count) hold it)"
            )
        }
        let current = try await AWSCallBoundary.read(account: write.account, resource: write.secretId) {
            try await client.getSecretValue(write.secretId)
        }
        guard current.versionId == previous else {
            throw write.error(
                "SecretChanged",
                "AWSCURRENT of secret \(write.secretId) moved while the step read it (\(previous) → \(current.versionId)); retry",
                retryable: true)
        }
        let merged = try SecretJSONMerge.merge(write.merge, into: current.string, isBinary: current.isBinary, secretId: write.secretId)
        let written = try await write.calls.mutate("PutSecretValue", account: write.account, resource: write.secretId) {
            let result = try await client.putSecretValue(write.secretId, string: merged, token: write.token)
            return (result, result.requestId)
        }
        return .done(Outputs(versionId: written.versionId, previousVersionId: previous, arn: written.arn ?? before.arn ?? write.secretId))
    }

    func check(_ context: StepContext) async throws -> CheckResult {
        let write = try work(context)
        let described = try await write.describe(try await write.client())
        guard let stages = described.versionStages[write.token] else { return .notDone }
        guard stages.contains(SecretStage.current) else {
            return .unknown(
                reason:
                    "secret \(write.secretId) has this step's version \(write.token) but it is not AWSCURRENT: someone moved the label; look, then mark-done or roll back"
            )
        }
        return try .done(write.outputs(described))
    }

    func undo(_ context: StepContext) async throws {
        let write = try work(context)
        guard let previous = context.output(of: context.step.id, "previousVersionId") else {
            throw write.error(
                "InvalidInputs", "no previous version was journaled for \(context.step.id); nothing to move AWSCURRENT back to")
        }
        let client = try await write.client()
        let described = try await write.describe(client)
        let current = described.versions(holding: SecretStage.current)
        if current == [previous] { return }  // undone already (an undo repeated after a crash)
        guard current == [write.token] else {
            throw write.error(
                "SecretChangedSinceWrite",
                "AWSCURRENT of secret \(write.secretId) is on \(current.joined(separator: ", ")), not on the version this run wrote (\(write.token)): someone changed it since; set it by hand and mark the undo done"
            )
        }
        _ = try await write.calls.mutate("UpdateSecretVersionStage", account: write.account, resource: write.secretId) {
            let requestId = try await client.updateSecretVersionStage(
                write.secretId, stage: SecretStage.current, moveTo: previous, removeFrom: write.token)
            return ((), requestId)
        }
    }

    func describe(_ step: PlannedStep) -> String { step.title }
}

/// One attempt of `secretsmanager.put-secret-value`: its inputs, account and token.
struct SecretWriteContext: PrimitiveContext {
    typealias Inputs = SecretWriteInputs

    let step: StepContext
    let sessions: any AccountSessions
    let accountName: String
    let secretId: String
    let merge: [(String, String)]

    init(_ step: StepContext, _ inputs: SecretWriteInputs, sessions: any AccountSessions) {
        self.step = step
        self.sessions = sessions
        self.accountName = inputs.account
        self.secretId = inputs.secretId
        self.merge = inputs.merge.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// The account as call records and errors name it.
    var account: String { sessions.accountId(accountName) ?? accountName }
    var calls: AWSCallBoundary { AWSCallBoundary(context: step, service: "secretsmanager", region: sessions.region) }

    /// The new version's ID: 64 hex characters (AWS takes 32–64) derived from the run and the
    /// step, so every attempt of this step in this run sends the same one.
    var token: String { SecretWriteContext.token(runId: step.runId, stepId: step.step.id) }

    static func token(runId: String, stepId: String) -> String {
        SigV4Payload.bytes(Data("cutover/\(runId)/\(stepId)".utf8)).canonicalHash
    }

    func client() async throws -> SecretsManagerClient {
        try await AWSCallBoundary.read(account: account, resource: secretId) { try await sessions.secretsManager(accountName) }
    }

    func describe(_ client: SecretsManagerClient) async throws -> SecretDescription {
        try await AWSCallBoundary.read(account: account, resource: secretId) { try await client.describeSecret(secretId) }
    }

    /// The outputs of a write this step made earlier, from what `DescribeSecret` shows now.
    func outputs(_ described: SecretDescription) throws -> SecretsManagerPutSecretValueStep.Outputs {
        guard let previous = described.version(holding: SecretStage.previous) else {
            throw error("NoPreviousVersion", "secret \(secretId) has this step's version but no single AWSPREVIOUS version to undo to")
        }
        return .init(versionId: token, previousVersionId: previous, arn: described.arn ?? secretId)
    }

    func finished(_ described: SecretDescription) throws -> SecretsManagerPutSecretValueStep.Outputs {
        guard described.versionStages[token]?.contains(SecretStage.current) == true else {
            throw error("SecretChangedSinceWrite", "secret \(secretId) has this step's version \(token) but it is no longer AWSCURRENT")
        }
        return try outputs(described)
    }

    func error(_ code: String, _ message: String, retryable: Bool = false) -> StepError {
        StepError(code: code, message: message, retryable: retryable, account: account, resource: secretId)
    }
}
