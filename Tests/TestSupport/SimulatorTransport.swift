import AWSClient
import AWSSimulator
import Foundation

/// Our real clients against the simulator without a socket: every request goes through the same
/// `Simulator.handle` pipeline the HTTP server uses (signature verification included), so tests
/// with a `VirtualClock` cover an hour of forced wait in milliseconds. Network faults become the
/// transport errors curl would report.
public struct SimulatorTransport: HTTPTransport {
    public let simulator: Simulator
    /// The executor the transport offers to tasks that mostly send requests, as `CurlTransport`
    /// offers its I/O thread; nil for none.
    public let taskExecutor: (any TaskExecutor)?

    public init(_ simulator: Simulator, taskExecutor: (any TaskExecutor)? = nil) {
        self.simulator = simulator
        self.taskExecutor = taskExecutor
    }

    public func send(_ request: HTTPRequest, timeout: TransportTimeouts) async throws -> HTTPResponse {
        guard let components = URLComponents(string: request.url) else {
            throw TransportError(kind: .badURL, message: "not a URL", url: request.url)
        }
        let path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        let sim = SimRequest(
            method: request.method, path: path, rawQuery: components.percentEncodedQuery ?? "",
            headers: request.headers.fields, body: request.body)
        let response = simulator.handle(sim)
        if let delay = response.delay {
            if delay > timeout.total {
                try await Task.sleep(for: timeout.total)
                throw TransportError(kind: .timedOut, message: "simulated latency \(delay) exceeds the timeout", url: request.url)
            }
            try await Task.sleep(for: delay)
        }
        switch response.network {
        case .resetAfter(let bytes)?:
            throw TransportError(
                kind: .partialResponse, message: "connection reset after \(bytes) body bytes (simulated)", url: request.url)
        case .dropConnection?:
            throw TransportError(kind: .connectionReset, message: "connection closed without a response (simulated)", url: request.url)
        case nil:
            break
        }
        return HTTPResponse(
            status: response.status, headers: HTTPHeaders(response.headers),
            body: request.method == "HEAD" ? Data() : response.body)
    }
}
