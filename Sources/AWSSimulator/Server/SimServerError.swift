/// Why the simulator's HTTP server could not do what was asked.
public struct SimServerError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// A host other than 127.0.0.1, localhost or ::1 was asked for.
        case notLoopback
        /// `start()` on a server that is already running or has stopped.
        case alreadyStarted
        case bindFailed
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "simulator server (\(code.rawValue)): \(message)" }
}
