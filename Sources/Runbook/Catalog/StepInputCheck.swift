/// The checks every step's `with:` gets from its definition's declared `inputs`, before the
/// definition's own `expand`: unknown keys, missing required keys, the kind of each value, and
/// that every account named (an `.account` input, or an `account:` key anywhere inside) is declared.
/// Values still holding `${params.…}` are checked after substitution, by the planner.
enum StepInputCheck {
    static func check(
        _ step: StepSpec, against definition: any StepDefinition, accounts: [String], sink: inout DiagnosticSink
    ) {
        let inputs = definition.inputs
        let names = inputs.map(\.name)
        guard let with = step.with, with.kind != .null else {
            for input in inputs where input.required {
                sink.report(
                    "missing-key", "step `\(step.id)` (\(step.uses)) needs `with.\(input.name)`",
                    hint: "add `with: { \(input.name): … }`\(input.summary.isEmpty ? "" : " — \(input.summary)")",
                    at: step.location)
            }
            return
        }
        guard case .mapping(let entries) = with.kind else {
            sink.report(
                "wrong-type",
                "`with:` of step `\(step.id)` must be a mapping of inputs, not \(DiagnosticSink.describe(with))",
                hint: inputs.isEmpty
                    ? "`\(step.uses)` takes no inputs; remove `with:`"
                    : "inputs of `\(step.uses)`: \(Hints.list(names))",
                at: with.location)
            return
        }
        for entry in entries {
            guard let input = inputs.first(where: { $0.name == entry.key }) else {
                if let reason = definition.refusedInputs[entry.key] {
                    sink.report(
                        "refused-key", "`\(entry.key)` does not apply to `\(step.uses)` (step `\(step.id)`)", hint: reason,
                        at: entry.keyLocation)
                    continue
                }
                let hint =
                    inputs.isEmpty
                    ? "`\(step.uses)` takes no inputs; remove it"
                    : Hints.didYouMean(entry.key, among: names, listing: "inputs of `\(step.uses)`")
                sink.report(
                    "unknown-key", "`\(entry.key)` is not an input of `\(step.uses)` (step `\(step.id)`)", hint: hint,
                    at: entry.keyLocation)
                continue
            }
            checkKind(entry.value, input: input, step: step, accounts: accounts, sink: &sink)
        }
        for input in inputs where input.required && !entries.contains(where: { $0.key == input.name }) {
            sink.report(
                "missing-key", "step `\(step.id)` (\(step.uses)) needs `with.\(input.name)`",
                hint: "add `\(input.name):` under `with:`\(input.summary.isEmpty ? "" : " — \(input.summary)")",
                at: with.location)
        }
        checkNestedAccounts(with, topLevel: true, step: step, accounts: accounts, sink: &sink)
    }

    private static func checkKind(
        _ value: RunbookValue, input: StepInput, step: StepSpec, accounts: [String], sink: inout DiagnosticSink
    ) {
        if let text = value.scalar, text.contains("${") { return }
        let what = "`with.\(input.name)` of step `\(step.id)`"
        switch input.kind {
        case .string: _ = sink.string(value, what)
        case .int: _ = sink.int(value, what)
        case .bool: _ = sink.bool(value, what)
        case .duration: _ = sink.duration(value, what)
        case .account: checkAccount(value, what, accounts: accounts, sink: &sink)
        case .list:
            if case .sequence = value.kind { return }
            sink.report(
                "wrong-type", "\(what) must be a list, not \(DiagnosticSink.describe(value))", hint: "write `[a, b]`",
                at: value.location)
        case .mapping:
            _ = sink.mapping(value, what, example: "`{ key: value }`")
        }
    }

    static func checkAccount(_ value: RunbookValue, _ what: String, accounts: [String], sink: inout DiagnosticSink) {
        guard let name = sink.string(value, what), !name.contains("${") else { return }
        guard !accounts.contains(name) else { return }
        sink.report(
            "undeclared-account", "\(what) names account `\(name)`, which the runbook does not declare",
            hint: AccountHints.declared(accounts, near: name), at: value.location)
    }

    /// `account:` keys nested anywhere in `with:` (`from: { account: legacy, bucket: … }`).
    private static func checkNestedAccounts(
        _ value: RunbookValue, topLevel: Bool, step: StepSpec, accounts: [String], sink: inout DiagnosticSink
    ) {
        switch value.kind {
        case .mapping(let entries):
            for entry in entries {
                if entry.key == "account", !topLevel {
                    checkAccount(entry.value, "`account` in step `\(step.id)`", accounts: accounts, sink: &sink)
                } else {
                    checkNestedAccounts(entry.value, topLevel: false, step: step, accounts: accounts, sink: &sink)
                }
            }
        case .sequence(let items):
            for item in items {
                checkNestedAccounts(item, topLevel: false, step: step, accounts: accounts, sink: &sink)
            }
        default: return
        }
    }
}
