import Foundation
import Runbook

/// `uses: elbv2.remove-maintenance-page`: ends the maintenance page an earlier
/// `elbv2.maintenance-page` step put up, named by that step's id.
///
/// ```yaml
/// - id: maintenance-off
///   uses: elbv2.remove-maintenance-page
///   with: { page: maintenance-on }
/// ```
///
/// A step of its own, not `action: remove` on the first type: a runbook reads as what happens
/// ("remove the maintenance page"), `plan` and `status` show it as its own primitive with its own
/// account and undo, and the planner checks that the page step exists and finishes first (the
/// primitive reads its `listenerArn`/`ruleArn` outputs). It deletes only the rule tagged as that
/// page of this run. Undo puts the page back (same response and conditions, its old priority if
/// still free), so a rollback from after maintenance ends first shows users the page again; the
/// page step's own undo then removes that rule too.
public struct RemoveMaintenancePageDefinition: StepDefinition {
    public static let type = "elbv2.remove-maintenance-page"
    public init() {}

    public var type: String { Self.type }
    public var summary: String {
        "End the maintenance page an elbv2.maintenance-page step put up (delete exactly its rule); undo puts it back."
    }
    public var inputs: [StepInput] {
        [StepInput("page", .string, required: true, summary: "The id of the `elbv2.maintenance-page` step whose page to remove.")]
    }
    public var outputs: [StepOutput] {
        [StepOutput("removedRuleArn", from: .primitive(nil, key: "removedRuleArn"), summary: "the rule deleted (empty if it was gone)")]
    }

    public func expand(_ step: StepSpec, in context: ExpansionContext) throws(RunbookDiagnostics) -> [PrimitiveTemplate] {
        var reader = StepInputReader(step, context: context)
        let page = reader.string("page", required: true) ?? ""
        let pages = context.runbook.allSteps.filter { $0.uses == MaintenancePageDefinition.type }
        var account = ""
        if let value = reader.value("page"), !page.isEmpty {
            if let target = context.runbook.allSteps.first(where: { $0.id == page }) {
                if target.uses != MaintenancePageDefinition.type {
                    reader.report(
                        "wrong-step-type",
                        "`with.page` of step `\(step.id)` names `\(page)`, a `\(target.uses)` step, not an `\(MaintenancePageDefinition.type)` step",
                        hint: hint(pages), at: value)
                }
                account = target.with?["account"]?.scalar ?? ""
            } else {
                reader.report(
                    "unknown-step", "`with.page` of step `\(step.id)` names `\(page)`, which is not a step of this runbook",
                    hint: hint(pages, near: page), at: value)
            }
        }
        try reader.finish()
        let inputs = try StepValues.encode(
            RemoveMaintenancePageStep.Inputs(
                page: page, account: account, listenerArn: "${steps.\(page).outputs.listenerArn}",
                ruleArn: "${steps.\(page).outputs.ruleArn}"),
            of: step)
        return [
            PrimitiveTemplate(
                type: Self.type, title: "Remove the maintenance page of \(page) in \(account)", account: account, effect: .mutating,
                reversibility: .reversible, estimatedDuration: .seconds(5), inputs: inputs)
        ]
    }

    private func hint(_ pages: [StepSpec], near name: String? = nil) -> String {
        let ids = pages.map(\.id)
        guard !ids.isEmpty else { return "this runbook has no `\(MaintenancePageDefinition.type)` step to end" }
        if let name, let near = Hints.nearest(to: name, in: ids) { return "did you mean `\(near)`?" }
        return "maintenance-page steps: " + ids.map { "`\($0)`" }.joined(separator: ", ")
    }
}
