import Foundation
import Runbook

/// Input reading and retry policy shared by the switch-over steps that call AWS.
enum SwitchoverInputs {
    /// Transient AWS failures (throttling, 5xx) are retried a few times with backoff; the AWS
    /// client has already retried each call. Same shape as the RDS steps' call retry.
    static let callRetry = RetryPolicy(
        backoff: .exponential(initial: .seconds(5), multiplier: 2, cap: .seconds(60), jitter: true), maxAttempts: 6)

    /// A non-empty mapping of `key: scalar` (values may hold `${…}` references), in file order;
    /// every problem is reported at its own line and column.
    static func stringMapping(_ reader: inout StepInputReader, _ key: String, required: Bool, example: String) -> [(String, String)] {
        guard let value = reader.value(key), value.kind != .null else {
            if required {
                reader.report(
                    "missing-key", "step `\(reader.step.id)` (\(reader.step.uses)) needs `with.\(key)`",
                    hint: "add `\(key):` under `with:`, e.g. \(example)", at: reader.step.with)
            }
            return []
        }
        guard case let .mapping(entries) = value.kind else {
            reader.report(
                "wrong-type", "`with.\(key)` of step `\(reader.step.id)` must be a mapping of `key: value` pairs",
                hint: "write it like \(example)", at: value)
            return []
        }
        if entries.isEmpty {
            reader.report(
                "bad-value", "`with.\(key)` of step `\(reader.step.id)` names no keys", hint: "write it like \(example)", at: value)
        }
        var pairs: [(String, String)] = []
        for entry in entries {
            guard let scalar = entry.value.scalar else {
                reader.report(
                    "wrong-type", "`with.\(key).\(entry.key)` of step `\(reader.step.id)` must be a single value, not a list or mapping",
                    hint: "write a string; a step output like `${steps.ID.outputs.NAME}` works too", at: entry.value)
                continue
            }
            if entry.key.isEmpty {
                reader.report("bad-value", "`with.\(key)` of step `\(reader.step.id)` has an empty key", at: reader.step.location)
            }
            pairs.append((entry.key, scalar))
        }
        return pairs
    }
}
