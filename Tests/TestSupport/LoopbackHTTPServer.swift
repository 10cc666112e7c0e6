import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A real HTTP/1.1 server on 127.0.0.1 and an ephemeral port, for tests that must cross a socket:
/// credential endpoints (IMDS, ECS, STS), transport behaviour (keep-alive, timeouts, resets) and
/// malformed AWS responses. Each connection is served on its own thread with keep-alive, and every
/// request is recorded with the connection it arrived on.
public final class LoopbackHTTPServer: Sendable {
    /// A request as the server received it.
    public struct Request: Sendable {
        public var method: String
        /// The request target as sent (path and query, still encoded).
        public var target: String
        public var headers: [(name: String, value: String)]
        public var body: Data
        /// Increments per accepted TCP connection; equal numbers mean a reused connection.
        public var connection: Int

        public var path: String { String(target.split(separator: "?", maxSplits: 1).first ?? "") }
        public var query: String? {
            let parts = target.split(separator: "?", maxSplits: 1)
            return parts.count == 2 ? String(parts[1]) : nil
        }
        public func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
    }

    /// What to answer.
    public enum Reply: Sendable {
        /// A normal response; `Content-Length` is added.
        case respond(status: Int, headers: [(String, String)] = [], body: Data = Data())
        /// Send headers announcing `declaredLength` bytes, send `body`, then close the connection.
        case truncate(status: Int, headers: [(String, String)] = [], body: Data, declaredLength: Int)
        /// Close the connection without answering.
        case close
        /// Wait, then answer.
        indirect case delayed(Duration, Reply)
        /// These bytes exactly (for framings `respond` does not make: chunked, 1xx, close-delimited,
        /// malformed), in `pieces` writes; then keep the connection, or close it.
        case raw(Data, pieces: Int = 1, close: Bool = false)

        public static func text(_ status: Int, _ body: String, headers: [(String, String)] = []) -> Reply {
            .respond(status: status, headers: headers, body: Data(body.utf8))
        }
    }

    public typealias Handler = @Sendable (Request) -> Reply

    private let listener: Int32
    public let port: Int
    private let handler: Handler
    private let state = Mutex(State())

    private struct State {
        var requests: [Request] = []
        var connections = 0
        var stopped = false
        var clientSockets: Set<Int32> = []
    }

    /// Starts listening at once; `stop()` (or deinit) closes every socket.
    public init(handler: @escaping Handler) throws {
        self.handler = handler
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw LoopbackError("socket() failed: errno \(errno)") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 128) == 0 else {
            close(fd)
            throw LoopbackError("bind/listen on 127.0.0.1 failed: errno \(errno)")
        }
        var actual = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        self.listener = fd
        self.port = Int(UInt16(bigEndian: actual.sin_port))
        let acceptThread = Thread { [self] in acceptLoop() }
        acceptThread.stackSize = 1 << 20
        acceptThread.start()
    }

    deinit { stop() }

    /// `http://127.0.0.1:PORT`
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Every request received so far, in arrival order.
    public var requests: [Request] { state.withLock { $0.requests } }

    /// Stops accepting and cuts every open connection. Only `shutdown(2)` happens here: each socket
    /// is closed by the thread that owns it, so a descriptor number is never freed (and reused by
    /// another test's connection) while some thread still acts on it.
    public func stop() {
        state.withLock { s in
            guard !s.stopped else { return }
            s.stopped = true
            shutdown(listener, Int32(SHUT_RDWR))
            for c in s.clientSockets { shutdown(c, Int32(SHUT_RDWR)) }
        }
    }

    private func acceptLoop() {
        defer { close(listener) }
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            let number: Int? = state.withLock { s in
                if s.stopped { return nil }
                s.connections += 1
                s.clientSockets.insert(client)
                return s.connections
            }
            guard let number else {
                close(client)
                return
            }
            let t = Thread { [self] in serve(client, connection: number) }
            t.stackSize = 1 << 20
            t.start()
        }
    }

    private func serve(_ fd: Int32, connection: Int) {
        defer {
            state.withLock { _ = $0.clientSockets.remove(fd) }
            close(fd)
        }
        var buffer = Data()
        while let request = readRequest(fd, buffer: &buffer, connection: connection) {
            state.withLock { $0.requests.append(request) }
            if !write(reply: handler(request), to: fd, isHead: request.method == "HEAD") { return }
            if request.header("Connection")?.lowercased() == "close" { return }
        }
    }

    /// Returns false when the connection must be closed.
    private func write(reply: Reply, to fd: Int32, isHead: Bool) -> Bool {
        switch reply {
        case .close:
            return false
        case .delayed(let d, let inner):
            let c = d.components
            usleep(UInt32(c.seconds * 1_000_000 + c.attoseconds / 1_000_000_000_000))
            return write(reply: inner, to: fd, isHead: isHead)
        case .respond(let status, let headers, let body):
            var head = "HTTP/1.1 \(status) \(Self.reason(status))\r\n"
            for (n, v) in headers where n.lowercased() != "content-length" { head += "\(n): \(v)\r\n" }
            head += "Content-Length: \(body.count)\r\n\r\n"
            return sendAll(fd, Data(head.utf8) + (isHead ? Data() : body))
        case .raw(let bytes, let pieces, let close):
            let size = max(1, (bytes.count + max(1, pieces) - 1) / max(1, pieces))
            var offset = 0
            while offset < bytes.count {
                let end = min(bytes.count, offset + size)
                guard sendAll(fd, bytes.subdata(in: offset..<end)) else { return false }
                offset = end
                if offset < bytes.count { usleep(20_000) }
            }
            return !close
        case .truncate(let status, let headers, let body, let declared):
            var head = "HTTP/1.1 \(status) \(Self.reason(status))\r\n"
            for (n, v) in headers { head += "\(n): \(v)\r\n" }
            head += "Content-Length: \(declared)\r\n\r\n"
            _ = sendAll(fd, Data(head.utf8) + body)
            return false
        }
    }

    private func sendAll(_ fd: Int32, _ data: Data) -> Bool {
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
    }

    private func readRequest(_ fd: Int32, buffer: inout Data, connection: Int) -> Request? {
        let separator = Data("\r\n\r\n".utf8)
        while buffer.range(of: separator) == nil {
            guard readMore(fd, into: &buffer) else { return nil }
        }
        let headEnd = buffer.range(of: separator)!
        let head = String(decoding: buffer[buffer.startIndex..<headEnd.lowerBound], as: UTF8.self)
        buffer.removeSubrange(buffer.startIndex..<headEnd.upperBound)
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        var headers: [(name: String, value: String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((name: String(line[..<colon]), value: line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        let length = headers.first { $0.name.lowercased() == "content-length" }.flatMap { Int($0.value) } ?? 0
        while buffer.count < length {
            guard readMore(fd, into: &buffer) else { return nil }
        }
        let body = Data(buffer.prefix(length))
        buffer.removeFirst(length)
        return Request(method: String(requestLine[0]), target: String(requestLine[1]), headers: headers, body: body, connection: connection)
    }

    private func readMore(_ fd: Int32, into buffer: inout Data) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = recv(fd, &chunk, chunk.count, 0)
        if n <= 0 { return false }
        buffer.append(contentsOf: chunk[0..<n])
        return true
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 204: "No Content"
        case 400: "Bad Request"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 409: "Conflict"
        case 500: "Internal Server Error"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }
}

public struct LoopbackError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
