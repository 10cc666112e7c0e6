/// Renders a plan for people (`text`) and for tools (`json`). `cutoverctl plan` prints the text:
/// every primitive with its account, effect, reversibility, gate, window placement and estimate;
/// the projected in-window time against the window; and what a rollback can no longer restore
/// after each point of no return.
public struct PlanRenderer: Sendable {
    public init() {}

    public func text(_ plan: RunbookPlan) -> String {
        var lines: [String] = []
        lines.append("Plan for \(plan.runbookName) (\(plan.runbookFile))")
        var header: [(String, String)] = [
            ("plan hash", "\(plan.hash.prefix(12))  (runbook sha256 \(plan.runbookHash.prefix(12)))"),
            ("region", plan.region),
        ]
        for (offset, account) in plan.accounts.enumerated() {
            var text = "\(account.name) = \(account.accountId ?? "(account of the daemon's credentials)")"
            if let role = account.role { text += " via \(role)" }
            header.append((offset == 0 ? "accounts" : "", text))
        }
        if let window = plan.window {
            let length = Duration.seconds(window.end.timeIntervalSince(window.start))
            header.append(
                (
                    "window",
                    "\(RunbookTimestamp.format(window.start)) → \(RunbookTimestamp.format(window.end)) "
                        + "(\(RunbookDuration.format(length))), on overrun: \(window.onOverrun.rawValue)"
                ))
        } else {
            header.append(("window", "none: every step may run at any time"))
        }
        if let runGuard = plan.runGuard {
            header.append(
                (
                    "guard",
                    "CloudWatch alarms \(runGuard.alarms.joined(separator: ", ")) in \(runGuard.account): read before each "
                        + "step and point of no return; one in ALARM pauses the run"
                ))
        }
        if !plan.parameters.isEmpty {
            header.append(
                (
                    "parameters",
                    plan.parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
                ))
        }
        for (label, value) in header { lines.append("  " + Self.pad(label, 12) + value) }

        lines.append("")
        lines.append(contentsOf: table(plan))
        lines.append("")
        let references = outputs(plan)
        if !references.isEmpty {
            lines.append(contentsOf: references)
            lines.append("")
        }
        let gates = gatedPrimitives(plan)
        if !gates.isEmpty {
            lines.append(contentsOf: gates)
            lines.append("")
        }
        lines.append(contentsOf: projection(plan))
        lines.append("")
        lines.append(contentsOf: rollback(plan))
        if !plan.warnings.isEmpty {
            lines.append("")
            lines.append("Warnings")
            lines.append(contentsOf: plan.warnings.map { "  ! \($0)" })
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `approval: 1 of group:cutover-approvers`, or `-`.
    static func gate(_ policy: ApprovalPolicy?) -> String {
        guard let policy else { return "-" }
        let who =
            policy.approvers.isEmpty ? "any approver" : policy.approvers.map(\.description).joined(separator: ", ")
        return "approval: \(policy.required) of \(who)"
    }

    private func table(_ plan: RunbookPlan) -> [String] {
        let rows: [[String]] =
            [["#", "step", "account", "effect", "undo", "gate", "window", "estimate"]]
            + plan.steps.enumerated().map { offset, step in
                [
                    "\(offset + 1)", step.id, step.account ?? "-", step.effect == .mutating ? "MUT" : "RO",
                    Self.undoColumn(step),
                    Self.gate(step.approval), step.window == .inside ? "in-window" : "any-time",
                    RunbookDuration.format(step.estimatedDuration),
                ]
            }
        let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            "  "
                + row.enumerated().map { column, cell in
                    column == row.count - 1 ? cell : Self.pad(cell, widths[column] + 2)
                }.joined()
        }
    }

    /// What approvers of a gated primitive (not an `approval` step, whose message says it) are
    /// asked: its title, e.g. a KMS key's deletion with the pending window.
    private func gatedPrimitives(_ plan: RunbookPlan) -> [String] {
        let gated = plan.steps.filter { $0.approval != nil && $0.type != "approval" }
        guard !gated.isEmpty else { return [] }
        return ["Approvals before primitives"]
            + gated.map { step in
                "  before \(step.id)" + (step.approvalCondition.map { " (\($0.description); else skipped, journaled)" } ?? "")
                    + ": \(step.title)"
            }
    }

    /// Which primitive reads which step output, and where the value comes from.
    private func outputs(_ plan: RunbookPlan) -> [String] {
        let readers = plan.steps.filter { !($0.outputReferences ?? []).isEmpty }
        guard !readers.isEmpty else { return [] }
        var lines = ["Step outputs read (resolved from the journal when the reader starts)"]
        for step in readers {
            for reference in step.outputReferences ?? [] {
                let source = reference.planned.map { "planned: \($0)" } ?? "output `\(reference.key ?? reference.output)`"
                lines.append("  \(step.id): \(reference.text) ← \(reference.primitive) \(source)")
            }
        }
        return lines
    }

    private func projection(_ plan: RunbookPlan) -> [String] {
        let projection = PlanProjection(plan)
        var lines = ["Projection"]
        let inWindow = RunbookDuration.format(projection.inWindowCriticalPath)
        lines.append(
            "  in-window work  \(inWindow) on the critical path (\(RunbookDuration.format(projection.inWindowTotal)) if run one after another)"
        )
        if let window = projection.windowLength {
            let length = RunbookDuration.format(window)
            if projection.inWindowCriticalPath <= window {
                lines.append(
                    "  window          \(length): fits, \(RunbookDuration.format(window - projection.inWindowCriticalPath)) to spare"
                )
            } else {
                lines.append(
                    "  window          \(length): DOES NOT FIT, \(RunbookDuration.format(projection.inWindowCriticalPath - window)) over"
                )
            }
        } else {
            lines.append("  window          none")
        }
        lines.append("  whole run       \(RunbookDuration.format(projection.totalCriticalPath)) on the critical path")
        return lines
    }

    static func undoColumn(_ step: PlannedStep) -> String {
        switch step.reversibility {
        case .reversible: return step.undoApproval == nil ? "reversible" : "reversible (undo gated)"
        case .irreversible: return "IRREVERSIBLE"
        case .compensated: return "COMPENSATED"
        case .nothingToUndo: return "-"
        }
    }

    private func rollback(_ plan: RunbookPlan) -> [String] {
        var lines = ["Rollback from each point"]
        for step in plan.steps where step.reversibility == .compensated {
            lines.append("  after \(step.id), rollback compensates: \(step.title)")
        }
        for step in plan.steps {
            guard let gate = step.undoApproval else { continue }
            var when = gate.onlyAfter.map { " once \($0) was attempted" } ?? ""
            if let condition = gate.onlyIf { when += " (\(condition.description))" }
            lines.append("  undo of \(step.id) waits for approval\(when): \(gate.message)")
        }
        let irreversible = plan.steps.filter { $0.reversibility == .irreversible }
        guard !irreversible.isEmpty else {
            lines.append("  no irreversible primitive: rollback can undo every step at any point")
            return lines
        }
        lines.append("  before \(irreversible[0].id): rollback can undo every completed step")
        var ancestors: [String: Set<String>] = [:]
        for step in plan.steps {
            ancestors[step.id] = step.dependsOn.reduce(into: Set(step.dependsOn)) { $0.formUnion(ancestors[$1] ?? []) }
        }
        for step in irreversible {
            let before = ancestors[step.id] ?? []
            let crossed = irreversible.filter { before.contains($0.id) || $0.id == step.id }
            let what = crossed.map { "\($0.id) (\($0.title))" }.joined(separator: "; ")
            lines.append("  after \(step.id), rollback cannot restore: \(what)")
        }
        return lines
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
