import ArgumentParser
import ControlProtocol

/// `cutoverctl approve RUN STEP`: records your approval of a step that waits for one. The daemon
/// takes your identity from the socket and checks the runbook's policy (approver groups, required
/// count, distinct approvers, initiator excluded); the approval is journaled before it counts.
struct ApproveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Approve a step that waits for approval, as yourself.",
        discussion: """
            Refused (exit 6) if you are not an approver under the runbook's policy, are the run's \
            initiator and the policy excludes initiators, already approved, or the step is not waiting \
            for approval. `cutoverctl status RUN` shows who must approve what.
            """)

    @Argument(help: ArgumentHelp("The run id.", valueName: "run")) var runId: String
    @Argument(help: ArgumentHelp("The step waiting for approval.", valueName: "step")) var step: String
    @Option(help: "Why, for the audit log (what you checked).") var comment: String?

    @OptionGroup var output: OutputOptions
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let result = try connection.session().post(
            ActionResult.self, ControlRoute.approvals(runId).path, body: ApprovalRequest(step: step, verdict: .approve, comment: comment))
        try ActionReport.print(result, json: output.json)
    }
}
