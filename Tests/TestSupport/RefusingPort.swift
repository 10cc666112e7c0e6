import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A loopback port that refuses every connection for as long as this value lives: a TCP socket
/// bound to 127.0.0.1 and an ephemeral port, never listening, without `SO_REUSEADDR`.
///
/// Why not a stopped server's port: once it is closed, any other test of the process may be
/// given the same port number for its own server, and a connection meant to be refused is
/// answered instead (NotificationTests' refused webhook was "sent" once, in the +400 d pass).
/// A bound socket keeps the number taken, and with no listener the kernel answers a SYN with
/// a reset: `ECONNREFUSED`, every time.
public final class RefusingPort: Sendable {
    public let port: Int
    private let socket: Int32

    public init() throws {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw LoopbackError("socket() failed: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else {
            close(fd)
            throw LoopbackError("bind on 127.0.0.1 failed: errno \(errno)")
        }
        socket = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(socket) }

    /// `http://127.0.0.1:PORT`
    public var baseURL: String { "http://127.0.0.1:\(port)" }
}
