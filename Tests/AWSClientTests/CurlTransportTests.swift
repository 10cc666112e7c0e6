import AWSClient
import Foundation
import Synchronization
import TestSupport
import Testing

@Suite("libcurl transport over real loopback sockets")
struct CurlTransportTests {
    let transport = CurlTransport(proxy: ProxySettings())

    @Test func sendsMethodHeadersAndBinaryBodyExactlyAsGiven() async throws {
        let server = try LoopbackHTTPServer { _ in .text(200, "ok", headers: [("x-amz-request-id", "REQ1")]) }
        let body = Data([0, 1, 2, 0, 255, 10, 13])
        let response = try await transport.send(
            HTTPRequest(
                method: "PUT", url: server.baseURL + "/a/b%20c?x=1",
                headers: ["X-Custom": "v", "Content-Type": "application/octet-stream"], body: body),
            timeout: .default)
        #expect(response.status == 200)
        #expect(response.headers["X-Amz-Request-Id"] == "REQ1")
        #expect(String(decoding: response.body, as: UTF8.self) == "ok")
        let seen = try #require(server.requests.first)
        #expect(seen.method == "PUT")
        #expect(seen.target == "/a/b%20c?x=1")
        #expect(seen.body == body)
        #expect(seen.header("X-Custom") == "v")
        #expect(seen.header("Content-Length") == "7")
        // Nothing unsigned that nobody asked for.
        #expect(seen.header("Expect") == nil)
        #expect(seen.header("Accept") == nil)
    }

    @Test func putWithoutBodySendsZeroContentLengthAndNoDefaultContentType() async throws {
        let server = try LoopbackHTTPServer { _ in .text(200, "") }
        _ = try await transport.send(HTTPRequest(method: "PUT", url: server.baseURL + "/bucket"), timeout: .default)
        let seen = try #require(server.requests.first)
        #expect(seen.header("Content-Length") == "0")
        #expect(seen.header("Content-Type") == nil)
    }

    @Test func headReturnsHeadersWithoutWaitingForABody() async throws {
        let server = try LoopbackHTTPServer { _ in
            .respond(status: 200, headers: [("x-amz-bucket-region", "eu-west-1")], body: Data(count: 10))
        }
        let response = try await transport.send(HTTPRequest(method: "HEAD", url: server.baseURL + "/b"), timeout: .default)
        #expect(response.status == 200)
        #expect(response.headers["x-amz-bucket-region"] == "eu-west-1")
        #expect(response.body.isEmpty)
    }

    @Test func reusesOneKeepAliveConnectionForSequentialRequests() async throws {
        let server = try LoopbackHTTPServer { _ in .text(200, "x") }
        for _ in 0..<5 {
            _ = try await transport.send(HTTPRequest(method: "GET", url: server.baseURL + "/"), timeout: .default)
        }
        let connections = Set(server.requests.map(\.connection))
        #expect(server.requests.count == 5)
        #expect(connections.count == 1)
    }

    @Test func keepsManyRequestsInFlightAtOnceWithoutAThreadEach() async throws {
        let inHandler = Mutex((now: 0, peak: 0))
        let server = try LoopbackHTTPServer { _ in
            inHandler.withLock {
                $0.now += 1
                $0.peak = max($0.peak, $0.now)
            }
            usleep(200_000)
            inHandler.withLock { $0.now -= 1 }
            return .text(200, "done")
        }
        let count = 200
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<count {
                group.addTask {
                    try await transport.send(HTTPRequest(method: "GET", url: server.baseURL + "/\(i)"), timeout: .default).status
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses.count == count)
        #expect(statuses.allSatisfy { $0 == 200 })
        // The server saw the requests overlap: they were in flight together, not one after another.
        #expect(inHandler.withLock { $0.peak } >= 50)
        #expect(transport.inFlight == 0)
    }

    @Test func totalTimeoutEndsASlowResponseAsTimedOut() async throws {
        let server = try LoopbackHTTPServer { _ in .delayed(.seconds(3), .text(200, "late")) }
        let error = await #expect(throws: TransportError.self) {
            try await transport.send(
                HTTPRequest(method: "GET", url: server.baseURL + "/"),
                timeout: TransportTimeouts(connect: .seconds(1), total: .milliseconds(300)))
        }
        #expect(error?.kind == .timedOut)
        server.stop()
    }

