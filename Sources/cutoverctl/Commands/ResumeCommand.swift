import ArgumentParser

/// `cutoverctl resume RUN`: Resume a paused run.
struct ResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Resume a paused run.",
        discussion: "Steps whose window has closed still wait for the window. Refused (exit 6) if the run's status does not allow it.")

    @Argument(help: ArgumentHelp("The run id.", valueName: "run")) var runId: String
    @Option(help: "Why, for the audit log.") var comment: String?

    @OptionGroup var output: OutputOptions
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        try ActionReport.perform("resume", run: runId, comment: comment, connection: connection, output: output)
    }
}
