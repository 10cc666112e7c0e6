import CCurl
import Foundation
import Synchronization

/// One request's libcurl easy handle with its buffers. Built on the caller's thread, then owned by
/// the I/O thread until `complete` hands the result back.
final class CurlTransfer: @unchecked Sendable {
    let easy: UnsafeMutableRawPointer
    let url: String
    private let pool: CurlEasyHandlePool
    /// The request's header lines and their `curl_slist` nodes, in one allocation.
    private var headerList: CurlHeaderList?
    private var status = 0
    private var responseHeaders = HTTPHeaders()
    private var body = Data()
    /// The answer's Content-Length, once its header arrived: the body's buffer is made that size
    /// at its first bytes instead of regrowing.
    private var announcedLength = 0
    var isCancelled = false
    /// The task waiting for the answer.
    var answer = PendingAnswer()

    init(request: HTTPRequest, timeout: TransportTimeouts, userAgent: String, proxy: ProxySettings, pool: CurlEasyHandlePool) throws {
        guard let easy = pool.take() else {
            throw TransportError(kind: .other, message: "curl_easy_init failed", url: request.url)
        }
        self.easy = easy
        self.url = request.url
        self.pool = pool
        do {
            try configure(request, timeout: timeout, userAgent: userAgent, proxy: proxy)
        } catch {
            pool.give(back: easy)
            throw error
        }
    }

    deinit {
        // Off the multi handle by now (finished, cancelled or never added): the handle goes back
        // to the pool, reset, before the header lines it points to are freed.
        pool.give(back: easy)
        headerList?.deallocate()
    }

