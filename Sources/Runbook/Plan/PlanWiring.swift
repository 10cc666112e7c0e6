/// Builds the plan's primitives from the expanded steps: ids, dependencies, gates, window
/// placement and policies; then orders them topologically (file order where the order is free)
/// and marks each one's rollback barrier.
struct PlanWiring {
    let runbook: Runbook
    let steps: [String: StepSpec]
    let templates: [String: [(StepSpec, PrimitiveTemplate)]]
    /// In file order, before sorting.
    private var planned: [PlannedStep] = []

    init(runbook: Runbook, steps: [String: StepSpec], templates: [String: [(StepSpec, PrimitiveTemplate)]]) {
        self.runbook = runbook
        self.steps = steps
        self.templates = templates
    }

    static func primitiveID(step: StepSpec, template: PrimitiveTemplate) -> String {
        template.name.map { "\(step.id).\($0)" } ?? step.id
    }

    mutating func build(sink: inout DiagnosticSink) -> [PlannedStep] {
        _ = link(runbook.steps, after: [])
        addNeeds()
        var seen: [String: PlannedStep] = [:]
        for step in planned {
            if let first = seen[step.id] {
                sink.report(
                    "duplicate-id", "two primitives would both be called `\(step.id)`",
                    hint: "the first comes from step `\(first.origin)`; rename one of the steps",
                    at: step.location ?? Self.top(runbook))
            }
            seen[step.id] = seen[step.id] ?? step
        }
        guard !sink.hasErrors, let ordered = topologicalOrder(sink: &sink) else { return [] }
        return withRollbackBarriers(ordered)
    }

    private static func top(_ runbook: Runbook) -> SourceLocation {
        SourceLocation(file: runbook.file, line: 1, column: 1)
    }

    /// Plans a sequence of nodes after `previous`; returns what the next node depends on.
    private mutating func link(_ nodes: [StepNode], after previous: [String]) -> [String] {
        var previous = previous
        for node in nodes {
            switch node {
            case .step(let spec):
                guard let expanded = templates[spec.id], !expanded.isEmpty else { continue }
                var dependsOn = previous
                for (step, template) in expanded {
                    let primitive = makePrimitive(step, template, dependsOn: dependsOn)
                    planned.append(primitive)
                    dependsOn = [primitive.id]
                }
                previous = dependsOn
            case .parallel(let branches, _):
                let start = previous
                var ends: [String] = []
                for branch in branches { ends.append(contentsOf: link(branch, after: start)) }
                previous = ends.isEmpty ? start : Self.unique(ends)
            }
        }
        return previous
    }

    private func makePrimitive(_ step: StepSpec, _ template: PrimitiveTemplate, dependsOn: [String]) -> PlannedStep {
        let gated = template.requiresApproval || template.reversibility.isPointOfNoReturn
        var options = template.decisionOptions ?? DecisionOption.always
        for required in DecisionOption.always where !options.contains(required) { options.append(required) }
        for option in template.decisionRetries.keys.sorted(by: { $0.rawValue < $1.rawValue }) where !options.contains(option) {
            options.append(option)
        }
        var undoApproval = template.undoApproval
        if let gate = undoApproval, gate.policy == ApprovalPolicy() {
            undoApproval?.policy = step.approval ?? runbook.approvals
        }
        var primitive = PlannedStep(
            id: Self.primitiveID(step: step, template: template), origin: step.id, type: template.type,
            title: template.title, account: template.account, effect: template.effect,
            reversibility: template.reversibility, dependsOn: dependsOn,
            window: template.window ?? step.window ?? (runbook.window == nil ? .any : .inside),
            estimatedDuration: template.estimatedDuration,
            approval: gated ? (step.approval ?? runbook.approvals) : nil,
            retry: step.retry ?? template.retry ?? .none, timeout: step.timeout,
            onFailure: step.onFailure ?? template.onFailure ?? .pause, decisionOptions: options,
            decisionRetries: template.decisionRetries, inputs: template.inputs, message: step.message, location: step.location)
        primitive.undoRetry = template.undoRetry
        primitive.undoApproval = undoApproval
        if let approval = template.approvalMessage, let origin = templates[step.id] {
            // The runbook's own `message:` first; the template's (with sibling outputs) after it.
            primitive.message = (step.message.map { $0 + "\n\n" } ?? "") + approval.text
            primitive.outputReferences = approval.values.compactMap { value in
                guard let sibling = origin.first(where: { $0.1.name == value.primitive }) else { return nil }
                let id = Self.primitiveID(step: sibling.0, template: sibling.1)
                return OutputReference(text: value.placeholder, step: step.id, output: value.key, primitive: id, key: value.key)
            }
        }
        if let condition = template.approvalCondition, gated, !template.reversibility.isPointOfNoReturn {
            primitive.approvalCondition = siblingCondition(condition, of: step)
        }
        if let condition = undoApproval?.onlyIf {
            primitive.undoApproval?.onlyIf = siblingCondition(condition, of: step)
        }
        if let after = undoApproval?.onlyAfter, let origin = templates[step.id] {
            // `onlyAfter` names a sibling primitive by its template name.
            if let sibling = origin.first(where: { $0.1.name == after }) {
                primitive.undoApproval?.onlyAfter = Self.primitiveID(step: sibling.0, template: sibling.1)
            }
        }
        return primitive
    }

