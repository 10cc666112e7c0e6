import ArgumentParser

/// `cutoverctl pause RUN`: Pause a run: steps in flight finish, nothing new starts.
struct PauseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause",
        abstract: "Pause a run: steps in flight finish, nothing new starts.",
        discussion: "Resume it with `cutoverctl resume RUN`. Refused (exit 6) if the run's status does not allow it.")

    @Argument(help: ArgumentHelp("The run id.", valueName: "run")) var runId: String
    @Option(help: "Why, for the audit log.") var comment: String?

    @OptionGroup var output: OutputOptions
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        try ActionReport.perform("pause", run: runId, comment: comment, connection: connection, output: output)
    }
}
