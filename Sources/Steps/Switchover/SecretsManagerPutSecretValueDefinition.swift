import Foundation
import Runbook

/// `uses: secretsmanager.put-secret-value`: merges JSON keys into a secret's current value and
/// writes the result as a new version — the application's database host after `move-db`.
///
/// ```yaml
/// - id: point-app-at-new-db
///   uses: secretsmanager.put-secret-value
///   with:
///     account: product
///     secretId: admin-console/db
///     merge: { host: "${steps.move-db.outputs.endpoint}", port: "${steps.move-db.outputs.port}" }
/// ```
///
/// Keys not named in `merge` keep their values (the password stays what it was). Undo moves
/// `AWSCURRENT` back to the version that held it before; the old value is never journaled. The
/// outputs are version IDs only, never the secret.
public struct SecretsManagerPutSecretValueDefinition: StepDefinition {
    public static let type = "secretsmanager.put-secret-value"
    public init() {}

    public var type: String { Self.type }
    public var summary: String {
        "Merge JSON keys into a Secrets Manager secret as a new version; undo moves AWSCURRENT back."
    }
    public var inputs: [StepInput] {
        [
            StepInput("account", .account, required: true, summary: "The runbook account that owns the secret."),
            StepInput("secretId", .string, required: true, summary: "The secret's name or ARN."),
            StepInput(
                "merge", .mapping, required: true,
                summary: "JSON keys to set in the secret's current value (values may read step outputs); other keys are kept."),
        ]
    }
    public var outputs: [StepOutput] {
        [
            StepOutput("versionId", from: .primitive(nil, key: "versionId"), summary: "the version written (never the value)"),
            StepOutput(
                "previousVersionId", from: .primitive(nil, key: "previousVersionId"), summary: "the version that was current before"),
            StepOutput("arn", from: .primitive(nil, key: "arn"), summary: "the secret's ARN"),
        ]
    }

    public func expand(_ step: StepSpec, in context: ExpansionContext) throws(RunbookDiagnostics) -> [PrimitiveTemplate] {
        var reader = StepInputReader(step, context: context)
        let account = reader.account("account", required: true) ?? ""
        let secretId = reader.string("secretId", required: true) ?? ""
        if let value = reader.value("secretId"), value.scalar != nil, secretId.isEmpty {
            reader.report(
                "bad-value", "`with.secretId` of step `\(step.id)` is empty", hint: "write the secret's name, e.g. `admin-console/db`",
                at: value)
        }
        let merge = SwitchoverInputs.stringMapping(
            &reader, "merge", required: true, example: "`{ host: \"${steps.move-db.outputs.endpoint}\" }`")
        try reader.finish()
        let keys = merge.map { "`\($0.0)`" }.joined(separator: ", ")
        return [
            PrimitiveTemplate(
                type: Self.type, title: "Set \(keys) in secret `\(secretId)` (new version; undo: AWSCURRENT back)", account: account,
                effect: .mutating, reversibility: .reversible, estimatedDuration: .seconds(2),
                inputs: try StepValues.encode(
                    SecretWriteInputs(
                        account: account, secretId: secretId, merge: Dictionary(merge, uniquingKeysWith: { _, last in last })),
                    of: step),
                retry: SwitchoverInputs.callRetry)
        ]
    }
}

/// What a `secretsmanager.put-secret-value` primitive carries: the secret, its account, and the
/// keys to set (their values may be step outputs, resolved when the primitive starts).
struct SecretWriteInputs: Codable, Sendable {
    var account: String
    var secretId: String
    var merge: [String: String]
}