    private func configure(_ request: HTTPRequest, timeout: TransportTimeouts, userAgent: String, proxy: ProxySettings) throws {
        func check(_ code: CURLcode, _ what: String) throws {
            guard code == CURLE_OK else {
                throw TransportError(kind: .other, message: "curl option \(what): \(String(cString: curl_easy_strerror(code)))", url: url)
            }
        }
        try check(setString(CURLOPT_URL, request.url), "URL")
        if let socket = request.unixSocketPath {
            try check(setString(CURLOPT_UNIX_SOCKET_PATH, socket), "UNIX_SOCKET_PATH")
        }
        // An empty proxy string disables curl's own reading of the environment: `proxy` decides.
        try check(setString(CURLOPT_PROXY, request.unixSocketPath == nil ? proxy.proxy(for: request.url) ?? "" : ""), "PROXY")
        // Always set, "" when there is none: unset, curl looked up `no_proxy` and `NO_PROXY` with
        // getenv on every transfer (libcurl 7.88's create_conn), although `proxy` has read them
        // once already and is the only source of truth.
        try check(setString(CURLOPT_NOPROXY, proxy.noProxy ?? ""), "NOPROXY")
        if let ca = proxy.caBundle { try check(setString(CURLOPT_CAINFO, ca), "CAINFO") }
        // Always verify the server's certificate chain and that it names the host, whatever
        // libcurl's defaults: no configuration key or environment variable turns this off.
        try check(cutover_easy_setopt_long(easy, CURLOPT_SSL_VERIFYPEER, 1), "SSL_VERIFYPEER")
        try check(cutover_easy_setopt_long(easy, CURLOPT_SSL_VERIFYHOST, 2), "SSL_VERIFYHOST")
        _ = cutover_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        _ = cutover_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(timeout.connect))
        _ = cutover_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, Self.milliseconds(timeout.total))
        _ = cutover_easy_setopt_long(easy, CURLOPT_TCP_KEEPALIVE, 1)
        if request.freshConnection {
            _ = cutover_easy_setopt_long(easy, CURLOPT_FRESH_CONNECT, 1)
            _ = cutover_easy_setopt_long(easy, CURLOPT_FORBID_REUSE, 1)
        }
        // AWS never needs redirects followed: a 301/307 from S3 is an error with a region hint.
        _ = cutover_easy_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 0)

        switch request.method {
        case "GET":
            _ = cutover_easy_setopt_long(easy, CURLOPT_HTTPGET, 1)
        case "HEAD":
            _ = cutover_easy_setopt_long(easy, CURLOPT_NOBODY, 1)
        default:
            try check(setString(CURLOPT_CUSTOMREQUEST, request.method), "CUSTOMREQUEST")
        }
        let sendsBody = !request.body.isEmpty || request.method == "PUT" || request.method == "POST"
        if sendsBody {
            // Size first: COPYPOSTFIELDS copies exactly that many bytes (bodies may contain NULs).
            _ = cutover_easy_setopt_off(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count))
            try request.body.withUnsafeBytes { raw in
                let base = raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
                try check(cutover_easy_setopt_ptr(easy, CURLOPT_COPYPOSTFIELDS, base), "COPYPOSTFIELDS")
            }
        }

        let list = CurlHeaderList(request.headers, sendsBody: sendsBody, userAgent: userAgent)
        headerList = list
        _ = cutover_easy_setopt_ptr(easy, CURLOPT_HTTPHEADER, list.first)

        let me = Unmanaged.passUnretained(self).toOpaque()
        _ = cutover_easy_setopt_write(
            easy,
            { ptr, size, count, user in
                let transfer = Unmanaged<CurlTransfer>.fromOpaque(user!).takeUnretainedValue()
                let n = size * count
                guard let ptr, n > 0 else { return n }
                if transfer.body.isEmpty, transfer.announcedLength > n {
                    transfer.body.reserveCapacity(min(transfer.announcedLength, CurlTransfer.largestReservation))
                }
                transfer.body.append(UnsafeRawPointer(ptr).assumingMemoryBound(to: UInt8.self), count: n)
                return n
            }, me)
        _ = cutover_easy_setopt_header(
            easy,
            { ptr, size, count, user in
                let transfer = Unmanaged<CurlTransfer>.fromOpaque(user!).takeUnretainedValue()
                let n = size * count
                if let ptr { transfer.receiveHeaderLine(UnsafeRawBufferPointer(start: ptr, count: n)) }
                return n
            }, me)
    }

    /// Sets a string option (curl copies it). Through `withCString`, which lends a short string's
    /// bytes from the stack: passing the `String` itself as a C string copied every string of up
    /// to 15 bytes (`""`, the method) into a new array on each call.
    private func setString(_ option: CURLoption, _ value: String) -> CURLcode {
        value.withCString { cutover_easy_setopt_string(easy, option, $0) }
    }

    /// One header line as curl hands it over (CRLF included), parsed on the bytes: the status
    /// line, or `Name: value` with the value's surrounding spaces and tabs (RFC 9110 OWS) dropped.
    /// Byte-level because Foundation's trimming bridged every line through NSString, which cost
    /// more CPU than the rest of a CopyObject's handling together (issue 19's profile).
    private func receiveHeaderLine(_ bytes: UnsafeRawBufferPointer) {
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A }
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        let line = bytes[start..<end]
        if line.starts(with: "HTTP/".utf8) {
            // A new status line (after 100 Continue, for instance) starts a fresh header block.
            responseHeaders = HTTPHeaders(Self.emptyFields)
            announcedLength = 0
            guard let space = line.firstIndex(of: 0x20) else { return }
            var index = space
            while index < end, bytes[index] == 0x20 { index += 1 }
            var code = 0
            var digits = 0
            while index < end, (48...57).contains(bytes[index]), digits < 4 {
                code = code * 10 + Int(bytes[index] - 48)
                digits += 1
                index += 1
            }
            if digits > 0, index == end || bytes[index] == 0x20 { status = code }
            return
        }
        guard let (name, value) = Self.headerField(UnsafeRawBufferPointer(rebasing: line)) else { return }
        if HTTPHeaders.sameName(name, "Content-Length"), let length = Int(value), length > 0 { announcedLength = length }
        responseHeaders.add(name, value)
    }

    /// `Name: value` from one header line (its CRLF and surrounding spaces allowed), the value's
    /// surrounding spaces and tabs (RFC 9110 OWS) dropped; nil for a line without a colon.
    static func headerField(_ bytes: UnsafeRawBufferPointer) -> (name: String, value: String)? {
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A }
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        guard let colon = bytes[start..<end].firstIndex(of: UInt8(ascii: ":")) else { return nil }
        var valueStart = colon + 1
        var valueEnd = end
        while valueStart < valueEnd, bytes[valueStart] == 0x20 || bytes[valueStart] == 0x09 { valueStart += 1 }
        while valueEnd > valueStart, bytes[valueEnd - 1] == 0x20 || bytes[valueEnd - 1] == 0x09 { valueEnd -= 1 }
        let nameBytes = UnsafeRawBufferPointer(rebasing: bytes[start..<colon])
        let known = nameBytes.count > 15 ? knownLongNames.first { UTF8Bytes.equal(nameBytes, $0) } : nil
        let name = known ?? String(decoding: nameBytes, as: UTF8.self)
        let value = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[valueStart..<valueEnd]), as: UTF8.self)
        return (name, value)
    }

    /// Names AWS sends that are too long for a `String`'s inline storage (15 UTF-8 bytes), so
    /// each answer would allocate them again; shorter names cost no allocation anyway.
    private static let knownLongNames = [
        "x-amz-request-id", "x-amz-checksum-sha256", "x-amz-server-side-encryption", "x-amz-version-id", "Transfer-Encoding",
        "x-amz-checksum-crc32", "x-amz-checksum-crc32c", "x-amz-copy-source-version-id", "x-amz-storage-class",
    ]

    /// The most a body's first reservation takes, whatever its Content-Length says: a large
    /// answer regrows as it arrives rather than trusting one header with memory.
    private static let largestReservation = 8 << 20

    /// Maps curl's result to a response or a classified transport error.
    func outcome(_ code: CURLcode) -> Result<HTTPResponse, Error> {
        if code == CURLE_OK {
            var responseCode = 0
            if cutover_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &responseCode) == CURLE_OK, responseCode != 0 {
                status = responseCode
            }
            return .success(HTTPResponse(status: status, headers: responseHeaders, body: body))
        }
        let message = String(cString: curl_easy_strerror(code))
        let kind: TransportError.Kind
        switch code {
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: kind = .couldNotConnect
        case CURLE_OPERATION_TIMEDOUT: kind = .timedOut
        case CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING: kind = .connectionReset
        case CURLE_PARTIAL_FILE: kind = .partialResponse
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL: kind = .badURL
        case CURLE_TOO_MANY_REDIRECTS: kind = .tooManyRedirects
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CERTPROBLEM,
            CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            kind = .certificate
        default: kind = .other
        }
        var detail = status != 0 ? "\(message) (after HTTP \(status), \(body.count) body bytes)" : message
        if kind == .certificate { detail += Self.certificateAdvice }
        return .failure(TransportError(kind: kind, message: detail, url: url))
    }

    func complete(_ result: Result<HTTPResponse, Error>) { answer.complete(result) }

    /// What a certificate error adds for the operator.
    static let certificateAdvice =
        ". The endpoint's TLS certificate is always verified and this one did not verify: check the endpoint URL, "
        + "and for a private CA point AWS_CA_BUNDLE at its certificate"

    /// An empty field list with room for a typical response's headers, so it does not regrow.
    static var emptyFields: [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = []
        fields.reserveCapacity(12)
        return fields
    }

    static func milliseconds(_ d: Duration) -> Int {
        let c = d.components
        return max(1, Int(c.seconds) * 1000 + Int(c.attoseconds / 1_000_000_000_000_000))
    }
}

