import ArgumentParser

/// `cutoverctl mark-undone RUN STEP --comment TEXT`: after a step's undo failed (someone changed
/// the record since, a restoring rollout never finished) and an operator put it back by hand, the
/// rollback goes on past it. The comment is required: it is the audit log's only account of what
/// was done by hand.
struct MarkUndoneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mark-undone",
        abstract: "Mark a step's failed undo as done by hand; the rollback goes on.",
        discussion: "Refused (exit 6) unless the step's undo failed, or without a comment.")

    @Argument(help: ArgumentHelp("The run id.", valueName: "run")) var runId: String
    @Argument(help: ArgumentHelp("The step whose undo failed.", valueName: "step")) var step: String
    @Option(help: "What was done by hand to put it back (required, for the audit log).") var comment: String

    @OptionGroup var output: OutputOptions
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        try ActionReport.perform("mark-undone", run: runId, comment: comment, step: step, connection: connection, output: output)
    }
}
