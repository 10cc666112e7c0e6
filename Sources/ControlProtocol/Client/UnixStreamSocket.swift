import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One connected AF_UNIX stream socket, closed when released. Blocking writes; reads wait with
/// `poll(2)` so every read has a deadline. Not shared between threads.
final class UnixStreamSocket {
    private let fd: Int32
    let path: String

    /// Connects to the socket at `path`.
    init(connectingTo path: String) throws(ControlClientError) {
        self.path = path
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        let bytes = Array(path.utf8)
        guard !bytes.isEmpty, bytes.count < capacity else {
            throw ControlClientError(
                .connectionFailed,
                "the socket path \(path) is \(bytes.isEmpty ? "empty" : "longer than \(capacity - 1) bytes"); pass a shorter --socket",
                socketPath: path)
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw ControlClientError.system(path, "socket", errno: errno) }
        var result: Int32
        repeat {
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
        } while result != 0 && errno == EINTR
        guard result == 0 else {
            let code = errno
            close(descriptor)
            throw ControlClientError.system(path, "connect", errno: code)
        }
        fd = descriptor
    }

    deinit { close(fd) }

    /// Writes all of `bytes` or fails (MSG_NOSIGNAL: a closed peer is an error, not SIGPIPE).
    func write(_ bytes: [UInt8]) throws(ControlClientError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in
                Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw ControlClientError.system(path, "send", errno: errno)
            }
            offset += written
        }
    }

    enum ReadResult {
        case bytes([UInt8])
        case closed
        case timedOut
    }

    /// Waits up to `timeout` seconds (nil: for ever) for bytes, and reads what is there.
    func read(timeout: Double?) throws(ControlClientError) -> ReadResult {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let milliseconds = timeout.map { Int32(max(0, min($0 * 1000, Double(Int32.max)))) } ?? -1
        var ready: Int32
        repeat {
            ready = poll(&poller, 1, milliseconds)
        } while ready < 0 && errno == EINTR
        if ready < 0 { throw ControlClientError.system(path, "poll", errno: errno) }
        if ready == 0 { return .timedOut }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var count: Int
        repeat {
            count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        } while count < 0 && errno == EINTR
        if count < 0 { throw ControlClientError.system(path, "recv", errno: errno) }
        if count == 0 { return .closed }
        return .bytes(Array(buffer[..<count]))
    }
}
