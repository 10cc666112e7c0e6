import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Why `ControlClient` could not get an answer from `cutoverd`, said so that the operator knows
/// what to do next: start the daemon, join a group, wait, or report a bug.
///
/// `kind` is stable, for callers that map failures to exit codes; `message` is for people.
public struct ControlClientError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// No socket at the path, or nothing listening on it (ECONNREFUSED, ENOENT).
        public static let daemonNotRunning = Kind("daemon-not-running")
        /// The socket or its directory may not be used by this user (EACCES, EPERM).
        public static let permissionDenied = Kind("permission-denied")
        /// The daemon accepted the connection but did not answer in time.
        public static let timeout = Kind("timeout")
        /// The answer was not HTTP/1.1 as the control API speaks it, or was cut off.
        public static let protocolError = Kind("protocol-error")
        /// Any other socket failure (a path too long, out of descriptors, …).
        public static let connectionFailed = Kind("connection-failed")
        /// A streamed request (`stream(path:…)`) was answered with an error status; `status` and
        /// `apiError` say which. `send` never throws this: it returns every status.
        public static let rejected = Kind("rejected")
    }

    public var kind: Kind
    public var message: String
    /// The socket the client tried.
    public var socketPath: String
    /// The HTTP status, for `rejected`.
    public var status: Int?
    /// The daemon's error body, for `rejected`, when it sent one.
    public var apiError: APIErrorBody?

    public init(_ kind: Kind, _ message: String, socketPath: String, status: Int? = nil, apiError: APIErrorBody? = nil) {
        self.kind = kind
        self.message = message
        self.socketPath = socketPath
        self.status = status
        self.apiError = apiError
    }

    public var description: String { message }

    // MARK: Errors for people

    static func notRunning(_ path: String, errno code: Int32) -> ControlClientError {
        let situation = code == ENOENT ? "no socket at \(path)" : "nothing listens on \(path)"
        return ControlClientError(
            .daemonNotRunning,
            "cutoverd is not running (\(situation)); start it with `systemctl start cutoverd`", socketPath: path)
    }

    /// EACCES on connect: the socket (or a directory above it) denies this user. Names the group
    /// that grants access, read from the socket's owner, so the advice is right on every host.
    static func permissionDenied(_ path: String) -> ControlClientError {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let directory = (path as NSString).deletingLastPathComponent
            return ControlClientError(
                .permissionDenied,
                "you may not use \(path): its directory \(directory) is not accessible to this user (\(String(cString: strerror(errno)))); ask the host's administrator",
                socketPath: path)
        }
        let group = groupName(info.st_gid) ?? "gid \(info.st_gid)"
        var message = "you may not use \(path): join group \(group) (`sudo usermod -aG \(group) $USER`, then log in again)"
        if info.st_mode & 0o020 == 0 {
            // The group alone will not do: cutoverd.socket sets SocketMode=0660.
            message +=
                "; its mode is \(String(info.st_mode & 0o777, radix: 8)), so the group cannot write to it either: check SocketMode= in cutoverd.socket"
        }
        return ControlClientError(.permissionDenied, message, socketPath: path)
    }

    static func groupName(_ gid: gid_t) -> String? {
        var group = group()
        var result: UnsafeMutablePointer<group>?
        var buffer = [CChar](repeating: 0, count: 16 * 1024)
        let status = getgrgid_r(gid, &group, &buffer, buffer.count, &result)
        guard status == 0, let entry = result, let name = entry.pointee.gr_name else { return nil }
        return String(cString: name)
    }

    static func timedOut(_ path: String, after seconds: Double, doing what: String) -> ControlClientError {
        ControlClientError(
            .timeout,
            "cutoverd did not answer within \(Self.seconds(seconds)) while \(what) (\(path)); check `systemctl status cutoverd` and `journalctl -u cutoverd`",
            socketPath: path)
    }

    static func protocolError(_ path: String, _ what: String) -> ControlClientError {
        ControlClientError(
            .protocolError,
            "cutoverd's answer on \(path) was not understood: \(what); is this cutoverctl the same version as the daemon?",
            socketPath: path)
    }

    static func system(_ path: String, _ call: String, errno code: Int32) -> ControlClientError {
        switch code {
        case ECONNREFUSED, ENOENT: return notRunning(path, errno: code)
        case EACCES, EPERM: return permissionDenied(path)
        case ECONNRESET, EPIPE:
            return ControlClientError(
                .protocolError,
                "cutoverd closed the connection on \(path) before answering (\(call): \(String(cString: strerror(code)))); it may be restarting: check `systemctl status cutoverd`",
                socketPath: path)
        default:
            return ControlClientError(
                .connectionFailed, "cannot talk to cutoverd on \(path): \(call): \(String(cString: strerror(code)))",
                socketPath: path)
        }
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : String(format: "%.1f s", value)
    }
}
