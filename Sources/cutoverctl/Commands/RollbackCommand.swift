import ArgumentParser

/// `cutoverctl rollback RUN`: Roll a run back: undo completed steps in reverse order.
struct RollbackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Roll a run back: undo completed steps in reverse order.",
        discussion:
            "Irreversible steps that already ran cannot be undone; `cutoverctl plan` shows what a rollback can still restore. Refused (exit 6) if the run's status does not allow it."
    )

    @Argument(help: ArgumentHelp("The run id.", valueName: "run")) var runId: String
    @Option(help: "Why, for the audit log.") var comment: String?

    @OptionGroup var output: OutputOptions
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        try ActionReport.perform("rollback", run: runId, comment: comment, connection: connection, output: output)
    }
}
