import ArgumentParser
import ControlProtocol
import Engine
import Foundation

/// `cutoverctl status RUN [--watch]`: the run for people, or `RunView` JSON for tools. With
/// `--watch` it follows the run's event stream, redraws on every event (and every second on a
/// terminal, so countdowns move), and exits when the run stops moving on its own: completed
/// (0), rolled back (10), cancelled (11) or paused (12).
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show a run: steps and progress, waits, the window, who must approve what.",
        discussion: """
            With --watch the view is redrawn on each event until the run completes (exit 0), is rolled \
            back (10), cancelled (11) or paused (12: a failure, the window's end or an operator paused \
            it; it waits for someone). With --output json, --watch prints one RunView per line.
            """)

    @Argument(help: ArgumentHelp("The run id.", valueName: "run"))
    var runId: String

    @Flag(name: [.long, .customShort("w")], help: "Follow the run until it completes, rolls back, is cancelled or pauses.")
    var watch = false

    @OptionGroup var output: OutputOptions
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let session = connection.session()
        if watch {
            try RunWatcher(session: session, runId: runId, json: output.json).watch()
        } else {
            let view = try session.run(runId)
            if output.json {
                try Console.json(view)
            } else {
                Console.out(RunStatusRenderer(style: .standardOutput).text(view))
            }
        }
    }
}

/// The `status --watch` loop: one subscription to the event stream, a fresh `RunView` after
/// events (at most twice a second, so a burst of events or the replayed history is one redraw)
/// and every second on a terminal.
struct RunWatcher {
    let session: DaemonSession
    let runId: String
    let json: Bool
    private let terminal = isatty(1) == 1
    private let style = Style.standardOutput

    init(session: DaemonSession, runId: String, json: Bool) {
        self.session = session
        self.runId = runId
        self.json = json
    }

    func watch() throws(CLIFailure) {
        var view = try session.run(runId)
        try draw(view)
        var lastSequence: Int64 = 0
        var reconnects = 0
        while true {
            if let code = CLIExitCode.forWatched(view.run.status) { try finish(code, view) }
            var failure: CLIFailure?
            var dirty = false
            var stop = false
            var lastDraw = Self.now()
            func refresh() -> Bool {
                do {
                    view = try session.run(runId)
                    try draw(view)
                } catch {
                    failure = error
                    return false
                }
                lastDraw = Self.now()
                dirty = false
                stop = CLIExitCode.forWatched(view.run.status) != nil
                return !stop
            }
            do {
                try session.events(
                    runId, after: lastSequence, follow: true, idleInterval: 0.25,
                    onIdle: {
                        let age = Self.now() - lastDraw
                        if (dirty && age >= 0.5) || (terminal && !json && age >= 1) { return refresh() }
                        return true
                    },
                    onEvent: { event, _ in
                        if event.sequence > 0 { lastSequence = max(lastSequence, event.sequence) }
                        if event.kind == "end" { return false }
                        if event.kind == "heartbeat" { return true }
                        dirty = true
                        return Self.now() - lastDraw >= 0.5 ? refresh() : true
                    })
                reconnects = 0
            } catch {
                // The stream broke: the daemon restarted (systemd brings it back, and the socket
                // unit holds new connections meanwhile). Reconnect a few times, then give up.
                reconnects += 1
                guard reconnects <= 10, error.code == .daemonError || error.code == .daemonUnreachable else { throw error }
                usleep(1_000_000)
            }
            if let failure { throw failure }
            if !stop { _ = refresh() }
            if let failure { throw failure }
        }
    }

    private func finish(_ code: CLIExitCode, _ view: RunView) throws(CLIFailure) -> Never {
        if !json {
            let status = RunStatusColour.apply(view.run.status, to: view.run.status.rawValue, style: style)
            Console.line("Run \(runId) is \(status) (\(view.run.reason)).")
        }
        Glibc.exit(code.rawValue)
    }

    private func draw(_ view: RunView) throws(CLIFailure) {
        if json {
            do {
                Console.line(String(decoding: try ControlJSONOutput.lineEncoder.encode(view), as: UTF8.self))
            } catch {
                throw CLIFailure(.daemonError, "cannot encode the run as JSON: \(error)")
            }
            return
        }
        let text = RunStatusRenderer(style: style).text(view)
        let footer = style.dim("watching · updated \(TimeText.clock(Date())) · Ctrl-C to stop")
        if terminal {
            // Home and clear, then the view: one write, so the screen never shows half a frame.
            Console.out("\u{1B}[H\u{1B}[2J" + text + "\n" + footer + "\n")
        } else {
            Console.out(text + "\n")
        }
    }

    private static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
