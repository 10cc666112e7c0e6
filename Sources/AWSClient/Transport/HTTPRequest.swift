import Foundation

/// One HTTP request as it goes on the wire: the URL is final (encoded), headers include the
/// signature. The transport sends it exactly as given.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: HTTPHeaders
    public var body: Data
    /// Connect to this unix-domain socket instead of the URL's host (the CLI's control API).
    public var unixSocketPath: String?
    /// Send on a new connection, never a reused one. libcurl silently resends a request once when
    /// a reused keep-alive connection turns out dead; for an irreversible call (DeleteBucket) that
    /// resend must not happen, so such calls never ride a reused connection.
    public var freshConnection: Bool
    /// One of many like it sent back to back (the S3 copy's CopyObject): the transport may carry it
    /// on its direct HTTP/1.1 lane instead of libcurl (`DirectExchange`), which costs a fraction
    /// of the CPU per request. The answer is the same either way.
    public var bulk: Bool

    public init(
        method: String, url: String, headers: HTTPHeaders = [:], body: Data = Data(), unixSocketPath: String? = nil,
        freshConnection: Bool = false, bulk: Bool = false
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.unixSocketPath = unixSocketPath
        self.freshConnection = freshConnection
        self.bulk = bulk
    }
}

/// One HTTP response, read completely.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: Data

    public init(status: Int, headers: HTTPHeaders = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Sends HTTP requests. `CurlTransport` is the real one; tests may use a loopback server instead
/// of a fake, so the transport is rarely replaced.
public protocol HTTPTransport: Sendable {
    /// Sends `request` and returns the complete response. Throws `TransportError` when no complete
    /// response arrived (connect failure, timeout, reset mid-body), `CancellationError` if cancelled.
    func send(_ request: HTTPRequest, timeout: TransportTimeouts) async throws -> HTTPResponse

    /// An executor on which tasks that mostly send requests run with no thread hop per request,
    /// when the transport has one (`CurlTransport`: its I/O thread). Nil: the global executor.
    var taskExecutor: (any TaskExecutor)? { get }
}

extension HTTPTransport {
    public var taskExecutor: (any TaskExecutor)? { nil }
}

/// Connect and total timeouts for one request.
public struct TransportTimeouts: Sendable, Equatable {
    public var connect: Duration
    public var total: Duration
    public init(connect: Duration = .seconds(5), total: Duration = .seconds(60)) {
        self.connect = connect
        self.total = total
    }
    public static let `default` = TransportTimeouts()
}

/// Why a request got no complete response. `isTimeout` and `isConnectionError` drive retries.
public struct TransportError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case couldNotConnect, timedOut, connectionReset, partialResponse, badURL, tooManyRedirects, other
        /// The TLS handshake failed: the server's certificate did not verify against the trusted
        /// CAs or does not name the host. Never retried, never bypassed.
        case certificate
    }
    public var kind: Kind
    public var message: String
    public var url: String

    public init(kind: Kind, message: String, url: String) {
        self.kind = kind
        self.message = message
        self.url = url
    }
    public var isTimeout: Bool { kind == .timedOut }
    public var description: String { "transport error (\(kind.rawValue)) for \(url): \(message)" }
}
