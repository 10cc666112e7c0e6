/// `steps:`: a list of step mappings and `parallel:` groups whose branches are a step or a list.
extension RunbookParser {
    mutating func stepList(_ value: RunbookValue) -> [StepNode] {
        guard case .sequence(let items) = value.kind else {
            sink.report(
                "wrong-type", "`steps` must be a list, not \(DiagnosticSink.describe(value))",
                hint: "write each step as a list item: `- id: …`", at: value.location)
            return []
        }
        if items.isEmpty {
            sink.report("missing-key", "`steps` is empty", hint: "add at least one step", at: value.location)
        }
        return items.compactMap { node($0) }
    }

    /// A list item: a step or a `parallel:` group.
    mutating func node(_ value: RunbookValue) -> StepNode? {
        guard
            let fields = sink.mapping(
                value, "a step", example: "`- id: maintenance-on` / `  uses: approval`, or `- parallel: [...]`")
        else { return nil }
        if let parallel = fields.first(where: { $0.key == "parallel" }) {
            sink.checkKeys(fields, of: value, "a `parallel` group", allowed: ["parallel"], required: [])
            return parallelGroup(parallel.value, at: parallel.keyLocation)
        }
        return step(value, fields).map(StepNode.step)
    }

    private mutating func parallelGroup(_ value: RunbookValue, at location: SourceLocation) -> StepNode? {
        guard case .sequence(let items) = value.kind, !items.isEmpty else {
            sink.report(
                "wrong-type", "`parallel` must be a list of branches, not \(DiagnosticSink.describe(value))",
                hint: "list each branch as `- id: …` (one step) or `- [ {id: …}, {id: …} ]` (a sequence)",
                at: value.location)
            return nil
        }
        let branches = items.map { branch -> [StepNode] in
            if case .sequence(let steps) = branch.kind { return steps.compactMap { node($0) } }
            return node(branch).map { [$0] } ?? []
        }
        return .parallel(branches, location: location)
    }

    private mutating func step(_ value: RunbookValue, _ fields: DiagnosticSink.Entries) -> StepSpec? {
        sink.checkKeys(fields, of: value, "a step", allowed: RunbookSyntax.stepKeys, required: ["id", "uses"])
        var spec = StepSpec(id: "", uses: "", location: value.location)
        for field in fields {
            let label = "`\(field.key)` of step `\(spec.id.isEmpty ? "?" : spec.id)`"
            switch field.key {
            case "id":
                if let id = sink.matching(
                    field.value, "a step `id`", pattern: RunbookSyntax.stepID,
                    hint: "use lowercase letters, digits, `-` and `_`, e.g. `move-images`")
                {
                    spec.id = id
                    idLocations.append((id, field.value.location))
                }
            case "uses":
                spec.uses = sink.string(field.value, label) ?? ""
            case "with": spec.with = field.value
            case "message": spec.message = sink.string(field.value, label)
            case "needs": break
            case "retry": spec.retry = retryPolicy(field.value, label)
            case "timeout": spec.timeout = sink.duration(field.value, label)
            case "onFailure": spec.onFailure = sink.choice(field.value, label, as: FailureAction.self)
            case "window": spec.window = sink.choice(field.value, label, as: WindowPlacement.self)
            case "approval": spec.approval = approvalPolicy(field.value, label)
            default: break
            }
        }
        if let needs = fields.first(where: { $0.key == "needs" }) {
            let entries = sink.strings(needs.value, "`needs` of step `\(spec.id)`")
            spec.needs = entries.map { $0.0 }
            if !spec.id.isEmpty { needsLocations[spec.id, default: []].append(contentsOf: entries) }
        }
        // Keyed by the step's own node, not its id: with a duplicated id, each step's problems
        // are still reported at its own lines.
        if let uses = fields.first(where: { $0.key == "uses" }) {
            usesLocations[spec.location] = uses.value.location
        }
        if let message = fields.first(where: { $0.key == "message" }) {
            messageLocations[spec.location] = message.value.location
        }
        return spec
    }
}
