/// The checks that need the whole runbook: unique step ids, `needs:` naming real steps and making
/// no cycle, known step types, declared accounts and parameters, and each step definition's own
/// checks (its expansion, run with the parameters' defaults).
struct RunbookValidator {
    let catalog: StepCatalog
    let parser: RunbookParser
    let runbook: Runbook

    func validate(into sink: inout DiagnosticSink) {
        let ids = checkUniqueIDs(into: &sink)
        checkNeeds(ids: ids, into: &sink)
        checkCycles(into: &sink)
        let declared = runbook.parameters.map(\.name)
        let defaults = runbook.parameters.reduce(into: [String: String]()) { $0[$1.name] = $1.defaultValue }
        let context = ExpansionContext(runbook: runbook, parameters: defaults)
        // A parameter without a default keeps its reference, so only undeclared names are reported
        // now; steps that use it are expanded by the planner once a value is given.
        var values = defaults
        for name in declared where values[name] == nil { values[name] = "${params.\(name)}" }
        for step in runbook.allSteps where !step.id.isEmpty && !step.uses.isEmpty {
            guard let definition = catalog.definition(for: step.uses) else {
                reportUnknownType(step, into: &sink)
                continue
            }
            var stepSink = DiagnosticSink(file: sink.file)
            StepInputCheck.check(step, against: definition, accounts: runbook.accounts.map(\.name), sink: &stepSink)
            let references =
                (step.with.map(Self.scalars) ?? []).flatMap { ParameterSubstitution.references(in: $0.0) }
                + (step.message.map(ParameterSubstitution.references(in:)) ?? [])
            var substituted = step
            if let with = step.with {
                substituted.with = ParameterSubstitution.substitute(
                    in: with, values: values, sink: &stepSink, declared: declared)
            }
            if let message = step.message {
                let outcome = ParameterSubstitution.substitute(message, values: values)
                ParameterSubstitution.report(
                    outcome, at: parser.messageLocations[step.location] ?? step.location, sink: &stepSink,
                    declared: declared)
                substituted.message = outcome.text
            }
            let allDefaulted = references.allSatisfy { defaults[$0] != nil }
            if !stepSink.hasErrors && allDefaulted {
                do {
                    let templates = try definition.expand(substituted, in: context)
                    checkTemplateAccounts(templates, of: step, into: &stepSink)
                } catch {
                    stepSink.append(error.diagnostics)
                }
            }
            sink.append(stepSink.diagnostics)
        }
    }

    /// Every scalar inside a value, with its location.
    static func scalars(_ value: RunbookValue) -> [(String, SourceLocation)] {
        switch value.kind {
        case .null: return []
        case .scalar(let text): return [(text, value.location)]
        case .sequence(let items): return items.flatMap(scalars)
        case .mapping(let entries): return entries.flatMap { scalars($0.value) }
        }
    }

    private func checkUniqueIDs(into sink: inout DiagnosticSink) -> Set<String> {
        var first: [String: SourceLocation] = [:]
        for (id, location) in parser.idLocations {
            if let earlier = first[id] {
                sink.report(
                    "duplicate-id", "step id `\(id)` is used twice",
                    hint: "the first `\(id)` is at line \(earlier.line); give this step another id", at: location)
            } else {
                first[id] = location
            }
        }
        return Set(first.keys)
    }

    private func checkNeeds(ids: Set<String>, into sink: inout DiagnosticSink) {
        let known = parser.idLocations.map(\.0)
        for (step, entries) in parser.needsLocations.sorted(by: { $0.key < $1.key }) {
            for (name, location) in entries where !ids.contains(name) {
                sink.report(
                    "unknown-step", "step `\(step)` needs `\(name)`, which is not a step of this runbook",
                    hint: Hints.didYouMean(name, among: known, listing: "steps"), at: location)
            }
        }
    }

    /// A `needs:` edge closes a cycle when the step it names already waits, through the runbook's
    /// order and other `needs:`, for the step that names it.
    private func checkCycles(into sink: inout DiagnosticSink) {
        let graph = StepGraph(runbook.steps)
        for (step, entries) in parser.needsLocations {
            for (name, location) in entries where graph.contains(name) {
                guard let path = graph.path(from: name, to: step) else { continue }
                let cycle = ([step] + path).map { "`\($0)`" }.joined(separator: " → ")
                sink.report(
                    "dependency-cycle", "step `\(step)` needs `\(name)`, but `\(name)` runs after `\(step)`: \(cycle)",
                    hint: "remove this `needs:` entry or move `\(name)` before `\(step)`", at: location)
            }
        }
    }

    private func reportUnknownType(_ step: StepSpec, into sink: inout DiagnosticSink) {
        let hint: String
        if let near = catalog.nearest(to: step.uses) {
            hint = "did you mean `\(near)`?"
        } else {
            hint = "known step types: \(Hints.list(catalog.types))"
        }
        sink.report(
            "unknown-step-type", "step `\(step.id)` uses `\(step.uses)`, which is not a known step type", hint: hint,
            at: parser.usesLocations[step.location] ?? step.location)
    }

    private func checkTemplateAccounts(
        _ templates: [PrimitiveTemplate], of step: StepSpec, into sink: inout DiagnosticSink
    ) {
        let declared = runbook.accounts.map(\.name)
        for account in Set(templates.compactMap(\.account)) where !declared.contains(account) {
            sink.report(
                "undeclared-account",
                "step `\(step.id)` acts in account `\(account)`, which the runbook does not declare",
                hint: AccountHints.declared(declared, near: account), at: step.location)
        }
    }
}
