import ArgumentParser

/// `cutoverctl cancel RUN`: Cancel a run without rolling anything back.
struct CancelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel a run without rolling anything back.",
        discussion:
            "Completed steps stay as they are; use rollback to undo them. The run ends cancelled. Refused (exit 6) if the run's status does not allow it."
    )

    @Argument(help: ArgumentHelp("The run id.", valueName: "run")) var runId: String
    @Option(help: "Why, for the audit log.") var comment: String?

    @OptionGroup var output: OutputOptions
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        try ActionReport.perform("cancel", run: runId, comment: comment, connection: connection, output: output)
    }
}
