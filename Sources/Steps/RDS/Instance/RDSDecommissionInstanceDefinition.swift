import Foundation
import Runbook

/// `uses: rds.decommission-instance`: deletes a DB instance — the SOURCE of a finished move —
/// once the move is proven (DESIGN.md "The RDS move": the move leaves the source untouched;
/// decommissioning it is a separate, approval-gated step). One primitive, irreversible, so the
/// engine asks for the runbook's approval before it runs.
///
/// A final snapshot is taken by default (`finalSnapshot:` names it; derived from the run ID
/// otherwise). Only `skipFinalSnapshot: true`, written in the runbook, deletes without one. An
/// instance with deletion protection on is refused with what to do; an instance already deleting
/// or gone counts as done.
public struct RDSDecommissionInstanceDefinition: StepDefinition {
    public init() {}

    public var type: String { "rds.decommission-instance" }
    public var summary: String {
        "Delete a DB instance (the source of a finished move) after an approval, with a final snapshot unless told otherwise."
    }

    public var inputs: [StepInput] {
        [
            StepInput("instance", .string, required: true, summary: "The DB instance identifier to delete."),
            StepInput("account", .account, required: true, summary: "The account the instance is in."),
            StepInput(
                "finalSnapshot", .string, summary: "The final snapshot's identifier; `cutover-final-<instance>-<run ID>` by default."),
            StepInput(
                "skipFinalSnapshot", .bool,
                summary: "Delete without a final snapshot (default false); the data is then gone unless another snapshot exists."),
        ]
    }

    public func expand(_ step: StepSpec, in context: ExpansionContext) throws(RunbookDiagnostics) -> [PrimitiveTemplate] {
        var reader = StepInputReader(step, context: context)
        let instance = reader.string("instance", required: true)
        let account = reader.account("account", required: true)
        let finalSnapshot = reader.string("finalSnapshot")
        let skip = reader.bool("skipFinalSnapshot") ?? false
        if let instance, !RDSMovePlanning.isIdentifier(instance, max: 63) {
            reader.report(
                "bad-value", "`with.instance` of step `\(step.id)` is not an RDS instance identifier: `\(instance)`",
                hint: "1–63 letters, digits and hyphens, starting with a letter, no `--`, not ending in `-`",
                at: reader.value("instance"))
        }
        if let finalSnapshot, !RDSMovePlanning.isIdentifier(finalSnapshot, max: 255) {
            reader.report(
                "bad-value", "`with.finalSnapshot` of step `\(step.id)` is not an RDS snapshot identifier: `\(finalSnapshot)`",
                hint: "letters, digits and hyphens, starting with a letter, no `--`, not ending in `-`",
                at: reader.value("finalSnapshot"))
        }
        if skip, finalSnapshot != nil {
            reader.report(
                "bad-value", "step `\(step.id)` names a `finalSnapshot` and sets `skipFinalSnapshot: true`",
                hint: "keep one: a final snapshot (the default) or none", at: reader.value("skipFinalSnapshot"))
        }
        try reader.finish()
        guard let instance, let account else { return [] }

        let inputs = try StepValues.encode(
            RDSDecommissionInputs(instance: instance, account: account, finalSnapshot: finalSnapshot, skipFinalSnapshot: skip ? true : nil),
            of: step)
        let snapshotText =
            skip
            ? "WITHOUT a final snapshot (skipFinalSnapshot: true): its data is gone unless another snapshot exists"
            : "after a final snapshot \(finalSnapshot.map { "`\($0)`" } ?? "named after the run")"
        return [
            PrimitiveTemplate(
                type: "rds.delete-instance",
                title: "Delete DB instance `\(instance)` in \(account) \(snapshotText)",
                account: account, effect: .mutating, reversibility: .irreversible, estimatedDuration: .seconds(10 * 60),
                inputs: inputs, retry: RDSMovePlanning.callRetry)
        ]
    }
}

/// What an `rds.delete-instance` primitive carries: the instance, its account, and the final
/// snapshot's name (nil: named after the run) unless `skipFinalSnapshot` (written only when true).
struct RDSDecommissionInputs: Codable, Sendable {
    var instance: String
    var account: String
    var finalSnapshot: String?
    var skipFinalSnapshot: Bool?

    /// The final snapshot to take, or nil when the runbook skips it.
    func finalSnapshot(runId: String) -> String? {
        skipFinalSnapshot == true ? nil : finalSnapshot ?? RDSNaming.identifier("cutover-final-\(instance)-\(runId)")
    }
}
