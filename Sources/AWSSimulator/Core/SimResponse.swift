import Foundation

/// What the simulator answers. `network` lets fault injection misbehave below HTTP.
public struct SimResponse: Sendable {
    /// Misbehaviour of the connection itself, carried out by the HTTP server.
    public enum NetworkFault: Sendable, Equatable {
        /// Send the status line, headers and this many body bytes, then reset the connection.
        case resetAfter(bodyBytes: Int)
        /// Close the connection without answering.
        case dropConnection
    }

    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: Data
    /// Wait this long (in real time) before answering: injected latency.
    public var delay: Duration?
    public var network: NetworkFault?

    public init(
        status: Int, headers: [(name: String, value: String)] = [], body: Data = Data(), delay: Duration? = nil,
        network: NetworkFault? = nil
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.delay = delay
        self.network = network
    }

    public static func xml(_ status: Int = 200, _ document: String, requestId: String) -> SimResponse {
        SimResponse(
            status: status, headers: [("Content-Type", "application/xml"), ("x-amz-request-id", requestId)], body: Data(document.utf8))
    }

    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }
}
