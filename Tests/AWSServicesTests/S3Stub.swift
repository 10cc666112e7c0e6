import AWSServices
import Foundation
import Synchronization

/// An in-process S3 with canned answers, and an `S3Client` over it (retries off): requests go
/// through the real client and signer, only the socket is left out, so these tests cannot be
/// disturbed by other suites' servers.
final class S3Stub: Sendable {
    /// A request as it would have gone on the wire.
    struct Request: Sendable {
        var method: String
        var url: String
        var headers: HTTPHeaders
        var body: Data

        /// The path, still encoded (`/bucket/key` — custom endpoints are path-style).
        var path: String {
            let afterHost = url.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
            let full = afterHost.count > 3 ? "/" + afterHost[3] : "/"
            return String(full.split(separator: "?", maxSplits: 1).first ?? "")
        }
        /// The query string, still encoded.
        var query: String? {
            let parts = url.split(separator: "?", maxSplits: 1)
            return parts.count == 2 ? String(parts[1]) : nil
        }
        func header(_ name: String) -> String? { headers[name] }
    }

    /// A canned answer.
    struct Reply: Sendable {
        var status: Int
        var headers: [(String, String)]
        var body: Data

        static func text(_ status: Int, _ body: String, headers: [(String, String)] = []) -> Reply {
            Reply(status: status, headers: headers, body: Data(body.utf8))
        }
        /// `Content-Length` is derived from the body, as a server would send it.
        static func respond(status: Int, headers: [(String, String)] = [], body: Data = Data()) -> Reply {
            Reply(status: status, headers: headers, body: body)
        }
    }

    private final class Transport: HTTPTransport {
        let recorded = Mutex<[Request]>([])
        let handler: @Sendable (Request) -> Reply

        init(handler: @escaping @Sendable (Request) -> Reply) { self.handler = handler }

        func send(_ request: HTTPRequest, timeout: TransportTimeouts) async throws -> HTTPResponse {
            let recordedRequest = Request(method: request.method, url: request.url, headers: request.headers, body: request.body)
            recorded.withLock { $0.append(recordedRequest) }
            let reply = handler(recordedRequest)
            var headers = HTTPHeaders(reply.headers.map { (name: $0.0, value: $0.1) })
            headers.set("Content-Length", String(reply.body.count))
            if !headers.contains("x-amz-request-id") { headers.set("x-amz-request-id", "REQ123") }
            return HTTPResponse(status: reply.status, headers: headers, body: request.method == "HEAD" ? Data() : reply.body)
        }
    }

    private let transport: Transport
    let s3: S3Client

    init(expectedBucketOwner: String? = nil, handler: @escaping @Sendable (Request) -> Reply) {
        transport = Transport(handler: handler)
        let client = AWSClient(
            service: .s3, region: "us-east-1",
            credentials: StaticCredentialProvider(AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret")),
            transport: transport, endpoints: EndpointResolver(overrideURL: "http://s3.stub.invalid"), retry: .disabled,
            account: "111111111111")
        s3 = S3Client(client: client, expectedBucketOwner: expectedBucketOwner)
    }

    /// Answers every request with `status` and `body` (XML).
    convenience init(status: Int = 200, body: String) {
        self.init { _ in .text(status, body, headers: [("Content-Type", "application/xml")]) }
    }

    var requests: [Request] { transport.recorded.withLock { $0 } }
    var last: Request? { requests.last }

    static func s3Error(_ code: String, _ message: String = "") -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>\(code)</Code><Message>\(message)</Message><RequestId>R1</RequestId></Error>"
    }
}
