/// Turns a loaded runbook and the start's parameters into the `RunbookPlan` the engine executes:
/// parameters substituted, every step expanded into primitives, dependencies wired (the list's
/// order, `parallel` branches, `needs:`), gates and window placement decided, primitives in a
/// stable topological order, and the plan hashed.
public struct RunbookPlanner: Sendable {
    public var catalog: StepCatalog

    public init(catalog: StepCatalog) { self.catalog = catalog }

    public func plan(
        _ runbook: Runbook, parameters given: [String: String]
    ) throws(RunbookDiagnostics)
        -> RunbookPlan
    {
        var sink = DiagnosticSink(file: runbook.file)
        let values = resolveParameters(runbook, given: given, sink: &sink)
        try sink.throwIfErrors()
        let window = resolveWindow(runbook, values: values, sink: &sink)
        try sink.throwIfErrors()

        let steps = substitutedSteps(runbook, values: values, sink: &sink)
        var context = ExpansionContext(runbook: runbook, parameters: values)
        let firstPass = expand(steps, context: context, sink: &sink)
        try sink.throwIfErrors()

        context.primitiveIDs = firstPass.mapValues { templates in
            templates.map { PlanWiring.primitiveID(step: $0.0, template: $0.1) }
        }
        let templates = expand(steps, context: context, sink: &sink)
        try sink.throwIfErrors()

        var wiring = PlanWiring(runbook: runbook, steps: steps, templates: templates)
        var planned = wiring.build(sink: &sink)
        try sink.throwIfErrors()
        OutputWiring(catalog: catalog, runbook: runbook, steps: steps).wire(&planned, sink: &sink)
        try sink.throwIfErrors()

        var plan = RunbookPlan(
            runbookName: runbook.name, runbookFile: runbook.file, runbookHash: runbook.sourceHash,
            region: runbook.region, accounts: runbook.accounts, window: window, parameters: values,
            steps: planned)
        plan.runGuard = runbook.guardSpec
        plan.hash = plan.computeHash()
        return plan
    }

    /// Each step with `${params.NAME}` replaced in `with:` and `message:`, by id.
    private func substitutedSteps(
        _ runbook: Runbook, values: [String: String], sink: inout DiagnosticSink
    )
        -> [String: StepSpec]
    {
        let declared = runbook.parameters.map(\.name)
        var steps: [String: StepSpec] = [:]
        for var step in runbook.allSteps {
            if let with = step.with {
                step.with = ParameterSubstitution.substitute(in: with, values: values, sink: &sink, declared: declared)
            }
            if let message = step.message {
                let outcome = ParameterSubstitution.substitute(message, values: values)
                ParameterSubstitution.report(outcome, at: step.location, sink: &sink, declared: declared)
                step.message = outcome.text
            }
            steps[step.id] = step
        }
        return steps
    }

    /// Every step's primitives, by runbook step id (each paired with its step).
    private func expand(
        _ steps: [String: StepSpec], context: ExpansionContext, sink: inout DiagnosticSink
    )
        -> [String: [(StepSpec, PrimitiveTemplate)]]
    {
        var result: [String: [(StepSpec, PrimitiveTemplate)]] = [:]
        let accounts = context.runbook.accounts.map(\.name)
        for step in context.runbook.allSteps {
            guard let step = steps[step.id] else { continue }
            guard let definition = catalog.definition(for: step.uses) else {
                sink.report(
                    "unknown-step-type", "step `\(step.id)` uses `\(step.uses)`, which is not a known step type",
                    hint: catalog.nearest(to: step.uses).map { "did you mean `\($0)`?" }
                        ?? "known step types: \(Hints.list(catalog.types))",
                    at: step.location)
                continue
            }
            var stepSink = DiagnosticSink(file: sink.file)
            StepInputCheck.check(step, against: definition, accounts: accounts, sink: &stepSink)
            if !stepSink.hasErrors {
                do {
                    let templates = try definition.expand(step, in: context)
                    result[step.id] = templates.map { (step, $0) }
                    for account in Set(templates.compactMap(\.account)) where !accounts.contains(account) {
                        stepSink.report(
                            "undeclared-account",
                            "step `\(step.id)` acts in account `\(account)`, which the runbook does not declare",
                            hint: AccountHints.declared(accounts, near: account), at: step.location)
                    }
                } catch {
                    stepSink.append(error.diagnostics)
                }
            }
            sink.append(stepSink.diagnostics)
        }
        return result
    }
}
