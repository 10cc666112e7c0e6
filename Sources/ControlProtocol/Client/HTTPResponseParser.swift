import Foundation

/// The state machine that reads one HTTP/1.1 response from a byte stream, as the control API
/// sends it: a status line and headers, then a body framed by `Content-Length`, by
/// `Transfer-Encoding: chunked`, or by the connection closing.
///
/// Pure: it is fed bytes in whatever pieces the socket delivers and returns what they completed,
/// so every split (a chunk size torn between two reads, a CRLF on its own) is testable without a
/// socket.
struct HTTPResponseParser {
    enum Event: Equatable {
        case head(status: Int, headers: [String: String])
        case body([UInt8])
        case end
    }

    struct Failure: Error, Equatable {
        var message: String
    }

    enum State: Equatable {
        case head
        case fixedBody(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers
        case untilClose
        case done
    }

    /// Larger heads than this are refused: the daemon's are a few hundred bytes.
    static let maximumHeadBytes = 64 * 1024
    static let maximumLineBytes = 8 * 1024

    private(set) var state: State = .head
    private var buffer: [UInt8] = []

    var isComplete: Bool { state == .done }

    /// Consumes `bytes` and returns the events they complete, in order.
    mutating func feed(_ bytes: some Sequence<UInt8>) throws(Failure) -> [Event] {
        buffer.append(contentsOf: bytes)
        var events: [Event] = []
        while try step(&events) {}
        return events
    }

    /// The connection closed: ends a body framed by the close, or fails when more was promised.
    mutating func finish() throws(Failure) -> [Event] {
        switch state {
        case .done: return []
        case .untilClose:
            state = .done
            return [.end]
        case .head where buffer.isEmpty:
            throw Failure(message: "the connection closed without an answer")
        case .head:
            throw Failure(message: "the connection closed in the middle of the response head")
        default:
            throw Failure(message: "the connection closed before the response body was complete")
        }
    }

    /// Makes one transition if the buffer allows; false when it needs more bytes.
    private mutating func step(_ events: inout [Event]) throws(Failure) -> Bool {
        switch state {
        case .head:
            guard let end = find([13, 10, 13, 10]) else {
                if buffer.count > Self.maximumHeadBytes { throw Failure(message: "a response head over 64 KiB") }
                return false
            }
            let head = Array(buffer[..<end])
            buffer.removeFirst(end + 4)
            let (status, headers) = try Self.parseHead(head)
            // 1xx answers are interim; the real one follows.
            if (100..<200).contains(status) { return true }
            events.append(.head(status: status, headers: headers))
            if status == 204 || status == 304 {
                finishBody(&events)
            } else if let encoding = headers["transfer-encoding"], encoding.lowercased().contains("chunked") {
                state = .chunkSize
            } else if let lengthText = headers["content-length"] {
                guard let length = Int(lengthText.trimmingCharacters(in: .whitespaces)), length >= 0 else {
                    throw Failure(message: "a bad Content-Length \"\(lengthText)\"")
                }
                if length == 0 { finishBody(&events) } else { state = .fixedBody(remaining: length) }
            } else {
                state = .untilClose
            }
            return true
        case .fixedBody(let remaining):
            guard !buffer.isEmpty else { return false }
            let count = min(remaining, buffer.count)
            events.append(.body(Array(buffer[..<count])))
            buffer.removeFirst(count)
            if count == remaining { finishBody(&events) } else { state = .fixedBody(remaining: remaining - count) }
            return true
        case .chunkSize:
            guard let line = try takeLine() else { return false }
            let sizeText = line.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size >= 0 else {
                throw Failure(message: "a bad chunk size \"\(line)\"")
            }
            state = size == 0 ? .trailers : .chunkData(remaining: size)
            return true
        case .chunkData(let remaining):
            guard !buffer.isEmpty else { return false }
            let count = min(remaining, buffer.count)
            events.append(.body(Array(buffer[..<count])))
            buffer.removeFirst(count)
            state = count == remaining ? .chunkDataEnd : .chunkData(remaining: remaining - count)
            return true
        case .chunkDataEnd:
            guard buffer.count >= 2 else { return false }
            guard buffer[0] == 13, buffer[1] == 10 else { throw Failure(message: "a chunk not followed by CRLF") }
            buffer.removeFirst(2)
            state = .chunkSize
            return true
        case .trailers:
            guard let line = try takeLine() else { return false }
            if line.isEmpty { finishBody(&events) }
            return true
        case .untilClose:
            guard !buffer.isEmpty else { return false }
            events.append(.body(buffer))
            buffer.removeAll(keepingCapacity: true)
            return true
        case .done:
            return false
        }
    }

    private mutating func finishBody(_ events: inout [Event]) {
        state = .done
        events.append(.end)
    }

    /// The next CRLF-terminated line (without the CRLF), or nil when it is not complete yet.
    private mutating func takeLine() throws(Failure) -> String? {
        guard let end = find([13, 10]) else {
            if buffer.count > Self.maximumLineBytes { throw Failure(message: "a chunk line over 8 KiB") }
            return nil
        }
        let line = String(decoding: buffer[..<end], as: UTF8.self)
        buffer.removeFirst(end + 2)
        return line
    }

    private func find(_ pattern: [UInt8]) -> Int? {
        guard buffer.count >= pattern.count else { return nil }
        var index = 0
        while index <= buffer.count - pattern.count {
            if buffer[index] == pattern[0] {
                var match = true
                for offset in 1..<pattern.count where buffer[index + offset] != pattern[offset] {
                    match = false
                    break
                }
                if match { return index }
            }
            index += 1
        }
        return nil
    }

    /// `HTTP/1.1 200 OK` and `Name: value` lines; header names lower-cased, repeated ones joined with `, `.
    static func parseHead(_ head: [UInt8]) throws(Failure) -> (Int, [String: String]) {
        let text = String(decoding: head, as: UTF8.self)
        var lines = text.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]), (100...999).contains(status)
        else {
            throw Failure(message: "not an HTTP/1.1 status line: \"\(statusLine.prefix(80))\"")
        }
        var headers: [String: String] = [:]
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else {
                throw Failure(message: "a header line without a colon: \"\(line.prefix(80))\"")
            }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers[name] = headers[name].map { "\($0), \(value)" } ?? value
        }
        return (status, headers)
    }
}
