import Foundation
import Glibc

/// `sd_notify(3)` without libsystemd: tells the service manager that `cutoverd` is ready,
/// reloading, stopping, alive (watchdog), and what it is doing (STATUS=, shown by
/// `systemctl status`). The protocol is one datagram of `KEY=value` lines to the AF_UNIX socket
/// named by `NOTIFY_SOCKET`, which systemd sets for `Type=notify` and `Type=notify-reload` units.
///
/// Without NOTIFY_SOCKET (run by hand, in tests) every call does nothing and answers false.
/// Failures are reported by the return value, never thrown: a lost STATUS= must not stop a
/// cutover. `send(_:)` throws for callers that want to know why.
public struct SystemdNotifier: Sendable {
    /// NOTIFY_SOCKET as systemd gave it: a path, or `@name` for the abstract namespace.
    public let socketAddress: String?
    /// How often to send WATCHDOG=1: half of WATCHDOG_USEC (as sd_watchdog_enabled(3) advises),
    /// nil when systemd runs no watchdog for this process.
    public let watchdogInterval: Duration?
    private let monotonicMicroseconds: @Sendable () -> UInt64

    /// - Parameters:
    ///   - environment: the process environment (injected so tests need not mutate their own).
    ///   - pid: our pid, compared with WATCHDOG_PID.
    ///   - monotonicMicroseconds: CLOCK_MONOTONIC in µs, for RELOADING=1's MONOTONIC_USEC=.
    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment, pid: Int32 = getpid(),
        monotonicMicroseconds: @escaping @Sendable () -> UInt64 = SystemdNotifier.monotonicMicroseconds
    ) {
        let address = environment["NOTIFY_SOCKET"] ?? ""
        socketAddress = address.isEmpty ? nil : address
        watchdogInterval = Self.watchdogInterval(environment: environment, pid: pid)
        self.monotonicMicroseconds = monotonicMicroseconds
    }

    /// Whether systemd listens for notifications.
    public var isEnabled: Bool { socketAddress != nil }

    /// READY=1: start-up is complete (the socket listens, runs are resumed). `systemctl start`
    /// returns now, and units ordered after cutoverd start.
    @discardableResult
    public func ready(status: String? = nil) -> Bool {
        notify([("READY", "1")] + Self.statusField(status))
    }

    /// STATUS=: one line for `systemctl status`.
    @discardableResult
    public func status(_ text: String) -> Bool {
        notify(Self.statusField(text))
    }

    /// WATCHDOG=1: still alive. Send every `watchdogInterval`.
    @discardableResult
    public func watchdog() -> Bool {
        notify([("WATCHDOG", "1")])
    }

    /// STOPPING=1: shutdown has begun, so systemd shows "deactivating" rather than a hang.
    @discardableResult
    public func stopping(status: String? = nil) -> Bool {
        notify([("STOPPING", "1")] + Self.statusField(status))
    }

    /// RELOADING=1 with MONOTONIC_USEC=: a reload (SIGHUP) has begun. systemd 253+ requires the
    /// timestamp for `Type=notify-reload` to match the reload to its completion; older versions
    /// ignore the extra field. Follow with `readyAfterReload()`.
    @discardableResult
    public func reloading(status: String? = nil) -> Bool {
        notify([("RELOADING", "1"), ("MONOTONIC_USEC", String(monotonicMicroseconds()))] + Self.statusField(status))
    }

    /// READY=1 after a reload, whether or not the new configuration was accepted.
    @discardableResult
    public func readyAfterReload(status: String? = nil) -> Bool {
        notify([("READY", "1")] + Self.statusField(status))
    }

    @discardableResult
    private func notify(_ fields: [(String, String)]) -> Bool {
        guard isEnabled else { return false }
        do {
            try send(fields)
            return true
        } catch {
            return false
        }
    }

    /// Sends one datagram with these assignments. Does nothing without NOTIFY_SOCKET.
    public func send(_ fields: [(String, String)]) throws(SystemdNotifyError) {
        guard let socketAddress else { return }
        guard let address = UnixSocketAddress(systemdNotation: socketAddress) else {
            throw SystemdNotifyError(.unsupportedAddress, "NOTIFY_SOCKET=\(socketAddress) is neither a socket path nor an @abstract name")
        }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SystemdNotifyError(.sendFailed, "socket(): \(errnoDescription())") }
        defer { close(fd) }
        // systemd reads its notification socket promptly; a manager so stuck that the queue is
        // full must not stall the daemon for longer than this.
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let payload = Array(Self.message(fields).utf8)
        let sent = payload.withUnsafeBytes { bytes in
            address.withSockaddr { sendto(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL), $0, $1) }
        }
        guard sent == payload.count else {
            throw SystemdNotifyError(.sendFailed, "sendto \(socketAddress): \(sent < 0 ? errnoDescription() : "short write")")
        }
    }

    /// The datagram: `KEY=value` lines. A newline inside a value would start a new assignment
    /// (a STATUS= that says `READY=1` on its second line), so values are kept to one line.
    static func message(_ fields: [(String, String)]) -> String {
        fields.map { key, value in
            let line = value.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ")
                .replacingOccurrences(of: "\r", with: " ")
            return "\(key)=\(line)\n"
        }.joined()
    }

    private static func statusField(_ status: String?) -> [(String, String)] {
        status.map { [("STATUS", $0)] } ?? []
    }

    /// Half of WATCHDOG_USEC when the watchdog is meant for `pid` (WATCHDOG_PID unset or equal).
    public static func watchdogInterval(environment: [String: String], pid: Int32) -> Duration? {
        guard let text = environment["WATCHDOG_USEC"], let usec = UInt64(text), usec > 0 else { return nil }
        if let target = environment["WATCHDOG_PID"], !target.isEmpty {
            guard Int32(target) == pid else { return nil }
        }
        return .microseconds(Int64(clamping: usec / 2))
    }

    /// CLOCK_MONOTONIC in microseconds: the clock systemd compares MONOTONIC_USEC= against.
    public static let monotonicMicroseconds: @Sendable () -> UInt64 = {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
    }
}