/// Easy handles of finished transfers, kept for the next requests. `curl_easy_init` allocates and
/// sets up a handle of several KiB per request; `curl_easy_reset` on a used one clears every
/// option (nothing of one request leaks into the next) but keeps its buffers and its TLS session
/// cache. Connections live in the multi handle's cache either way, so keep-alive is unchanged.
final class CurlEasyHandlePool: Sendable {
    /// An idle easy handle; only ever used by one transfer at a time.
    private struct Handle: @unchecked Sendable {
        let easy: UnsafeMutableRawPointer
    }

    private let idle = Mutex<[Handle]>([])
    /// The most handles kept; beyond it (a burst of concurrency that passed) they are freed.
    let capacity: Int

    init(capacity: Int = 1024) {
        self.capacity = capacity
    }

    deinit {
        let handles = idle.withLock { handles -> [Handle] in
            defer { handles.removeAll() }
            return handles
        }
        for handle in handles { curl_easy_cleanup(handle.easy) }
    }

    /// A reset handle from the pool, or a new one; nil only if libcurl cannot allocate one.
    func take() -> UnsafeMutableRawPointer? {
        if let handle = idle.withLock({ $0.popLast() }) { return handle.easy }
        return curl_easy_init()
    }

    /// Takes back a handle that is on no multi handle.
    func give(back easy: UnsafeMutableRawPointer) {
        curl_easy_reset(easy)
        let handle = Handle(easy: easy)
        let kept = idle.withLock { handles -> Bool in
            guard handles.count < capacity else { return false }
            handles.append(handle)
            return true
        }
        if !kept { curl_easy_cleanup(easy) }
    }

    /// Handles waiting for reuse (for tests).
    var idleCount: Int { idle.withLock { $0.count } }
}

