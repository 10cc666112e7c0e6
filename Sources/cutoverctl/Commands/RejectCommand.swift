import ArgumentParser
import ControlProtocol
import Foundation

/// `cutoverctl reject RUN STEP --comment WHY`: refuses a step that waits for approval. The reason
/// is required: it is what the audit log and the other operators see.
struct RejectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reject",
        abstract: "Reject a step that waits for approval; --comment says why.",
        discussion: "What happens next is the runbook's policy (usually the run pauses).")

    @Argument(help: ArgumentHelp("The run id.", valueName: "run")) var runId: String
    @Argument(help: ArgumentHelp("The step waiting for approval.", valueName: "step")) var step: String
    @Option(help: "Why you reject it (required; journaled).") var comment: String

    @OptionGroup var output: OutputOptions
    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        guard !comment.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ValidationError("--comment must say why the step is rejected")
        }
    }

    func run() throws {
        let result = try connection.session().post(
            ActionResult.self, ControlRoute.approvals(runId).path, body: ApprovalRequest(step: step, verdict: .reject, comment: comment))
        try ActionReport.print(result, json: output.json)
    }
}
