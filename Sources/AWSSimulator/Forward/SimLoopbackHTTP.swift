import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One HTTP/1.1 exchange with a server on 127.0.0.1, blocking, one connection per request
/// (`Connection: close`, the answer read to end of stream). Enough for forwarding to moto's
/// development server from the simulator's thread pool, and nothing more: no TLS, no keep-alive,
/// no redirects. The simulator depends on NIO only, and NIO has no HTTP client.
enum SimLoopbackHTTP {
    struct Answer {
        var status: Int
        var headers: [(name: String, value: String)]
        var body: Data
    }

    /// How long one exchange may take, each way.
    static let timeoutSeconds = 60

    static func exchange(
        port: Int, method: String, target: String, headers: [(name: String, value: String)], body: Data
    ) throws(SimForwardingError) -> Answer {
        #if canImport(Glibc)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw SimForwardingError("socket(): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))

        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = in_addr_t(UInt32(0x7F00_0001).bigEndian)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw SimForwardingError("connect to 127.0.0.1:\(port): \(String(cString: strerror(errno)))") }

        var head = "\(method) \(target) HTTP/1.1\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        try write(fd, Data(head.utf8) + body, port: port)

        var received = Data()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw SimForwardingError("read from 127.0.0.1:\(port): \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            received.append(contentsOf: buffer[0..<n])
        }
        return try parse(received, port: port)
    }

    private static func write(_ fd: Int32, _ data: Data, port: Int) throws(SimForwardingError) {
        var offset = 0
        while offset < data.count {
            let n = data.withUnsafeBytes { send(fd, $0.baseAddress! + offset, data.count - offset, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw SimForwardingError("write to 127.0.0.1:\(port): \(String(cString: strerror(errno)))")
            }
            offset += n
        }
    }

    /// Status line, headers, and a body delimited by `Content-Length`, chunked coding, or the end
    /// of the stream.
    static func parse(_ data: Data, port: Int) throws(SimForwardingError) -> Answer {
        let separator = Data("\r\n\r\n".utf8)
        guard let end = data.range(of: separator) else {
            throw SimForwardingError("127.0.0.1:\(port) closed the connection before a complete answer (\(data.count) bytes)")
        }
        let lines = String(decoding: data[data.startIndex..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ", maxSplits: 2)
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/"), let status = Int(statusParts[1]) else {
            throw SimForwardingError("127.0.0.1:\(port) answered with a malformed status line: \(lines[0].prefix(80))")
        }
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name }?.value }
        var body = Data(data[end.upperBound...])
        if header("transfer-encoding")?.lowercased().contains("chunked") == true {
            body = try dechunk(body, port: port)
            headers.removeAll { $0.name.lowercased() == "transfer-encoding" }
        } else if let length = header("content-length").flatMap(Int.init), length <= body.count {
            body = body.prefix(length)
        }
        return Answer(status: status, headers: headers, body: body)
    }

    private static func dechunk(_ data: Data, port: Int) throws(SimForwardingError) -> Data {
        var out = Data()
        var rest = data[...]
        let crlf = Data("\r\n".utf8)
        while let lineEnd = rest.range(of: crlf) {
            let sizeText = String(decoding: rest[rest.startIndex..<lineEnd.lowerBound], as: UTF8.self)
            guard let size = Int(sizeText.split(separator: ";").first.map(String.init) ?? "", radix: 16) else {
                throw SimForwardingError("127.0.0.1:\(port) sent a malformed chunk size: \(sizeText.prefix(20))")
            }
            if size == 0 { return out }
            let start = lineEnd.upperBound
            guard rest.distance(from: start, to: rest.endIndex) >= size else { break }
            out.append(rest[start..<rest.index(start, offsetBy: size)])
            rest = rest[rest.index(start, offsetBy: min(size + 2, rest.distance(from: start, to: rest.endIndex)))...]
        }
        throw SimForwardingError("127.0.0.1:\(port) ended a chunked answer early")
    }
}
