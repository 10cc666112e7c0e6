import ArgumentParser
import Foundation

/// `cutoverctl`: the operator's side of a cutover. Validates and plans runbooks offline, starts
/// and steers runs through cutoverd's control socket, and reviews the audit log — also offline,
/// from the journal, without the daemon.
@main
struct Cutoverctl: ParsableCommand {
    /// The release, matching cutoverd's.
    static let version = "0.6.0"

    static let configuration = CommandConfiguration(
        commandName: "cutoverctl",
        abstract: "Plan, run, approve and audit cross-account AWS cutovers with cutoverd.",
        discussion: """
            Runbooks are checked and planned offline (validate, plan). Runs are started and steered \
            through cutoverd's control socket (start, status, approve, …); who you are comes from the \
            socket (SO_PEERCRED), so use your own account, not a shared one. The audit commands read \
            the journal in cutoverd's state directory and work without the daemon.

            The socket is --socket, else $CUTOVER_SOCKET, else /run/cutover/cutoverd.sock; it belongs \
            to group cutover-approvers. --output json on any command that prints data gives JSON for \
            tools. Colour is used only on a terminal and never when NO_COLOR is set.

            \(CLIExitCode.table)
            """,
        version: version,
        groupedSubcommands: [
            CommandGroup(name: "Runbooks (offline)", subcommands: [ValidateCommand.self, PlanCommand.self]),
            CommandGroup(name: "Rehearsal (reads AWS)", subcommands: [RehearseCommand.self]),
            CommandGroup(
                name: "Runs",
                subcommands: [
                    StartCommand.self, RunsCommand.self, RunbooksCommand.self, StatusCommand.self, EventsCommand.self, HealthCommand.self,
                ]),
            CommandGroup(
                name: "Operator actions",
                subcommands: [
                    ApproveCommand.self, RejectCommand.self, DecideCommand.self, PauseCommand.self, ResumeCommand.self,
                    RetryCommand.self, MarkUndoneCommand.self, CancelCommand.self, RollbackCommand.self,
                ]),
            CommandGroup(name: "Audit (offline)", subcommands: [AuditCommand.self]),
        ])

    /// `--socket`/`--timeout` before the subcommand (`cutoverctl --socket PATH runs`): subcommands
    /// that talk to the daemon declare the same group, and ArgumentParser gives them these values.
    @OptionGroup(visibility: .hidden) var connection: ConnectionOptions

    /// Runs the command line, mapping every failure to the documented exit codes: usage errors
    /// exit 2 (not ArgumentParser's 64), a `CLIFailure` prints its message and exits its code.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let failure as CLIFailure {
            failure.report()
            Glibc.exit(failure.code.rawValue)
        } catch {
            if exitCode(for: error) == .validationFailure {
                Console.error(fullMessage(for: error) + "\n")
                Glibc.exit(CLIExitCode.usage.rawValue)
            }
            exit(withError: error)
        }
    }
}
