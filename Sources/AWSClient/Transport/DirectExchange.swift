import CCurl
import Foundation

/// One request on the transport's direct HTTP/1.1 lane (CCurl's direct.c): the request's bytes
/// built here, sent and answered on the I/O thread, and the answer handed back as an
/// `HTTPResponse` or a classified `TransportError`.
///
/// The lane exists for the S3 copy's CopyObject, which a big bucket sends tens of thousands of
/// times: libcurl's own work per transfer (its printf per header byte, its scans of every cached
/// connection, its liveness poll before each reuse) was half of the daemon's CPU per copied object
/// in issue 19's profile. A request goes there only when it asks to (`HTTPRequest.bulk`) and the
/// lane can carry it exactly as curl would: http or https, no proxy, no unix socket, not an
/// irreversible call (those never ride a reused connection, and the lane resends once on a closed
/// reused one, as curl does).
final class DirectExchange: @unchecked Sendable {
    /// Where the request goes: from its URL.
    struct Target: Equatable {
        var tls: Bool
        var host: String
        var port: Int
        /// The request target: path and query, as in the URL.
        var target: Substring
    }

    let url: String
    let target: Target
    let bytes: [UInt8]
    let headOnly: Bool
    let timeout: TransportTimeouts
    /// Set and cleared on the I/O thread: the C exchange while it is in flight.
    var handle: OpaquePointer?
    var isCancelled = false
    /// The task waiting for the answer.
    var answer = PendingAnswer()

    init(request: HTTPRequest, target: Target, timeout: TransportTimeouts, userAgent: String) {
        url = request.url
        self.target = target
        headOnly = request.method == "HEAD"
        self.timeout = timeout
        bytes = Self.wireBytes(request, target: target.target, userAgent: userAgent)
    }

    /// The target of `request` if the direct lane can carry it; nil sends it through curl.
    static func target(of request: HTTPRequest, proxy: ProxySettings) -> Target? {
        guard request.bulk, request.unixSocketPath == nil, !request.freshConnection else { return nil }
        let url = request.url
        let tls: Bool
        let rest: Substring
        if url.hasPrefix("https://") {
            tls = true
            rest = url.dropFirst(8)
        } else if url.hasPrefix("http://") {
            tls = false
            rest = url.dropFirst(7)
        } else {
            return nil
        }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        guard !authority.isEmpty, !authority.contains("@"), proxy.proxy(for: url) == nil else { return nil }
        var host = authority
        var port = tls ? 443 : 80
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":"), let number = Int(after.dropFirst()) else { return nil }
                port = number
            }
        } else if let colon = authority.lastIndex(of: ":") {
            guard let number = Int(authority[authority.index(after: colon)...]) else { return nil }
            host = authority[..<colon]
            port = number
        }
        guard !host.isEmpty, (1...65535).contains(port) else { return nil }
        var path = rest[authorityEnd...]
        if let fragment = path.firstIndex(of: "#") { path = path[..<fragment] }
        return Target(tls: tls, host: String(host), port: port, target: path)
    }

    /// The request as it goes on the wire. Headers as given (they are signed), then what curl
    /// would add: Content-Length for a body or a PUT/POST, User-Agent unless set. Nothing else:
    /// curl's Accept and Expect were switched off for every request anyway.
    static func wireBytes(_ request: HTTPRequest, target: Substring, userAgent: String) -> [UInt8] {
        var hasUserAgent = false
        var hasLength = false
        var size = request.method.utf8.count + target.utf8.count + 14 + request.body.count
        for field in request.headers {
            size += field.name.utf8.count + field.value.utf8.count + 4
            if !hasUserAgent, HTTPHeaders.sameName(field.name, "User-Agent") { hasUserAgent = true }
            if !hasLength, HTTPHeaders.sameName(field.name, "Content-Length") { hasLength = true }
        }
        let sendsLength = !hasLength && (!request.body.isEmpty || request.method == "PUT" || request.method == "POST")
        let length = String(request.body.count)
        if sendsLength { size += 18 + length.utf8.count }
        if !hasUserAgent { size += 14 + userAgent.utf8.count }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(size)
        func line(_ name: String, _ value: String) {
            bytes.append(contentsOf: name.utf8)
            bytes.append(UInt8(ascii: ":"))
            bytes.append(UInt8(ascii: " "))
            bytes.append(contentsOf: value.utf8)
            bytes.append(13)
            bytes.append(10)
        }
        bytes.append(contentsOf: request.method.utf8)
        bytes.append(UInt8(ascii: " "))
        if target.isEmpty || target.first == "?" { bytes.append(UInt8(ascii: "/")) }
        bytes.append(contentsOf: target.utf8)
        bytes.append(contentsOf: " HTTP/1.1\r\n".utf8)
        for field in request.headers { line(field.name, field.value) }
        if sendsLength { line("Content-Length", length) }
        if !hasUserAgent { line("User-Agent", userAgent) }
        bytes.append(13)
        bytes.append(10)
        request.body.withUnsafeBytes { bytes.append(contentsOf: $0) }
        return bytes
    }

    /// The C exchange's result as a response or an error.
    func outcome(_ result: cutover_direct_result) -> Result<HTTPResponse, Error> {
        if result.outcome == Int32(CUTOVER_DIRECT_OK) {
            var headers = HTTPHeaders(CurlTransfer.emptyFields)
            if let head = result.head, result.head_length > 0 {
                let block = UnsafeRawBufferPointer(start: head, count: result.head_length)
                var start = 0
                for index in 0..<block.count where block[index] == 10 {
                    if let field = CurlTransfer.headerField(UnsafeRawBufferPointer(rebasing: block[start...index])) {
                        headers.add(field.name, field.value)
                    }
                    start = index + 1
                }
            }
            let body = result.body.map { Data(bytes: $0, count: result.body_length) } ?? Data()
            return .success(HTTPResponse(status: Int(result.status), headers: headers, body: body))
        }
        if result.outcome == Int32(CUTOVER_DIRECT_CANCELLED) { return .failure(CancellationError()) }
        let kind: TransportError.Kind
        switch Int(result.outcome) {
        case Int(CUTOVER_DIRECT_COULD_NOT_CONNECT): kind = .couldNotConnect
        case Int(CUTOVER_DIRECT_TIMED_OUT): kind = .timedOut
        case Int(CUTOVER_DIRECT_CONNECTION_RESET): kind = .connectionReset
        case Int(CUTOVER_DIRECT_PARTIAL_RESPONSE): kind = .partialResponse
        case Int(CUTOVER_DIRECT_CERTIFICATE): kind = .certificate
        default: kind = .other
        }
        var message = result.message.map { String(cString: $0) } ?? "unknown failure"
        if kind == .certificate { message += CurlTransfer.certificateAdvice }
        return .failure(TransportError(kind: kind, message: message, url: url))
    }

    func complete(_ result: Result<HTTPResponse, Error>) { answer.complete(result) }
}
