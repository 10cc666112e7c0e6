import ArgumentParser
import ControlProtocol
import Foundation

/// `cutoverctl health`: whether the daemon is up and well, and who it thinks you are — the
/// identity your approvals will carry.
struct HealthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Check cutoverd: status, version, journal, active runs, and who you are to it.",
        discussion: "Exits 3 when cutoverd is not running, 4 when you may not use its socket.")

    @OptionGroup var output: OutputOptions
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let health = try connection.session().get(HealthView.self, ControlRoute.health.path)
        if output.json {
            try Console.json(health)
            return
        }
        let style = Style.standardOutput
        let status = health.status == "ok" ? style.green(health.status) : style.yellow(health.status)
        var you = health.you.description
        if !health.you.groups.isEmpty { you += ", groups \(health.you.groups.joined(separator: ", "))" }
        Console.line("cutoverd \(health.version) (pid \(health.pid)) on \(connection.socketPath): \(status)")
        Console.line(
            "  up since     \(TimeText.time(health.startedAt)) (\(TimeText.duration(health.now.timeIntervalSince(health.startedAt))))")
        Console.line("  daemon time  \(TimeText.time(health.now))")
        Console.line("  journal      \(health.journalRecords) records")
        Console.line("  active runs  \(health.activeRuns)")
        Console.line("  you          \(you)")
    }
}
