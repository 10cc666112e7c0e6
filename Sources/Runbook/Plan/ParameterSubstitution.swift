/// `${params.NAME}` in `with:` scalars and `message:` texts, replaced by the parameter's value.
enum ParameterSubstitution {
    struct Outcome {
        var text: String
        /// Names referenced but not given a value.
        var unknown: [String] = []
        /// `${…}` that is not `${params.NAME}`.
        var malformed: [String] = []
    }

    /// The parameter's name when `text` is one whole reference, `${params.NAME}`, and nothing else.
    static func wholeReference(_ text: String) -> String? {
        guard text.hasPrefix("${params."), text.hasSuffix("}") else { return nil }
        let name = text.dropFirst(9).dropLast()
        return name.wholeMatchParameterName ? String(name) : nil
    }

    /// The names `text` references.
    static func references(in text: String) -> [String] {
        var names: [String] = []
        _ = substitute(text) { name in
            names.append(name)
            return ""
        }
        return names
    }

    static func substitute(_ text: String, values: [String: String]) -> Outcome {
        substitute(text) { values[$0] }
    }

    private static func substitute(_ text: String, value: (String) -> String?) -> Outcome {
        var outcome = Outcome(text: "")
        var rest = Substring(text)
        while let open = rest.range(of: "${") {
            outcome.text += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                outcome.malformed.append(String(rest[open.lowerBound...]))
                outcome.text += rest[open.lowerBound...]
                return outcome
            }
            let reference = String(rest[open.upperBound..<close])
            if reference.hasPrefix("params."), reference.dropFirst(7).wholeMatchParameterName {
                let name = String(reference.dropFirst(7))
                if let replacement = value(name) {
                    outcome.text += replacement
                } else {
                    outcome.unknown.append(name)
                    outcome.text += rest[open.lowerBound...close]
                }
            } else if OutputReferenceSyntax.isReference(reference) {
                // `${steps.ID.outputs.NAME}`: kept for the planner, resolved by the engine at run time.
                outcome.text += rest[open.lowerBound...close]
            } else {
                outcome.malformed.append("${\(reference)}")
                outcome.text += rest[open.lowerBound...close]
            }
            rest = rest[rest.index(after: close)...]
        }
        outcome.text += rest
        return outcome
    }

    /// Every scalar of `value` with references replaced; unknown names and malformed references
    /// are reported at the scalar that holds them.
    static func substitute(
        in value: RunbookValue, values: [String: String], sink: inout DiagnosticSink, declared: [String]
    ) -> RunbookValue {
        switch value.kind {
        case .null: return value
        case .scalar(let text):
            let outcome = substitute(text, values: values)
            report(outcome, at: value.location, sink: &sink, declared: declared)
            return RunbookValue(.scalar(outcome.text), at: value.location)
        case .sequence(let items):
            return RunbookValue(
                .sequence(items.map { substitute(in: $0, values: values, sink: &sink, declared: declared) }),
                at: value.location)
        case .mapping(let entries):
            return RunbookValue(
                .mapping(
                    entries.map {
                        (
                            key: $0.key, keyLocation: $0.keyLocation,
                            value: substitute(in: $0.value, values: values, sink: &sink, declared: declared)
                        )
                    }), at: value.location)
        }
    }

    static func report(
        _ outcome: Outcome, at location: SourceLocation, sink: inout DiagnosticSink, declared: [String]
    ) {
        for name in outcome.unknown {
            sink.report(
                "unknown-parameter", "`${params.\(name)}` names a parameter the runbook does not declare",
                hint: declared.isEmpty
                    ? "declare it under `parameters:`"
                    : Hints.didYouMean(name, among: declared, listing: "declared parameters"),
                at: location)
        }
        for reference in outcome.malformed {
            sink.report(
                "bad-value", "`\(reference)` is neither a parameter nor a step output reference",
                hint: "write `${params.NAME}` (NAME declared under `parameters:`) or `${steps.ID.outputs.NAME}`", at: location)
        }
    }
}

extension Substring {
    fileprivate var wholeMatchParameterName: Bool { String(self).wholeMatch(RunbookSyntax.parameterName) }
}
