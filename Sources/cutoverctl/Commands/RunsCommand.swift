import ArgumentParser
import ControlProtocol

/// `cutoverctl runs`: every run the daemon knows, newest first.
struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs", abstract: "List runs: status, progress and the step(s) in progress.")

    @OptionGroup var output: OutputOptions
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let list = try connection.session().get(RunList.self, ControlRoute.runs.path)
        if output.json {
            try Console.json(list)
        } else {
            Console.out(RunListRenderer(style: .standardOutput).text(list))
        }
    }
}
