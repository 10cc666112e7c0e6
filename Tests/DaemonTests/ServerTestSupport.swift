import ControlProtocol
import Daemon
import Foundation
import Glibc
import Synchronization
import TestSupport
import XCTest

/// A blocking HTTP/1.1 client on a raw unix socket, written for these tests so they can do what
/// a well-behaved client never does: pipeline, send garbage, hang up mid-stream, read a chunked
/// answer one chunk at a time.
final class ServerRawClient {
    struct Head: Sendable {
        var status: Int
        var headers: [String: String]
        func header(_ name: String) -> String? { headers[name.lowercased()] }
    }

    struct Response: Sendable {
        var head: Head
        var body: Data
        var status: Int { head.status }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let fd: Int32
    private var buffer: [UInt8] = []

    init(path: String) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard result == 0 else {
            let message = String(cString: strerror(errno))
            Glibc.close(fd)
            throw Failure(description: "connect \(path): \(message)")
        }
    }

    deinit { Glibc.close(fd) }

    /// Hangs up: both directions, as a client process that exits does.
    func hangUp() {
        shutdown(fd, Int32(SHUT_RDWR))
    }

    func send(_ text: String) throws {
        try send(Data(text.utf8))
    }

    func send(_ data: Data) throws {
        var offset = 0
        while offset < data.count {
            let sent = data.withUnsafeBytes { raw in
                Glibc.send(fd, raw.baseAddress! + offset, data.count - offset, Int32(MSG_NOSIGNAL))
            }
            guard sent > 0 else { throw Failure(description: "send: \(String(cString: strerror(errno)))") }
            offset += sent
        }
    }

    /// Reads more bytes, waiting at most `timeout`; false at end of stream.
    private func fill(timeout: Duration) throws -> Bool {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        let ready = poll(&poller, 1, milliseconds)
        guard ready > 0 else { throw Failure(description: "no data within \(timeout)") }
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = recv(fd, &chunk, chunk.count, 0)
        if count < 0 { throw Failure(description: "recv: \(String(cString: strerror(errno)))") }
        if count == 0 { return false }
        buffer += chunk.prefix(count)
        return true
    }

    private func line(timeout: Duration) throws -> String {
        while true {
            if let end = buffer.indices.dropLast().first(where: { buffer[$0] == 13 && buffer[$0 + 1] == 10 }) {
                let text = String(decoding: buffer[..<end], as: UTF8.self)
                buffer.removeFirst(end + 2)
                return text
            }
            guard try fill(timeout: timeout) else { throw Failure(description: "connection closed mid-line") }
        }
    }

    private func exactly(_ count: Int, timeout: Duration) throws -> Data {
        while buffer.count < count {
            guard try fill(timeout: timeout) else { throw Failure(description: "connection closed mid-body") }
        }
        let data = Data(buffer.prefix(count))
        buffer.removeFirst(count)
        return data
    }

    /// The read deadlines are generous (30 s): a server that answers is never failed for being
    /// slow on a loaded machine, where a suite of parallel tests starves its threads; one that
    /// never answers still fails.
    /// How long a read waits by default. Generous: in the +400 d pass, tests that block the
    /// cooperative pool (child processes, pipe reads) have stalled every task of the test process,
    /// the daemon's handlers under test included, for over half a minute; a real hang still fails.
    static let patience: Duration = .seconds(120)

    func readHead(timeout: Duration = patience) throws -> Head {
        var statusLine = try line(timeout: timeout)
        var head = try Self.parseStatus(statusLine)
        while (100..<200).contains(head.status) {  // skip 100 Continue
            _ = try readHeaders(timeout: timeout)
            statusLine = try line(timeout: timeout)
            head = try Self.parseStatus(statusLine)
        }
        head.headers = try readHeaders(timeout: timeout)
        return head
    }

