/// Why a notification could not be sent to systemd.
public struct SystemdNotifyError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// NOTIFY_SOCKET is not a path or `@abstract` name this notifier can reach (systemd ≥ 254
        /// may also hand out `vsock:` addresses, for VMs).
        case unsupportedAddress
        /// socket/sendto failed; the message carries errno's text.
        case sendFailed
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "systemd notify (\(code.rawValue)): \(message)" }
}
