/// Checks a parameter value (a default in the runbook or a `--param` at start) against its type.
enum ParameterValue {
    struct Problem {
        var code: String
        var message: String
        var hint: String
    }

    static func problem(_ text: String, kind: ParameterSpec.Kind) -> Problem? {
        switch kind {
        case .string: return nil
        case .int:
            return Int(text) == nil
                ? Problem(code: "wrong-type", message: "not a whole number", hint: "give a whole number, e.g. `3`")
                : nil
        case .bool:
            return DiagnosticSink.parseBool(text) == nil
                ? Problem(code: "wrong-type", message: "not `true` or `false`", hint: "give `true` or `false`") : nil
        case .timestamp:
            return RunbookTimestamp.parse(text) == nil
                ? Problem(code: "bad-timestamp", message: "not a timestamp", hint: "give \(RunbookTimestamp.acceptedForms)")
                : nil
        case .duration:
            return RunbookDuration.parse(text) == nil
                ? Problem(
                    code: "bad-duration", message: "not a duration", hint: "give \(RunbookDuration.acceptedForms)")
                : nil
        }
    }
}
