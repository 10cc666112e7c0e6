import AWSServices
import Foundation
import Synchronization
import TestSupport

/// A loopback AWS endpoint with canned answers, and a client pointed at it (retries off), for the
/// RDS, STS and KMS unit tests: requests go through the real signer and transport, and what
/// arrived can be inspected. (Shared by the RDS, STS and KMS suites; its home would be TestSupport.)
final class StubbedAWS: Sendable {
    let server: LoopbackHTTPServer
    let client: AWSClient

    init(_ service: AWSService, handler: @escaping LoopbackHTTPServer.Handler) throws {
        let server = try LoopbackHTTPServer(handler: handler)
        Self.keepAlive.withLock { $0.append(server) }
        self.server = server
        client = AWSClient(
            service: service, region: "us-east-1",
            credentials: StaticCredentialProvider(AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret")),
            // Its own transport: a connection the shared one cached to a stopped stub could be
            // reused for a new stub that got the same ephemeral port, and be reset.
            transport: CurlTransport(),
            endpoints: EndpointResolver(overrideURL: server.baseURL), retry: .disabled, account: "111111111111")
    }

    /// Answers every request with `body` (XML for Query services, JSON for KMS).
    convenience init(_ service: AWSService, status: Int = 200, body: String) throws {
        let contentType = service == .kms ? "application/x-amz-json-1.1" : "text/xml"
        let headers =
            service == .kms ? [("Content-Type", contentType), ("x-amzn-RequestId", "kms-req-1")] : [("Content-Type", contentType)]
        try self.init(service) { _ in .text(status, body, headers: headers) }
    }

    /// Stubs are never stopped: `LoopbackHTTPServer.stop()` shuts down the fds of connections it
    /// has seen, and one its serve thread already closed may by then be another test's socket
    /// (fd numbers are reused at once), which that test sees as a connection reset. Keeping the
    /// servers costs a listening socket each; their connections end when the stub's own transport
    /// goes away.
    private static let keepAlive = Mutex<[LoopbackHTTPServer]>([])

    var requests: [LoopbackHTTPServer.Request] { server.requests }

    /// The form fields of the `index`th Query request (last by default).
    func form(_ index: Int = -1) -> [String: String] {
        let all = requests
        let request = index < 0 ? all[all.count + index] : all[index]
        return Self.decodeForm(request.body)
    }

    /// The JSON object of the last request (KMS).
    func json() throws -> [String: Any] {
        let body = requests.last?.body ?? Data()
        return try JSONSerialization.jsonObject(with: body) as? [String: Any] ?? [:]
    }

    static func decodeForm(_ body: Data) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in String(decoding: body, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let name = parts[0].removingPercentEncoding ?? parts[0]
            fields[name] = parts.count > 1 ? (parts[1].removingPercentEncoding ?? parts[1]) : ""
        }
        return fields
    }

    /// A Query-protocol error document as RDS and STS send it.
    static func queryError(_ code: String, _ message: String, requestId: String) -> String {
        """
        <ErrorResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><Error><Type>Sender</Type>\
        <Code>\(code)</Code><Message>\(message)</Message></Error><RequestId>\(requestId)</RequestId></ErrorResponse>
        """
    }
}
