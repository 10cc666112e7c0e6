import AWSServices
import Foundation
import Runbook

/// `uses: ssm.put-parameter`: writes a Parameter Store value (a new version, `Overwrite`).
///
/// ```yaml
/// - id: db-host-parameter
///   uses: ssm.put-parameter
///   with: { account: product, name: /admin-console/db-host, value: "${steps.move-db.outputs.endpoint}", type: String }
/// ```
///
/// Undo writes back the value of the version that was current before, read from the parameter's
/// history at undo time (never journaled), or deletes a parameter the step created.
///
/// A `SecureString` takes its value from a Secrets Manager secret's JSON key at run time
/// (`valueFrom: { secretId, key }`, same account), never from `value:`: the runbook text and the
/// plan (with every `with:` value and every step output) are journaled, and a SecureString must
/// not be. Its value is never an output, a call record or part of an error.
///
/// ```yaml
/// - id: db-url-parameter
///   uses: ssm.put-parameter
///   with: { account: product, name: /admin-console/db-url, type: SecureString,
///           valueFrom: { secretId: admin-console/db, key: url } }
/// ```
public struct SSMPutParameterDefinition: StepDefinition {
    public static let type = "ssm.put-parameter"
    public init() {}

    public var type: String { Self.type }
    public var summary: String {
        "Write a Parameter Store value (String or SecureString) as a new version; undo writes the previous value back."
    }
    public var inputs: [StepInput] {
        [
            StepInput("account", .account, required: true, summary: "The runbook account that owns the parameter."),
            StepInput("name", .string, required: true, summary: "The parameter's name, e.g. `/admin-console/db-host`."),
            StepInput(
                "value", .string, summary: "The new value; may read step outputs (`${steps.ID.outputs.NAME}`). Not for SecureString."),
            StepInput(
                "valueFrom", .mapping,
                summary:
                    "`{ secretId, key }`: the value is that JSON key of a Secrets Manager secret in the same account, read at run time (required for SecureString)."
            ),
            StepInput("type", .string, summary: "`String` (default), `StringList` or `SecureString`."),
            StepInput("keyId", .string, summary: "SecureString only: the KMS key (default: the account's `alias/aws/ssm`)."),
        ]
    }
    public var outputs: [StepOutput] {
        [
            StepOutput("version", from: .primitive(nil, key: "version"), summary: "the version written"),
            StepOutput(
                "previousVersion", from: .primitive(nil, key: "previousVersion"),
                summary: "the version before it (`none`: the step created the parameter)"),
            StepOutput("name", from: .input("name"), summary: "the parameter's name"),
        ]
    }

