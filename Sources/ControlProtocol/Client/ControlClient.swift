import Foundation

/// A small blocking HTTP/1.1 client for `cutoverd`'s control socket: one request per connection
/// (`Connection: close`), over an AF_UNIX stream socket, with nothing but Glibc underneath — so
/// `cutoverctl` starts in milliseconds and has no event loop to shut down.
///
/// Who the caller is comes from the kernel (SO_PEERCRED on the daemon's side), never from the
/// request; the client sends no credentials.
public struct ControlClient: Sendable {
    /// Where `cutoverd.socket` puts the socket.
    public static let defaultSocketPath = "/run/cutover/cutoverd.sock"
    /// Overrides the default socket path (tests, a second daemon on one host).
    public static let socketEnvironmentVariable = "CUTOVER_SOCKET"

    /// `--socket` if given, else `$CUTOVER_SOCKET` if set and not empty, else the default.
    public static func socketPath(
        option: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String {
        if let option, !option.isEmpty { return option }
        if let value = environment[socketEnvironmentVariable], !value.isEmpty { return value }
        return defaultSocketPath
    }

    public var socketPath: String
    /// Seconds to wait for a complete answer (for `stream`, for the response head).
    public var timeout: Double
    public var userAgent: String

    public init(socketPath: String, timeout: Double = 30, userAgent: String = "cutoverctl") {
        self.socketPath = socketPath
        self.timeout = timeout
        self.userAgent = userAgent
    }

    /// Sends one request and returns the status and the complete body, whatever the status:
    /// interpreting a 4xx is the caller's business (`APIErrorBody.decode`).
    ///
    /// - Throws: `daemonNotRunning`, `permissionDenied`, `timeout`, `protocolError`, `connectionFailed`.
    public func send(method: String, path: String, body: Data? = nil) throws(ControlClientError) -> (status: Int, body: Data) {
        let deadline = Self.now() + timeout
        let socket = try open(method: method, path: path, body: body)
        var parser = HTTPResponseParser()
        var status = 0
        var answer: [UInt8] = []
        while true {
            let events = try receive(socket, &parser, timeout: max(0, deadline - Self.now()), doing: "answering \(method) \(path)")
            for event in events {
                switch event {
                case .head(let code, _): status = code
                case .body(let bytes): answer += bytes
                case .end: return (status, Data(answer))
                }
            }
        }
    }

    /// Reads a streamed answer (`GET /v1/runs/{id}/events?follow=true`) line by line: `onChunk`
    /// gets each newline-terminated line of the NDJSON body (reassembled across HTTP chunks,
    /// newline removed, empty lines skipped) and returns whether to go on. With `idleInterval`,
    /// `onIdle` is called whenever that many seconds pass without a line (redraw a countdown) and
    /// also returns whether to go on. Returning false closes the connection, which ends the
    /// daemon's subscription.
    ///
    /// Returns normally when the daemon ends the stream or a callback says stop.
    ///
    /// - Throws: as `send`, and `rejected` (with the daemon's `APIErrorBody`) when the answer is
    ///   not 2xx.
    public func stream(
        path: String, idleInterval: Double? = nil, onIdle: () -> Bool = { true }, onChunk: (Data) -> Bool
    ) throws(ControlClientError) {
        let headDeadline = Self.now() + timeout
        let socket = try open(method: "GET", path: path, body: nil)
        var parser = HTTPResponseParser()
        var status: Int?
        var errorBody: [UInt8] = []
        var pending: [UInt8] = []
        while true {
            let events: [HTTPResponseParser.Event]
            if let status, (200..<300).contains(status) {
                guard let batch = try receiveOrIdle(socket, &parser, idleInterval: idleInterval) else {
                    if !onIdle() { return }
                    continue
                }
                events = batch
            } else {
                events = try receive(
                    socket, &parser, timeout: max(0, headDeadline - Self.now()) + (status == nil ? 0 : timeout),
                    doing: "answering GET \(path)")
            }
            for event in events {
                switch event {
                case .head(let code, _):
                    status = code
                case .body(let bytes):
                    guard let status, (200..<300).contains(status) else {
                        errorBody += bytes
                        continue
                    }
                    pending += bytes
                    while let newline = pending.firstIndex(of: 0x0A) {
                        let line = pending[..<newline]
                        pending.removeFirst(newline + 1)
                        let trimmed = line.last == 0x0D ? line.dropLast() : line
                        if !trimmed.isEmpty, !onChunk(Data(trimmed)) { return }
                    }
                case .end:
                    guard let status, (200..<300).contains(status) else {
                        let body = Data(errorBody)
                        let apiError = APIErrorBody.decode(body)
                        throw ControlClientError(
                            .rejected,
                            apiError?.message ?? "cutoverd answered \(status ?? 0) to GET \(path)",
                            socketPath: socketPath, status: status, apiError: apiError)
                    }
                    if !pending.isEmpty { _ = onChunk(Data(pending)) }
                    return
                }
            }
        }
    }

    // MARK: Connection

    private func open(method: String, path: String, body: Data?) throws(ControlClientError) -> UnixStreamSocket {
        let socket = try UnixStreamSocket(connectingTo: socketPath)
        var head = "\(method) \(path) HTTP/1.1\r\n"
        head += "Host: cutoverd\r\n"
        head += "User-Agent: \(userAgent)\r\n"
        head += "Accept: application/json, application/x-ndjson\r\n"
        head += "Connection: close\r\n"
        if let body {
            head += "Content-Type: application/json\r\n"
            head += "Content-Length: \(body.count)\r\n"
        } else if method == "POST" || method == "PUT" {
            head += "Content-Length: 0\r\n"
        }
        head += "\r\n"
        try socket.write(Array(head.utf8) + (body.map { [UInt8]($0) } ?? []))
        return socket
    }

    /// Reads until the parser yields events; fails on the deadline.
    private func receive(
        _ socket: UnixStreamSocket, _ parser: inout HTTPResponseParser, timeout: Double, doing what: String
    ) throws(ControlClientError) -> [HTTPResponseParser.Event] {
        let deadline = Self.now() + timeout
        while true {
            let remaining = deadline - Self.now()
            guard remaining > 0 else { throw ControlClientError.timedOut(socketPath, after: self.timeout, doing: what) }
            switch try socket.read(timeout: remaining) {
            case .timedOut:
                throw ControlClientError.timedOut(socketPath, after: self.timeout, doing: what)
            case .closed:
                return try finish(&parser)
            case .bytes(let bytes):
                let events = try feed(&parser, bytes)
                if !events.isEmpty { return events }
            }
        }
    }

    /// Like `receive`, but returns nil after `idleInterval` seconds without events (nil interval:
    /// waits for ever).
    private func receiveOrIdle(
        _ socket: UnixStreamSocket, _ parser: inout HTTPResponseParser, idleInterval: Double?
    ) throws(ControlClientError) -> [HTTPResponseParser.Event]? {
        let deadline = idleInterval.map { Self.now() + $0 }
        while true {
            let remaining = deadline.map { max(0, $0 - Self.now()) }
            switch try socket.read(timeout: remaining) {
            case .timedOut:
                return nil
            case .closed:
                return try finish(&parser)
            case .bytes(let bytes):
                let events = try feed(&parser, bytes)
                if !events.isEmpty { return events }
            }
        }
    }

    private func feed(
        _ parser: inout HTTPResponseParser, _ bytes: [UInt8]
    ) throws(ControlClientError)
        -> [HTTPResponseParser.Event]
    {
        do {
            return try parser.feed(bytes)
        } catch {
            throw ControlClientError.protocolError(socketPath, error.message)
        }
    }

    private func finish(_ parser: inout HTTPResponseParser) throws(ControlClientError) -> [HTTPResponseParser.Event] {
        do {
            return try parser.finish()
        } catch {
            throw ControlClientError.protocolError(socketPath, error.message)
        }
    }

    private static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
