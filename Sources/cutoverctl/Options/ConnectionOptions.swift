import ArgumentParser
import ControlProtocol

/// How to reach cutoverd: every command that talks to the daemon takes these.
struct ConnectionOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The control socket (default: $CUTOVER_SOCKET, else /run/cutover/cutoverd.sock).", valueName: "path"))
    var socket: String?

    @Option(name: .long, help: ArgumentHelp("Seconds to wait for cutoverd's answer.", valueName: "seconds"))
    var timeout: Double = 30

    func validate() throws {
        guard timeout > 0 else { throw ValidationError("--timeout must be a positive number of seconds") }
    }

    var socketPath: String { ControlClient.socketPath(option: socket) }

    /// A session on the daemon; `minimumTimeout` for calls that legitimately take long (preflight).
    func session(minimumTimeout: Double = 0) -> DaemonSession {
        DaemonSession(
            client: ControlClient(
                socketPath: socketPath, timeout: max(timeout, minimumTimeout), userAgent: "cutoverctl/\(Cutoverctl.version)"))
    }
}
