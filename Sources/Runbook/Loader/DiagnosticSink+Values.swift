import Foundation

/// Typed reads of YAML values that report a located problem instead of failing: the loader keeps
/// going after each one so the operator sees every problem in one pass.
extension DiagnosticSink {
    typealias Entries = [(key: String, keyLocation: SourceLocation, value: RunbookValue)]

    static func describe(_ value: RunbookValue) -> String {
        switch value.kind {
        case .null: return "nothing"
        case .scalar(let s): return "`\(s)`"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }

    /// The entries of a mapping; `wrong-type` otherwise.
    mutating func mapping(_ value: RunbookValue, _ what: String, example: String) -> Entries? {
        if case .mapping(let entries) = value.kind { return entries }
        report(
            "wrong-type", "\(what) must be a mapping of `key: value` pairs, not \(Self.describe(value))",
            hint: "write it like \(example)", at: value.location)
        return nil
    }

    /// Reports keys not in `allowed` (with the nearest known one) and `required` keys that are
    /// missing (at the mapping itself).
    mutating func checkKeys(
        _ entries: Entries, of value: RunbookValue, _ what: String, allowed: [String], required: [String]
    ) {
        for entry in entries where !allowed.contains(entry.key) {
            report(
                "unknown-key", "`\(entry.key)` is not a key of \(what)",
                hint: Hints.didYouMean(entry.key, among: allowed, listing: "allowed keys"),
                at: entry.keyLocation)
        }
        for key in required where !entries.contains(where: { $0.key == key }) {
            report(
                "missing-key", "\(what) has no `\(key)`", hint: "add `\(key):`; it is required", at: value.location)
        }
    }

    mutating func string(_ value: RunbookValue, _ what: String) -> String? {
        if case .scalar(let s) = value.kind { return s }
        report("wrong-type", "\(what) must be a single value, not \(Self.describe(value))", at: value.location)
        return nil
    }

    mutating func int(_ value: RunbookValue, _ what: String) -> Int? {
        guard let text = string(value, what) else { return nil }
        if let number = Int(text) { return number }
        report(
            "wrong-type", "\(what) must be a whole number, not `\(text)`", hint: "write e.g. `1`", at: value.location)
        return nil
    }

    mutating func number(_ value: RunbookValue, _ what: String) -> Double? {
        guard let text = string(value, what) else { return nil }
        if let number = Double(text), number.isFinite { return number }
        report("wrong-type", "\(what) must be a number, not `\(text)`", hint: "write e.g. `2`", at: value.location)
        return nil
    }

    mutating func bool(_ value: RunbookValue, _ what: String) -> Bool? {
        guard let text = string(value, what) else { return nil }
        if let flag = Self.parseBool(text) { return flag }
        report("wrong-type", "\(what) must be `true` or `false`, not `\(text)`", at: value.location)
        return nil
    }

    static func parseBool(_ text: String) -> Bool? {
        switch text {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: return nil
        }
    }

    mutating func duration(_ value: RunbookValue, _ what: String) -> Duration? {
        guard let text = string(value, what) else { return nil }
        if let duration = RunbookDuration.parse(text) { return duration }
        report(
            "bad-duration", "\(what) is not a duration: `\(text)`", hint: "write \(RunbookDuration.acceptedForms)",
            at: value.location)
        return nil
    }

    mutating func timestamp(_ value: RunbookValue, _ what: String) -> Date? {
        guard let text = string(value, what) else { return nil }
        if let date = RunbookTimestamp.parse(text) { return date }
        report(
            "bad-timestamp", "\(what) is not a timestamp: `\(text)`", hint: "write \(RunbookTimestamp.acceptedForms)",
            at: value.location)
        return nil
    }

    mutating func choice<T: RawRepresentable & CaseIterable>(
        _ value: RunbookValue, _ what: String, as: T.Type
    )
        -> T? where T.RawValue == String
    {
        guard let text = string(value, what) else { return nil }
        if let choice = T(rawValue: text) { return choice }
        let allowed = T.allCases.map(\.rawValue)
        var hint = "use \(Hints.list(allowed))"
        if let near = Hints.nearest(to: text, in: allowed) {
            hint = "did you mean `\(near)`? Allowed: \(Hints.list(allowed))"
        }
        report("bad-value", "\(what) cannot be `\(text)`", hint: hint, at: value.location)
        return nil
    }

    /// A list of single values; a single value stands for a list of one.
    mutating func strings(_ value: RunbookValue, _ what: String) -> [(String, SourceLocation)] {
        switch value.kind {
        case .scalar(let s): return [(s, value.location)]
        case .null: return []
        case .sequence(let items):
            return items.compactMap { item in string(item, "each item of \(what)").map { ($0, item.location) } }
        case .mapping:
            report("wrong-type", "\(what) must be a list, not a mapping", hint: "write `[a, b]`", at: value.location)
            return []
        }
    }

    /// Text matching `pattern` (a whole-string regular expression) or `bad-value`.
    mutating func matching(_ value: RunbookValue, _ what: String, pattern: String, hint: String) -> String? {
        guard let text = string(value, what) else { return nil }
        if text.wholeMatch(pattern) { return text }
        report("bad-value", "\(what) cannot be `\(text)`", hint: hint, at: value.location)
        return nil
    }
}

extension String {
    /// Whether the whole string matches a regular expression (NSRegularExpression: no
    /// Swift Regex literal so the pattern can be shared with the JSON Schema verbatim).
    func wholeMatch(_ pattern: String) -> Bool {
        guard let regex = try? NSRegularExpression(pattern: "^(?:" + pattern + ")$") else { return false }
        return regex.firstMatch(in: self, range: NSRange(startIndex..., in: self)) != nil
    }
}
