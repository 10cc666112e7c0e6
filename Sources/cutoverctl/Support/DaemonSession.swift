import ControlProtocol
import Engine
import Foundation

/// The control API as commands use it: typed calls whose failures are already `CLIFailure`s
/// with the right exit code and the daemon's own message.
struct DaemonSession {
    let client: ControlClient

    func get<Response: Decodable>(_ type: Response.Type, _ path: String) throws(CLIFailure) -> Response {
        do {
            return try client.get(type, path)
        } catch {
            throw CLIFailure(error)
        }
    }

    func post<Response: Decodable>(
        _ type: Response.Type, _ path: String, body: (some Encodable & Sendable)?
    ) throws(CLIFailure) -> Response {
        do {
            return try client.post(type, path, body: body)
        } catch {
            throw CLIFailure(error)
        }
    }

    func run(_ id: String) throws(CLIFailure) -> RunView { try get(RunView.self, ControlRoute.run(id).path) }

    /// Follows (or reads) a run's events; see `ControlClient.stream`. Lines that are not
    /// `EventLine`s fail the command as a protocol error.
    func events(
        _ id: String, after: Int64 = 0, follow: Bool, idleInterval: Double? = nil, onIdle: () -> Bool = { true },
        onEvent: (EventLine, Data) -> Bool
    ) throws(CLIFailure) {
        var failure: CLIFailure?
        let decoder = ControlJSON.decoder()
        do {
            try client.stream(
                path: ControlRoute.eventsPath(id, after: after, follow: follow), idleInterval: idleInterval, onIdle: onIdle
            ) { line in
                do {
                    return onEvent(try decoder.decode(EventLine.self, from: line), line)
                } catch {
                    failure = CLIFailure(
                        .daemonError,
                        "the event stream sent a line that is not an event: \(String(decoding: line.prefix(120), as: UTF8.self))")
                    return false
                }
            }
        } catch {
            throw CLIFailure(error)
        }
        if let failure { throw failure }
    }
}
