import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A stand-in for cutoverd's control socket: a unix socket that answers each request with what
/// the test's handler says — JSON with a status, a chunked NDJSON stream (split at awkward
/// places), raw bytes, or silence — and records every request. One thread per connection, so
/// `status --watch` can hold a stream open while it fetches the run.
final class CLIFakeDaemon: @unchecked Sendable {
    struct Request: Sendable {
        var method: String
        var path: String
        var body: Data
    }

    enum Reply: Sendable {
        case json(Int, String)
        /// NDJSON lines as chunks: each line split in two chunks, and the last two lines sent in one.
        case stream([String], delay: Double)
        case raw([UInt8])
        /// Accept, read, never answer.
        case silent
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    let path: String
    private let listener: Int32
    private let handler: @Sendable (Request) -> Reply
    private let recorded = Mutex<[Request]>([])
    private let stopped = Mutex(false)

    init(directory: URL, handler: @escaping @Sendable (Request) -> Reply) throws {
        path = directory.appendingPathComponent("fake-cutoverd.sock").path
        listener = try CLIConnectionTests.bind(path, listen: true)
        chmod(path, 0o666)
        self.handler = handler
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    var requests: [Request] { recorded.withLock { $0 } }

    func stop() {
        stopped.withLock { $0 = true }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        unlink(path)
    }

    private func acceptLoop() {
        while !stopped.withLock({ $0 }) {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                if errno == EINTR { continue }
                return
            }
            Thread.detachNewThread { [self] in serve(connection) }
        }
    }

    private func serve(_ fd: Int32) {
        defer { close(fd) }
        guard let request = readRequest(fd) else { return }
        recorded.withLock { $0.append(request) }
        switch handler(request) {
        case .json(let status, let body):
            let bytes = Array(body.utf8)
            write(
                fd,
                Array(
                    "HTTP/1.1 \(status) X\r\nContent-Type: application/json\r\nContent-Length: \(bytes.count)\r\nConnection: close\r\n\r\n"
                        .utf8) + bytes)
        case .stream(let lines, let delay):
            write(fd, Array("HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n\r\n".utf8))
            var chunks: [[UInt8]] = []
            for line in lines.dropLast(2) {
                let bytes = Array((line + "\n").utf8)
                chunks.append(Array(bytes[..<(bytes.count / 2)]))
                chunks.append(Array(bytes[(bytes.count / 2)...]))
            }
            if lines.count >= 2 {
                chunks.append(Array(lines.suffix(2).map { $0 + "\n" }.joined().utf8))
            } else if let last = lines.last {
                chunks.append(Array((last + "\n").utf8))
            }
            for chunk in chunks {
                usleep(UInt32(delay * 1_000_000))
                guard write(fd, Array(String(chunk.count, radix: 16).utf8) + [13, 10] + chunk + [13, 10]) else { return }
            }
            write(fd, Array("0\r\n\r\n".utf8))
        case .raw(let bytes):
            write(fd, bytes)
        case .silent:
            var buffer = [UInt8](repeating: 0, count: 1024)
            while recv(fd, &buffer, buffer.count, 0) > 0 {}
        }
    }

    private func readRequest(_ fd: Int32) -> Request? {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        var headEnd: Int?
        while headEnd == nil {
            let count = recv(fd, &buffer, buffer.count, 0)
            guard count > 0 else { return nil }
            data += buffer[..<count]
            headEnd = Self.find(data, [13, 10, 13, 10])
        }
        let head = String(decoding: data[..<headEnd!], as: UTF8.self)
        let lines = head.components(separatedBy: "\r\n")
        let parts = lines[0].split(separator: " ")
        var length = 0
        for line in lines.dropFirst() where line.lowercased().hasPrefix("content-length:") {
            length = Int(line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) ?? 0
        }
        var body = Array(data[(headEnd! + 4)...])
        while body.count < length {
            let count = recv(fd, &buffer, buffer.count, 0)
            guard count > 0 else { return nil }
            body += buffer[..<count]
        }
        return Request(method: String(parts[0]), path: String(parts[1]), body: Data(body))
    }

    @discardableResult
    private func write(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }

    private static func find(_ data: [UInt8], _ pattern: [UInt8]) -> Int? {
        guard data.count >= pattern.count else { return nil }
        for index in 0...(data.count - pattern.count) where Array(data[index..<(index + pattern.count)]) == pattern {
            return index
        }
        return nil
    }
}
