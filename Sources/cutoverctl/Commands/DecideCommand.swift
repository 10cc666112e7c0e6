import ArgumentParser
import ControlProtocol

/// `cutoverctl decide RUN STEP OPTION`: answers a step that waits for an operator's decision —
/// e.g. the S3 re-create loop that ran out (retry again, retry slowly for hours, or roll back).
struct DecideCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decide",
        abstract: "Choose an option for a step that waits for a decision.",
        discussion: "`cutoverctl status RUN` lists the options. Refused (exit 6) for an unknown option or a step not waiting.")

    @Argument(help: ArgumentHelp("The run id.", valueName: "run")) var runId: String
    @Argument(help: ArgumentHelp("The step waiting for a decision.", valueName: "step")) var step: String
    @Argument(help: ArgumentHelp("One of the options `status` shows.", valueName: "option")) var option: String
    @Option(help: "Why, for the audit log.") var comment: String?

    @OptionGroup var output: OutputOptions
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let result = try connection.session().post(
            ActionResult.self, ControlRoute.action(runId, "decide").path, body: DecideRequest(step: step, option: option, comment: comment))
        try ActionReport.print(result, json: output.json)
    }
}
