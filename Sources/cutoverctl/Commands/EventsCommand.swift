import ArgumentParser
import ControlProtocol
import Foundation

/// `cutoverctl events RUN [--follow]`: the run's journal records, one line each; with
/// `--output json`, the NDJSON stream as the daemon sends it (journal payloads verbatim).
struct EventsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Print a run's events (journal records); --follow waits for new ones.",
        discussion: "--follow ends when the run ends. --output json prints one EventLine per line (NDJSON).")

    @Argument(help: ArgumentHelp("The run id.", valueName: "run")) var runId: String

    @Flag(name: [.long, .customShort("f")], help: "Keep printing new events until the run ends.")
    var follow = false

    @Option(help: ArgumentHelp("Only events after this journal sequence number.", valueName: "sequence"))
    var after: Int64 = 0

    @OptionGroup var output: OutputOptions
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let style = Style.standardOutput
        try connection.session().events(runId, after: after, follow: follow) { event, line in
            if event.kind == "heartbeat" { return true }
            if output.json {
                Console.line(String(decoding: line, as: UTF8.self))
            } else if event.kind != "end" {
                Console.line(Self.text(event, style: style))
            }
            return event.kind != "end"
        }
    }

    /// `01:23:45  #42  step.succeeded  warm-up  summary`.
    static func text(_ event: EventLine, style: Style) -> String {
        var text = "\(style.dim(TimeText.time(event.time)))  \(style.dim("#\(event.sequence)"))  \(event.kind)"
        if let step = event.step { text += "  \(style.bold(step))" }
        if event.summary != event.kind { text += "  \(event.summary)" }
        return text
    }
}