    private static func parseStatus(_ line: String) throws -> Head {
        let parts = line.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
            throw Failure(description: "not a status line: \(line)")
        }
        return Head(status: status, headers: [:])
    }

    private func readHeaders(timeout: Duration) throws -> [String: String] {
        var headers: [String: String] = [:]
        while true {
            let text = try line(timeout: timeout)
            if text.isEmpty { return headers }
            guard let colon = text.firstIndex(of: ":") else { throw Failure(description: "bad header line: \(text)") }
            headers[text[..<colon].lowercased()] = text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
    }

    /// The next chunk of a chunked body; nil for the terminal chunk.
    func readChunk(timeout: Duration = patience) throws -> Data? {
        let sizeLine = try line(timeout: timeout)
        guard let size = Int(sizeLine.split(separator: ";")[0], radix: 16) else {
            throw Failure(description: "bad chunk size: \(sizeLine)")
        }
        if size == 0 {
            _ = try readHeaders(timeout: timeout)  // trailers, then the blank line
            return nil
        }
        let data = try exactly(size, timeout: timeout)
        guard try line(timeout: timeout).isEmpty else { throw Failure(description: "chunk not followed by CRLF") }
        return data
    }

    func readResponse(timeout: Duration = patience) throws -> Response {
        let head = try readHead(timeout: timeout)
        if let length = head.header("content-length").flatMap(Int.init) {
            return Response(head: head, body: try exactly(length, timeout: timeout))
        }
        if head.header("transfer-encoding") == "chunked" {
            var body = Data()
            while let chunk = try readChunk(timeout: timeout) { body += chunk }
            return Response(head: head, body: body)
        }
        var body = Data(buffer)
        buffer.removeAll()
        while try fill(timeout: timeout) {
            body += buffer
            buffer.removeAll()
        }
        return Response(head: head, body: body)
    }

    /// True when the server closed the connection (end of stream) within `timeout`.
    func isClosedByServer(within timeout: Duration = .seconds(5)) -> Bool {
        do {
            while try fill(timeout: timeout) {}
            return true
        } catch {
            return (error as? Failure)?.description.hasPrefix("recv") ?? false
        }
    }

    /// One request, one response, on this connection.
    func exchange(_ method: String, _ target: String, headers: [String: String] = [:], body: Data = Data()) throws -> Response {
        var text = "\(method) \(target) HTTP/1.1\r\nHost: localhost\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" { text += "Content-Length: \(body.count)\r\n" }
        text += "\r\n"
        try send(Data(text.utf8) + body)
        return try readResponse()
    }
}

/// The answers the tests' handler gives, and what it saw.
final class ServerTestHandler: ControlHandler {
    struct Seen: Sendable {
        var request: ControlRequest
        var peer: PeerCredentials
    }

    private struct State {
        var seen: [Seen] = []
        var streams: [AsyncStream<Data>.Continuation] = []
        var terminations: [AsyncStream<Data>.Continuation.Termination] = []
    }

    private let state = Mutex(State())

    var seen: [Seen] { state.withLock { $0.seen } }
    var terminations: [AsyncStream<Data>.Continuation.Termination] { state.withLock { $0.terminations } }
    var openStreams: Int { state.withLock { $0.streams.count } }

    /// Yields `text` on the stream opened by the n-th `/stream` request.
    func yield(_ text: String, on index: Int = 0) {
        let continuation = state.withLock { $0.streams[index] }
        continuation.yield(Data(text.utf8))
    }

    func finish(stream index: Int = 0) {
        let continuation = state.withLock { $0.streams[index] }
        continuation.finish()
    }

    /// Polls until `condition` holds or `timeout` passes.
    func wait(for timeout: Duration = .seconds(5), until condition: (ServerTestHandler) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition(self) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition(self)
    }

    func handle(_ request: ControlRequest, peer: PeerCredentials) async -> ControlResponse {
        state.withLock { $0.seen.append(Seen(request: request, peer: peer)) }
        switch request.path {
        case "/v1/health":
            let body: [String: Any] = ["pid": Int(peer.pid), "uid": Int(peer.uid), "gid": Int(peer.gid), "status": "ok"]
            return .json(200, try! JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]))
        case "/echo":
            return .full(status: 200, contentType: request.headers["content-type"] ?? "application/octet-stream", body: request.body)
        case "/slow":
            try? await Task.sleep(for: .milliseconds(Int(request.query["ms"] ?? "500") ?? 500))
            return .full(status: 200, contentType: "text/plain", body: Data("slow done\n".utf8))
        case "/stream":
            let (stream, continuation) = AsyncStream<Data>.makeStream()
            continuation.onTermination = { [weak self] termination in
                self?.state.withLock { $0.terminations.append(termination) }
            }
            state.withLock { $0.streams.append(continuation) }
            if let preset = request.query["chunks"] {
                for part in preset.split(separator: ",") { continuation.yield(Data("\(part)\n".utf8)) }
                continuation.finish()
            }
            return .stream(status: 200, contentType: "application/x-ndjson", chunks: stream)
        default:
            return .json(404, APIErrorBody(code: ControlErrorCode.notFound, message: "no route \(request.path)").encoded())
        }
    }
}

/// A short directory under /tmp (socket paths must fit in 107 bytes), removed by `tearDown`.
func serverTemporaryDirectory() throws -> String {
    let path = "/tmp/cutover-srv-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Runs a program to completion without blocking a concurrency thread; stdout and exit status.
func serverRunProcess(_ executable: String, _ arguments: [String]) async throws -> (status: Int32, output: Data) {
    try await runOffPool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, data)
    }
}

func serverGroupName(_ gid: gid_t) -> String? {
    guard let entry = getgrgid(gid), let name = entry.pointee.gr_name else { return nil }
    return String(cString: name)
}
