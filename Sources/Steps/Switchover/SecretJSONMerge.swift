import AWSServices
import Engine
import Foundation
import Runbook

/// Merges runbook keys into a secret's JSON object. Pure, and careful about what it says: its
/// errors describe the secret's shape, never its content.
enum SecretJSONMerge {
    /// `current` with each of `keys` set. A key that held a number keeps being a number when the
    /// new text is one (RDS's secret format stores `port` as a number), and a bool stays a bool;
    /// everything else is written as a string. Keys are sorted in the result.
    static func merge(_ keys: [(String, String)], into current: String?, isBinary: Bool, secretId: String) throws -> String {
        guard !isBinary, let current else {
            throw refusal(secretId, "holds binary data, not a JSON string")
        }
        guard case let .object(members)? = try? JSONDecoder().decode(JSONValue.self, from: Data(current.utf8)) else {
            throw refusal(secretId, "is not a JSON object, so keys cannot be merged into it")
        }
        var merged = Dictionary(members, uniquingKeysWith: { _, last in last })
        for (key, text) in keys {
            switch merged[key] {
            case .number?: merged[key] = Double(text).map(JSONValue.number) ?? .string(text)
            case .bool?: merged[key] = Bool(text).map(JSONValue.bool) ?? .string(text)
            default: merged[key] = .string(text)
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let out = try? encoder.encode(JSONValue.object(merged.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })) else {
            throw refusal(secretId, "could not be written back as JSON")
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func refusal(_ secretId: String, _ reason: String) -> StepError {
        StepError(code: "SecretNotJSON", message: "the current value of secret \(secretId) \(reason)", retryable: false, resource: secretId)
    }
}

/// Reads one JSON key of a secret's current value (`ssm.put-parameter`'s `valueFrom`), in
/// memory only; its errors name the secret and the key, never a value.
enum SecretKeyReader {
    static func read(
        _ key: String, of secretId: String, account: String, label: String, sessions: any AccountSessions
    ) async throws -> String {
        let secret = try await AWSCallBoundary.read(account: label, resource: secretId) {
            try await sessions.secretsManager(account).getSecretValue(secretId)
        }
        guard let text = secret.string, case let .object(members)? = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) else {
            throw StepError(
                code: "SecretNotJSON", message: "the current value of secret \(secretId) is not a JSON object", retryable: false,
                account: label, resource: secretId)
        }
        switch members.first(where: { $0.0 == key })?.1 {
        case .string(let value)?: return value
        case .number(let number)?: return number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .bool(let flag)?: return String(flag)
        default:
            throw StepError(
                code: "SecretKeyMissing", message: "secret \(secretId) has no text or number under key `\(key)`", retryable: false,
                account: label, resource: secretId)
        }
    }
}
