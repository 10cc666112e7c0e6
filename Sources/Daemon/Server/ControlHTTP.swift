import Foundation

/// One control-API request as the server parsed it. The body is complete (the server caps it).
public struct ControlRequest: Sendable {
    public var method: String
    /// The path without the query string, percent-decoded: `/v1/runs/r-1/approvals`.
    public var path: String
    public var query: [String: String]
    /// Header names lower-cased.
    public var headers: [String: String]
    public var body: Data

    public init(method: String, path: String, query: [String: String] = [:], headers: [String: String] = [:], body: Data = Data()) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }
}

/// The peer of a unix-socket connection as the kernel reports it (SO_PEERCRED): never taken
/// from the request.
public struct PeerCredentials: Sendable, Hashable {
    public var pid: Int32
    public var uid: UInt32
    public var gid: UInt32

    public init(pid: Int32, uid: UInt32, gid: UInt32) {
        self.pid = pid
        self.uid = uid
        self.gid = gid
    }
}

/// What a handler answers.
public enum ControlResponse: Sendable {
    /// A complete answer with `Content-Length`.
    case full(status: Int, contentType: String, body: Data)
    /// A chunked answer (`Transfer-Encoding: chunked`), one chunk per element, ended when the
    /// sequence finishes. When the client goes away the server stops iterating (the stream's
    /// `onTermination` runs), so a `status --watch` that exits releases its subscription.
    case stream(status: Int, contentType: String, chunks: AsyncStream<Data>)

    public static func json(_ status: Int, _ body: Data) -> ControlResponse {
        .full(status: status, contentType: "application/json", body: body)
    }
}

/// The daemon's routes behind the server.
public protocol ControlHandler: Sendable {
    func handle(_ request: ControlRequest, peer: PeerCredentials) async -> ControlResponse
}
