/// Why the control server could not start listening. Each message says what to do about it;
/// `cutoverd` prints it and exits non-zero, so systemd shows it in `systemctl status`.
public struct ControlServerError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// Another process answers on the socket path: most likely a second `cutoverd`.
        public static let socketInUse = Code(rawValue: "socket-in-use")
        /// Something that is not a socket occupies the socket path.
        public static let pathOccupied = Code(rawValue: "path-occupied")
        /// The path does not fit in `sockaddr_un.sun_path` (107 bytes).
        public static let pathTooLong = Code(rawValue: "path-too-long")
        /// The group the socket should belong to does not exist.
        public static let groupNotFound = Code(rawValue: "group-not-found")
        /// socket/bind/chmod/chown/listen failed; the message carries errno's text.
        public static let bindFailed = Code(rawValue: "bind-failed")
        /// The descriptor systemd passed is not a listening unix stream socket.
        public static let notAListeningSocket = Code(rawValue: "not-a-listening-socket")
        /// `start()` on a server that is running or has stopped.
        public static let alreadyStarted = Code(rawValue: "already-started")
    }

    public var code: Code
    public var message: String
    /// The socket path or `fd N`.
    public var socket: String

    public init(_ code: Code, _ message: String, socket: String) {
        self.code = code
        self.message = message
        self.socket = socket
    }

    public var description: String { "control socket \(socket) (\(code)): \(message)" }
}
