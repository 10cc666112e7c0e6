import Foundation

/// One answered request, for the server's access log.
public struct SimServerAccessLogEntry: Sendable {
    public var method: String
    /// Path and query as received.
    public var target: String
    public var status: Int
    /// The AWS request ID answered (`x-amz-request-id` / `x-amzn-RequestId`), if any.
    public var requestId: String?
    /// Body bytes in the request and in the response as generated (before any injected reset).
    public var requestBytes: Int
    public var responseBytes: Int
    /// From the end of the request to the response being handed to the socket, injected delay included.
    public var duration: Duration
    /// `resetAfter(N)` or `dropConnection` when a fault broke the connection.
    public var networkFault: SimResponse.NetworkFault?

    /// `GET /bucket/key 200 1.2ms 0→512B id=…`
    public var line: String {
        let ms = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        var text = "\(method) \(target) \(status) \(String(format: "%.1f", ms))ms \(requestBytes)→\(responseBytes)B"
        if let requestId { text += " id=\(requestId)" }
        switch networkFault {
        case .resetAfter(let n)?: text += " fault=reset-after-\(n)B"
        case .dropConnection?: text += " fault=drop"
        case nil: break
        }
        return text
    }
}
