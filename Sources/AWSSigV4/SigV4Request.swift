import Foundation

/// The parts of an HTTP request that SigV4 covers, as the transport will send them.
///
/// The path is taken as it appears on the wire, while query pairs are decoded: the signer owns
/// query encoding so that the canonical query string and the sent one are encoded by the same
/// function (`SigV4URIEncoding`), and callers should build their URL with it too.
public struct SigV4Request: Sendable {
    /// HTTP method, upper-case (`GET`, `PUT`, …).
    public var method: String
    /// The path as sent on the wire, already percent-encoded, e.g. `/bucket/my%20key`.
    public var path: String
    /// Decoded query pairs in any order; repeated and empty names and values are allowed.
    public var query: [(name: String, value: String)]
    /// Headers as they will be sent, in order, duplicates allowed. Must include `Host`.
    public var headers: [(name: String, value: String)]
    /// The body, its hash, or `UNSIGNED-PAYLOAD`.
    public var payload: SigV4Payload

    public init(
        method: String, path: String, query: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)], payload: SigV4Payload = .bytes(Data())
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.payload = payload
    }
}
