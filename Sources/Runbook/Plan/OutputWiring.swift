/// The planner's pass over `${steps.ID.outputs.NAME}`: each reference in a primitive's inputs (or
/// its `message:`, shown to approvers) is
/// checked (the step exists, declares that output, and finishes before the primitive that reads
/// it starts) and recorded on the primitive as an `OutputReference` the engine resolves.
struct OutputWiring {
    let catalog: StepCatalog
    let runbook: Runbook
    /// Runbook steps after parameter substitution, by id.
    let steps: [String: StepSpec]

    func wire(_ planned: inout [PlannedStep], sink: inout DiagnosticSink) {
        let index = Dictionary(uniqueKeysWithValues: planned.enumerated().map { ($0.element.id, $0.offset) })
        for offset in planned.indices {
            let texts = Self.strings(in: planned[offset].inputs) + (planned[offset].message.map { [$0] } ?? [])
            let found = texts.flatMap(OutputReferenceSyntax.references(in:))
            guard !found.isEmpty else { continue }
            let reader = planned[offset]
            let ancestors = Self.ancestors(of: reader.id, in: planned, index: index)
            var references: [OutputReference] = []
            for reference in Set(found).sorted(by: { $0.text < $1.text }) {
                let location = location(of: reference.text, in: reader.origin)
                if let resolved = resolve(reference, for: reader, ancestors: ancestors, planned: planned, at: location, sink: &sink) {
                    references.append(resolved)
                }
            }
            // Kept: references a step definition wired itself (`PrimitiveTemplate.approvalMessage`).
            let wired = (planned[offset].outputReferences ?? []) + references
            planned[offset].outputReferences = wired.isEmpty ? nil : wired
        }
    }

    private func resolve(
        _ reference: OutputReferenceSyntax.Found, for reader: PlannedStep, ancestors: Set<String>, planned: [PlannedStep],
        at location: SourceLocation, sink: inout DiagnosticSink
    ) -> OutputReference? {
        guard let step = steps[reference.step], let definition = catalog.definition(for: step.uses) else {
            sink.report(
                "unknown-step", "`\(reference.text)` names step `\(reference.step)`, which is not a step of this runbook",
                hint: Hints.didYouMean(reference.step, among: runbook.allSteps.map(\.id), listing: "steps"), at: location)
            return nil
        }
        let declared = definition.outputs(of: step)
        guard let output = declared.first(where: { $0.name == reference.output }) else {
            let names = declared.map(\.name)
            sink.report(
                "unknown-output", "step `\(step.id)` (`\(step.uses)`) has no output `\(reference.output)`",
                hint: names.isEmpty
                    ? "`\(step.uses)` has no outputs"
                    : Hints.didYouMean(reference.output, among: names, listing: "its outputs"),
                at: location)
            return nil
        }
        let primitives = planned.filter { $0.origin == step.id }.map(\.id)
        let producer: String
        var key: String?
        var value: String?
        switch output.source {
        case .primitive(let name, let outputKey):
            producer = name.map { "\(step.id).\($0)" } ?? step.id
            key = outputKey
        case .input(let name):
            producer = primitives.last ?? step.id
            value = step.with?[name]?.scalar
        case .region:
            producer = primitives.last ?? step.id
            value = runbook.region
        }
        guard primitives.contains(producer) else {
            sink.report(
                "unknown-output", "step `\(step.id)` does not produce `\(reference.output)` in this configuration",
                hint: "its primitives are \(Hints.list(primitives))", at: location)
            return nil
        }
        guard ancestors.contains(producer) else {
            sink.report(
                "output-not-ready",
                "`\(reference.text)` is read by `\(reader.id)`, which does not wait for `\(producer)` to finish",
                hint: reader.origin == step.id
                    ? "a step cannot read its own outputs"
                    : "move `\(reader.origin)` after `\(step.id)` or add `needs: [\(step.id)]` to it", at: location)
            return nil
        }
        if case .primitive = output.source {
        } else if value == nil {
            sink.report(
                "unknown-output", "step `\(step.id)` has no value for `\(reference.output)`", hint: "set its input", at: location)
            return nil
        }
        return OutputReference(
            text: reference.text, step: step.id, output: reference.output, primitive: producer, key: key,
            planned: value)
    }

    /// Where the reference is written: the `with:` scalar holding it, or the step.
    private func location(of text: String, in stepID: String) -> SourceLocation {
        let step = steps[stepID]
        let scalars = step?.with.map(RunbookValidator.scalars) ?? []
        return scalars.first { $0.0.contains(text) }?.1 ?? step?.location ?? SourceLocation(file: runbook.file, line: 1, column: 1)
    }

    /// Every primitive `id` waits for, directly or through others.
    static func ancestors(of id: String, in planned: [PlannedStep], index: [String: Int]) -> Set<String> {
        var seen: Set<String> = []
        var queue = planned[index[id]!].dependsOn
        while let next = queue.popLast() {
            guard seen.insert(next).inserted, let at = index[next] else { continue }
            queue.append(contentsOf: planned[at].dependsOn)
        }
        return seen
    }

    /// Every string in a JSON value.
    static func strings(in value: JSONValue) -> [String] {
        switch value {
        case .string(let text): return [text]
        case .array(let items): return items.flatMap { strings(in: $0) }
        case .object(let entries): return entries.flatMap { strings(in: $0.1) }
        default: return []
        }
    }
}
