import ArgumentParser
import ControlProtocol

/// `cutoverctl runbooks`: the runbooks in cutoverd's runbook directories, as it last read them
/// (at start and on every reload), with each one's problems.
struct RunbooksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runbooks", abstract: "List the runbooks in cutoverd's runbook directories and their problems.")

    @OptionGroup var output: OutputOptions
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let list = try connection.session().get(RunbookList.self, ControlRoute.runbooks.path)
        if output.json {
            try Console.json(list)
            return
        }
        if list.runbooks.isEmpty {
            Console.line("No runbooks in \(list.directories.isEmpty ? "any directory" : list.directories.joined(separator: ", ")).")
            return
        }
        let style = Style.standardOutput
        for entry in list.runbooks {
            Console.line("\(entry.valid ? style.green("valid  ") : style.red("invalid")) \(style.bold(entry.name))  \(entry.file)")
            for problem in entry.problems { Console.line("          \(problem)") }
        }
        if list.runbooks.contains(where: { !$0.valid }) { throw CLIFailure(.failed, "some runbooks have problems") }
    }
}