    /// A condition naming a sibling primitive by its template name, with the sibling's plan id.
    private func siblingCondition(_ condition: ApprovalCondition, of step: StepSpec) -> ApprovalCondition {
        var resolved = condition
        if let sibling = templates[step.id]?.first(where: { $0.1.name == condition.primitive }) {
            resolved.primitive = Self.primitiveID(step: sibling.0, template: sibling.1)
        }
        return resolved
    }

    /// `needs:` (from a step's first primitive) and a template's own `needs` (from that primitive),
    /// each to the named step's last primitive.
    private mutating func addNeeds() {
        var index: [String: Int] = [:]
        for (offset, step) in planned.enumerated() { index[step.id] = offset }
        func last(of stepID: String) -> String? {
            templates[stepID]?.last.map { Self.primitiveID(step: $0.0, template: $0.1) }
        }
        for (stepID, expanded) in templates {
            guard let (firstStep, firstTemplate) = expanded.first,
                let first = index[Self.primitiveID(step: firstStep, template: firstTemplate)]
            else { continue }
            for name in steps[stepID]?.needs ?? [] {
                if let target = last(of: name) { planned[first].dependsOn.append(target) }
            }
            for (step, template) in expanded where !template.needs.isEmpty {
                guard let at = index[Self.primitiveID(step: step, template: template)] else { continue }
                for name in template.needs {
                    if let target = last(of: name) { planned[at].dependsOn.append(target) }
                }
            }
        }
        for offset in planned.indices { planned[offset].dependsOn = Self.unique(planned[offset].dependsOn) }
    }

    /// Kahn's algorithm, always taking the earliest ready primitive in file order.
    private func topologicalOrder(sink: inout DiagnosticSink) -> [PlannedStep]? {
        var remaining: [String: Int] = [:]
        var dependents: [String: [Int]] = [:]
        for (offset, step) in planned.enumerated() {
            remaining[step.id] = step.dependsOn.count
            for dependency in step.dependsOn { dependents[dependency, default: []].append(offset) }
        }
        var ready = planned.indices.filter { planned[$0].dependsOn.isEmpty }
        var ordered: [PlannedStep] = []
        while let next = ready.min() {
            ready.removeAll { $0 == next }
            ordered.append(planned[next])
            for dependent in dependents[planned[next].id] ?? [] {
                remaining[planned[dependent].id]! -= 1
                if remaining[planned[dependent].id] == 0 { ready.append(dependent) }
            }
        }
        guard ordered.count < planned.count else { return ordered }
        let stuck = planned.filter { remaining[$0.id, default: 0] > 0 }
        let names = stuck.map { "`\($0.id)`" }.joined(separator: ", ")
        sink.report(
            "dependency-cycle", "these primitives wait for each other and could never start: \(names)",
            hint:
                "check `needs:` and `wait` steps' `after:` on the steps \(Hints.list(Self.unique(stuck.map(\.origin))))",
            at: stuck.first?.location ?? Self.top(runbook))
        return nil
    }

    private func withRollbackBarriers(_ ordered: [PlannedStep]) -> [PlannedStep] {
        var position: [String: Int] = [:]
        var ancestors: [String: Set<String>] = [:]
        var result = ordered
        for (offset, step) in ordered.enumerated() {
            position[step.id] = offset
            var all: Set<String> = []
            for dependency in step.dependsOn {
                all.insert(dependency)
                all.formUnion(ancestors[dependency] ?? [])
            }
            ancestors[step.id] = all
            result[offset].rollbackBarrier =
                all
                .filter { id in ordered[position[id]!].reversibility == .irreversible }  // compensated: not a barrier
                .max { position[$0]! < position[$1]! }
        }
        return result
    }

    private static func unique(_ ids: [String]) -> [String] {
        var seen: Set<String> = []
        return ids.filter { seen.insert($0).inserted }
    }
}