/// A request's header lines as curl wants them (`Name: value`, or `Name;` for an empty value,
/// then the lines that switch off headers curl would add by itself), in one allocation: the
/// `curl_slist` nodes, then the NUL-terminated lines they point to. `curl_slist_append` made two
/// allocations per line and Swift one string per line before that.
struct CurlHeaderList {
    private let memory: UnsafeMutableRawPointer
    /// The list's first node, for `CURLOPT_HTTPHEADER`; valid until `deallocate`.
    let first: UnsafeMutablePointer<curl_slist>?

    init(_ headers: HTTPHeaders, sendsBody: Bool, userAgent: String) {
        var hasContentType = false
        var hasUserAgent = false
        var lines = 2
        var textBytes = "Expect:".utf8.count + 1 + "Accept:".utf8.count + 1
        for field in headers {
            // name + ": " + value + NUL, or name + ";" + NUL
            textBytes += field.name.utf8.count + (field.value.isEmpty ? 2 : field.value.utf8.count + 3)
            lines += 1
            if !hasContentType, HTTPHeaders.sameName(field.name, "Content-Type") { hasContentType = true }
            if !hasUserAgent, HTTPHeaders.sameName(field.name, "User-Agent") { hasUserAgent = true }
        }
        let addContentType = sendsBody && !hasContentType
        if addContentType {
            lines += 1
            textBytes += "Content-Type:".utf8.count + 1
        }
        if !hasUserAgent {
            lines += 1
            textBytes += "User-Agent: ".utf8.count + userAgent.utf8.count + 1
        }
        let nodeBytes = lines * MemoryLayout<curl_slist>.stride
        memory = UnsafeMutableRawPointer.allocate(byteCount: nodeBytes + textBytes, alignment: MemoryLayout<curl_slist>.alignment)
        let nodes = memory.bindMemory(to: curl_slist.self, capacity: lines)
        let text = (memory + nodeBytes).bindMemory(to: CChar.self, capacity: textBytes)
        var offset = 0
        var line = 0
        // Each line's node points at its start, so a NUL inside a value (which no valid header
        // has) only cuts that line short, as curl_slist_append did.
        func startLine() {
            (nodes + line).initialize(to: curl_slist(data: text + offset, next: line + 1 < lines ? nodes + line + 1 : nil))
            line += 1
        }
        func put(_ string: String) {
            // One copy of the string's contiguous UTF-8 (always there for native strings).
            let copied: Void? = string.utf8.withContiguousStorageIfAvailable { bytes in
                guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
                UnsafeMutableRawPointer(text + offset).copyMemory(from: base, byteCount: bytes.count)
                offset += bytes.count
            }
            if copied == nil {
                for byte in string.utf8 {
                    text[offset] = CChar(bitPattern: byte)
                    offset += 1
                }
            }
        }
        func put(_ byte: UInt8) {
            text[offset] = CChar(bitPattern: byte)
            offset += 1
        }
        for field in headers {
            startLine()
            put(field.name)
            if field.value.isEmpty {
                put(UInt8(ascii: ";"))  // curl's syntax for a header with an empty value
            } else {
                put(UInt8(ascii: ":"))
                put(UInt8(ascii: " "))
                put(field.value)
            }
            put(0)
        }
        // Suppress headers curl would add on its own and that nobody signed or asked for.
        for literal in addContentType ? Self.suppressedWithContentType : Self.suppressed {
            startLine()
            put(literal)
            put(0)
        }
        if !hasUserAgent {
            startLine()
            put("User-Agent: ")
            put(userAgent)
            put(0)
        }
        precondition(offset == textBytes && line == lines, "header list size miscounted")
        first = nodes
    }

    func deallocate() { memory.deallocate() }

    private static let suppressed = ["Expect:", "Accept:"]
    private static let suppressedWithContentType = ["Expect:", "Accept:", "Content-Type:"]
}

/// The task waiting for one request's answer, resumed exactly once: by the answer, an error or
/// the cancellation, whichever the I/O thread sees first. Unsafe, not checked: the checked
/// continuation allocated a canary object per request.
struct PendingAnswer {
    private var continuation: UnsafeContinuation<HTTPResponse, Error>?
    private var completed = false

    mutating func wait(_ continuation: UnsafeContinuation<HTTPResponse, Error>) { self.continuation = continuation }

    mutating func complete(_ result: Result<HTTPResponse, Error>) {
        guard !completed else { return }
        completed = true
        let c = continuation
        continuation = nil
        c?.resume(with: result)
    }
}
