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
