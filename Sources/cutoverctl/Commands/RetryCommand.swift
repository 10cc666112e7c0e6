import ArgumentParser

/// `cutoverctl retry RUN [STEP]`: gives failed steps (or one) a fresh retry budget. A step whose
/// last attempt may have had an effect is reconciled with its `check` first, never blindly repeated.
struct RetryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Retry a run's failed steps, or one step.",
        discussion: "Refused (exit 6) when nothing failed.")

    @Argument(help: ArgumentHelp("The run id.", valueName: "run")) var runId: String
    @Argument(help: ArgumentHelp("The failed step (default: every failed step).", valueName: "step")) var step: String?
    @Option(help: "Why, for the audit log.") var comment: String?

    @OptionGroup var output: OutputOptions
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        try ActionReport.perform("retry", run: runId, comment: comment, step: step, connection: connection, output: output)
    }
}
