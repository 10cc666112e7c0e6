import AWSClient
import Foundation
import Synchronization

/// Forwards every request unchanged and counts them by AWS operation — the Query `Action=` of
/// the body or the JSON `X-Amz-Target` — so a test can assert that a mutation went out exactly
/// once across crashes and retries.
final class OperationCounter: HTTPTransport {
    private let wrapped: any HTTPTransport
    private let seen = Mutex<[String: Int]>([:])

    init(_ wrapped: any HTTPTransport) { self.wrapped = wrapped }

    func send(_ request: HTTPRequest, timeout: TransportTimeouts) async throws -> HTTPResponse {
        if let operation = Self.operation(of: request) { seen.withLock { $0[operation, default: 0] += 1 } }
        return try await wrapped.send(request, timeout: timeout)
    }

    /// How many requests of `operation` went out (resends by the client included).
    func count(_ operation: String) -> Int { seen.withLock { $0[operation] ?? 0 } }

    static func operation(of request: HTTPRequest) -> String? {
        if let target = request.headers["X-Amz-Target"], let dot = target.lastIndex(of: ".") {
            return String(target[target.index(after: dot)...])
        }
        let body = String(decoding: request.body, as: UTF8.self)
        guard let pair = body.split(separator: "&").first(where: { $0.hasPrefix("Action=") }) else { return nil }
        return String(pair.dropFirst("Action=".count))
    }
}