    public func expand(_ step: StepSpec, in context: ExpansionContext) throws(RunbookDiagnostics) -> [PrimitiveTemplate] {
        var reader = StepInputReader(step, context: context)
        let account = reader.account("account", required: true) ?? ""
        let name = reader.string("name", required: true) ?? ""
        let value = reader.string("value")
        let source = Self.valueFrom(&reader)
        let typeText = reader.string("type") ?? SSMParameterType.string.rawValue
        let keyId = reader.string("keyId")
        let type = SSMParameterType(rawValue: typeText)
        if type == nil, let at = reader.value("type") {
            reader.report(
                "bad-value", "`with.type` of step `\(step.id)` is `\(typeText)`, not a parameter type",
                hint: Hints.nearest(to: typeText, in: SSMParameterType.allCases.map(\.rawValue)).map { "did you mean `\($0)`?" }
                    ?? "write `String`, `StringList` or `SecureString`", at: at)
        }
        if let at = reader.value("name"), !name.contains("${"), !Self.isParameterName(name) {
            reader.report(
                "bad-value", "`with.name` of step `\(step.id)` is not a parameter name: `\(name)`",
                hint: "letters, digits and `_ . - /`; a path starts with `/`, e.g. `/admin-console/db-host`", at: at)
        }
        if let at = reader.value("value"), value?.isEmpty == true {
            reader.report(
                "bad-value", "`with.value` of step `\(step.id)` is empty", hint: "Parameter Store needs at least one character", at: at)
        }
        switch (value, source) {
        case (nil, nil):
            reader.report(
                "missing-key", "step `\(step.id)` (ssm.put-parameter) needs `with.value` or `with.valueFrom`",
                hint: "add `value: …`, or `valueFrom: { secretId: …, key: … }` for a SecureString", at: step.with)
        case (.some, .some):
            reader.report(
                "bad-value", "step `\(step.id)` gives both `with.value` and `with.valueFrom`", hint: "keep one",
                at: reader.value("valueFrom"))
        case (.some, nil) where type == .secureString:
            reader.report(
                "secret-in-runbook",
                "step `\(step.id)` writes a SecureString from `with.value`: the runbook and its plan are journaled, so its value would be too",
                hint: "take it from a secret at run time: `valueFrom: { secretId: admin-console/db, key: url }`", at: reader.value("value"))
        default: break
        }
        if keyId != nil, type != .secureString, let at = reader.value("keyId") {
            reader.report(
                "bad-value", "`with.keyId` of step `\(step.id)` applies to SecureString parameters only",
                hint: "add `type: SecureString` or remove `keyId`", at: at)
        }
        try reader.finish()
        let parameterType = type ?? .string
        let inputs = try StepValues.encode(
            SSMPutParameterInputs(
                account: account, name: name, type: parameterType.rawValue, value: value,
                valueFrom: source.map { SSMPutParameterInputs.SecretKey(secretId: $0.secretId, key: $0.key) }, keyId: keyId),
            of: step)
        let shown = source.map { "key `\($0.key)` of secret `\($0.secretId)` (value not shown)" } ?? "`\(value ?? "")`"
        return [
            PrimitiveTemplate(
                type: Self.type, title: "Set parameter `\(name)` to \(shown) (undo: previous value back)", account: account,
                effect: .mutating, reversibility: .reversible, estimatedDuration: .seconds(2), inputs: inputs,
                retry: SwitchoverInputs.callRetry)
        ]
    }

    /// `valueFrom: { secretId, key }`, both required and single values.
    static func valueFrom(_ reader: inout StepInputReader) -> (secretId: String, key: String)? {
        guard let value = reader.value("valueFrom"), value.kind != .null else { return nil }
        guard case let .mapping(entries) = value.kind else { return nil }  // the kind check reports it
        for entry in entries where !["secretId", "key"].contains(entry.key) {
            reader.report(
                "unknown-key", "`\(entry.key)` is not a key of `with.valueFrom` of step `\(reader.step.id)`",
                hint: "keys: secretId, key", at: entry.keyLocation)
        }
        var found: [String: String] = [:]
        for key in ["secretId", "key"] {
            guard let text = value[key]?.scalar, !text.isEmpty else {
                reader.report(
                    "missing-key", "`with.valueFrom` of step `\(reader.step.id)` needs `\(key)`",
                    hint: "e.g. `valueFrom: { secretId: admin-console/db, key: url }`", at: value[key] ?? value)
                continue
            }
            found[key] = text
        }
        guard let secretId = found["secretId"], let key = found["key"] else { return ("", "") }
        return (secretId, key)
    }

    /// Parameter Store's name rule (botocore PSParameterName: 1–2048 characters; AWS: letters,
    /// digits, `_.-/`; a hierarchy starts with `/`; no `aws`/`ssm` prefix).
    static func isParameterName(_ name: String) -> Bool {
        guard (1...2048).contains(name.count) else { return false }
        let lower = name.lowercased().drop { $0 == "/" }
        if lower.hasPrefix("aws") || lower.hasPrefix("ssm") { return false }
        if name.contains("/") && !name.hasPrefix("/") { return false }
        return name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "_.-/".unicodeScalars.contains($0)
        }
    }
}

/// What an `ssm.put-parameter` primitive carries: the parameter, its type, and the value — the
/// runbook's (`value`) or a secret's key read at run time (`valueFrom`; never in the plan).
struct SSMPutParameterInputs: Codable, Sendable {
    struct SecretKey: Codable, Sendable {
        var secretId: String
        var key: String
    }
    var account: String
    var name: String
    /// `String`, `StringList` or `SecureString`.
    var type: String
    var value: String?
    var valueFrom: SecretKey?
    var keyId: String?
}