    @Test func connectionClosedMidBodyIsAPartialResponseNotASuccess() async throws {
        let server = try LoopbackHTTPServer { _ in .truncate(status: 200, body: Data("<ListBucketResult><Con".utf8), declaredLength: 500) }
        let error = await #expect(throws: TransportError.self) {
            try await transport.send(HTTPRequest(method: "GET", url: server.baseURL + "/"), timeout: .default)
        }
        #expect(error?.kind == .partialResponse)
    }

    @Test func closedConnectionWithoutAnswerIsAConnectionReset() async throws {
        let server = try LoopbackHTTPServer { _ in .close }
        let error = await #expect(throws: TransportError.self) {
            try await transport.send(HTTPRequest(method: "GET", url: server.baseURL + "/"), timeout: .default)
        }
        #expect(error?.kind == .connectionReset)
    }

    @Test func refusedConnectionIsCouldNotConnect() async throws {
        let refusing = try RefusingPort()
        let error = await #expect(throws: TransportError.self) {
            try await transport.send(HTTPRequest(method: "GET", url: refusing.baseURL + "/"), timeout: .default)
        }
        #expect(error?.kind == .couldNotConnect)
    }

    @Test func cancellingTheTaskAbortsTheTransfer() async throws {
        let server = try LoopbackHTTPServer { _ in .delayed(.seconds(5), .text(200, "late")) }
        let task = Task { try await transport.send(HTTPRequest(method: "GET", url: server.baseURL + "/"), timeout: .default) }
        try await Task.sleep(for: .milliseconds(200))
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        server.stop()
    }

    @Test func sendsThroughTheConfiguredProxyAndBypassesItForNoProxyHosts() async throws {
        let proxy = try LoopbackHTTPServer { _ in .text(200, "via proxy") }
        let origin = try LoopbackHTTPServer { _ in .text(200, "direct") }
        let target = "http://127.0.0.1:\(origin.port)/thing"

        let proxied = CurlTransport(proxy: ProxySettings(httpProxy: proxy.baseURL))
        let viaProxy = try await proxied.send(HTTPRequest(method: "GET", url: target), timeout: .default)
        #expect(String(decoding: viaProxy.body, as: UTF8.self) == "via proxy")
        #expect(proxy.requests.first?.target == target)  // absolute-form request line: a real proxy request

        let bypass = CurlTransport(proxy: ProxySettings(httpProxy: proxy.baseURL, noProxy: "127.0.0.1"))
        let direct = try await bypass.send(HTTPRequest(method: "GET", url: target), timeout: .default)
        #expect(String(decoding: direct.body, as: UTF8.self) == "direct")
        #expect(proxy.requests.count == 1)
    }

    @Test func proxySettingsFollowCurlsEnvironmentNames() {
        let settings = ProxySettings.fromEnvironment([
            "HTTPS_PROXY": "http://p:3128", "http_proxy": "http://q:3128", "NO_PROXY": "169.254.169.254,localhost",
            "AWS_CA_BUNDLE": "/etc/ssl/private-ca.pem",
        ])
        #expect(settings.httpsProxy == "http://p:3128")
        #expect(settings.httpProxy == "http://q:3128")
        #expect(settings.noProxy == "169.254.169.254,localhost")
        #expect(settings.caBundle == "/etc/ssl/private-ca.pem")
    }
}

@Suite("connections for irreversible calls")
struct FreshConnectionTests {
    @Test func freshConnectionRequestsNeverReuseAKeptAliveConnection() async throws {
        let server = try LoopbackHTTPServer { _ in .text(200, "x") }
        let transport = CurlTransport(proxy: ProxySettings())
        _ = try await transport.send(HTTPRequest(method: "GET", url: server.baseURL + "/warm"), timeout: .default)
        _ = try await transport.send(
            HTTPRequest(method: "DELETE", url: server.baseURL + "/bucket", freshConnection: true), timeout: .default)
        _ = try await transport.send(HTTPRequest(method: "GET", url: server.baseURL + "/after"), timeout: .default)
        let connections = server.requests.map(\.connection)
        #expect(connections.count == 3)
        #expect(connections[1] != connections[0])  // the DELETE did not ride the warm connection
        #expect(connections[2] != connections[1])  // and its connection was not kept for others
    }

    @Test func irreversibleCallIsNotResentWhenItsAnswerIsLost() async throws {
        // The server performs the call and cuts the answer: only the caller can find out what happened.
        let server = try LoopbackHTTPServer { _ in .truncate(status: 200, body: Data("<Dele".utf8), declaredLength: 200) }
        let client = makeClient(server)
        await #expect(throws: AWSError.self) {
            _ = try await client.send(AWSRequest(operation: "DeleteObjects", method: "POST", bucket: "b", irreversible: true))
        }
        #expect(server.requests.count == 1)
        // A call that may be repeated is retried as before.
        _ = try? await client.send(AWSRequest(operation: "ListObjectsV2", bucket: "b"))
        #expect(server.requests.count == 1 + RetryConfiguration.standard.maxAttempts)
    }

    @Test func irreversibleCallIsRetriedWhenTheServerAnswersWithAnError() async throws {
        let server = try LoopbackHTTPServer { request in
            request.target.contains("delete") ? .text(500, "<Error><Code>InternalError</Code></Error>") : .respond(status: 204)
        }
        let client = makeClient(server)
        await #expect(throws: AWSError.self) {
            _ = try await client.send(
                AWSRequest(operation: "DeleteObjects", method: "POST", bucket: "b", query: [("delete", "")], irreversible: true))
        }
        #expect(server.requests.count == RetryConfiguration.standard.maxAttempts)
    }

    @Test func s3DeleteBucketIsSentAsIrreversible() async throws {
        let server = try LoopbackHTTPServer { _ in .respond(status: 204) }
        let client = makeClient(server, retry: .disabled)
        _ = try await client.send(AWSRequest(operation: "ListObjectsV2", bucket: "b"))
        _ = try await client.send(AWSRequest(operation: "DeleteBucket", method: "DELETE", bucket: "b", irreversible: true))
        let connections = server.requests.map(\.connection)
        #expect(connections[0] != connections[1])
    }
}
