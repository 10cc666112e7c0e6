import Foundation
import Synchronization
import TestSupport
import Testing

@testable import AWSClient

/// The transport's direct HTTP/1.1 lane (`HTTPRequest.bulk`), over real loopback sockets: what it
/// sends, every framing of an answer it must read, keep-alive and its one resend, and each failure
/// classified as curl's are. The TLS cases are in TLSVerificationTests.
@Suite("direct HTTP/1.1 lane over real loopback sockets")
struct DirectLaneTests {
    let transport = CurlTransport(proxy: ProxySettings())

    func bulk(_ method: String, _ url: String, headers: HTTPHeaders = [:], body: Data = Data()) -> HTTPRequest {
        HTTPRequest(method: method, url: url, headers: headers, body: body, bulk: true)
    }

    @Test func sendsMethodTargetHeadersAndBodyExactlyAsGivenOnTheLane() async throws {
        let server = try LoopbackHTTPServer { _ in .text(200, "ok", headers: [("x-amz-request-id", "REQ1")]) }
        let body = Data([0, 1, 2, 0, 255, 10, 13])
        let response = try await transport.send(
            bulk("PUT", server.baseURL + "/a/b%20c?x=1", headers: ["X-Custom": "v", "Host": "127.0.0.1:\(server.port)"], body: body),
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
        #expect(seen.header("User-Agent") == "cutover/0.1")
        #expect(seen.header("Expect") == nil)
        #expect(seen.header("Accept") == nil)
        #expect(seen.header("Content-Type") == nil)
        // It went on the lane, not through curl.
        #expect(transport.directCounters.opened == 1)
    }

    @Test func aPutWithoutBodySendsZeroContentLength() async throws {
        let server = try LoopbackHTTPServer { _ in .text(200, "") }
        _ = try await transport.send(bulk("PUT", server.baseURL + "/bucket/key"), timeout: .default)
        #expect(server.requests.first?.header("Content-Length") == "0")
        #expect(server.requests.first?.target == "/bucket/key")
    }

    @Test func anEmptyPathIsSentAsSlash() async throws {
        let server = try LoopbackHTTPServer { _ in .text(200, "") }
        _ = try await transport.send(bulk("GET", server.baseURL + "?list-type=2"), timeout: .default)
        #expect(server.requests.first?.target == "/?list-type=2")
    }

    @Test func headReadsNoBodyWhateverContentLengthSays() async throws {
        let server = try LoopbackHTTPServer { _ in
            .respond(status: 200, headers: [("x-amz-bucket-region", "eu-west-1")], body: Data(count: 10))
        }
        for _ in 0..<2 {
            let response = try await transport.send(bulk("HEAD", server.baseURL + "/b"), timeout: .default)
            #expect(response.status == 200)
            #expect(response.headers["x-amz-bucket-region"] == "eu-west-1")
            #expect(response.body.isEmpty)
        }
        // The connection stayed in step: the second HEAD reused it.
        #expect(Set(server.requests.map(\.connection)).count == 1)
    }

    @Test func reusesOneKeepAliveConnectionForSequentialRequests() async throws {
        let server = try LoopbackHTTPServer { _ in .text(200, "x") }
        for _ in 0..<5 { _ = try await transport.send(bulk("GET", server.baseURL + "/"), timeout: .default) }
        #expect(server.requests.count == 5)
        #expect(Set(server.requests.map(\.connection)).count == 1)
        let counters = transport.directCounters
        #expect(counters.opened == 1)
        #expect(counters.reused == 4)
        #expect(counters.idle == 1)
    }

    @Test func keepsManyRequestsInFlightAtOnce() async throws {
        let server = try LoopbackHTTPServer { request in .delayed(.milliseconds(100), .text(200, request.target)) }
        let count = 100
        let answers = try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for i in 0..<count {
                group.addTask {
                    let response = try await transport.send(bulk("GET", server.baseURL + "/\(i)"), timeout: .default)
                    return (i, String(decoding: response.body, as: UTF8.self))
                }
            }
            return try await group.reduce(into: [(Int, String)]()) { $0.append($1) }
        }
        #expect(answers.count == count)
        // Each answer is its own request's: no crossed connections.
        for (i, body) in answers { #expect(body == "/\(i)") }
    }

    @Test func aChunkedBodyIsDecodedWithExtensionsAndTrailersAcrossWrites() async throws {
        let wire = Data(
            ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nx-amz-request-id: C1\r\n\r\n"
                + "5;ext=1\r\nhello\r\n1\r\n \r\nA\r\n0123456789\r\n0\r\nx-trailer: t\r\n\r\n").utf8)
        let server = try LoopbackHTTPServer { _ in .raw(wire, pieces: 7) }
        for _ in 0..<2 {
            let response = try await transport.send(bulk("GET", server.baseURL + "/chunked"), timeout: .default)
            #expect(response.status == 200)
            #expect(String(decoding: response.body, as: UTF8.self) == "hello 0123456789")
            #expect(response.headers["x-amz-request-id"] == "C1")
        }
        #expect(Set(server.requests.map(\.connection)).count == 1)
    }

    @Test func aBodyEndedByTheConnectionsCloseIsComplete() async throws {
        let wire = Data("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nall of it".utf8)
        let server = try LoopbackHTTPServer { _ in .raw(wire, pieces: 2, close: true) }
        let response = try await transport.send(bulk("GET", server.baseURL + "/"), timeout: .default)
        #expect(String(decoding: response.body, as: UTF8.self) == "all of it")
        // Not kept: the next request opens a new connection.
        _ = try await transport.send(bulk("GET", server.baseURL + "/"), timeout: .default)
        #expect(transport.directCounters.opened == 2)
        #expect(transport.directCounters.resent == 0)
    }

    @Test func anInterimHundredContinueIsSkipped() async throws {
        let wire = Data("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 4\r\nx-a: 1\r\n\r\nnope".utf8)
        let server = try LoopbackHTTPServer { _ in .raw(wire) }
        let response = try await transport.send(bulk("PUT", server.baseURL + "/k", body: Data("x".utf8)), timeout: .default)
        #expect(response.status == 404)
        #expect(response.headers["x-a"] == "1")
        #expect(String(decoding: response.body, as: UTF8.self) == "nope")
    }

    @Test func aLargeBodyArrivesWhole() async throws {
        let big = Data((0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let server = try LoopbackHTTPServer { _ in .respond(status: 200, body: big) }
        let response = try await transport.send(bulk("GET", server.baseURL + "/big"), timeout: .default)
        #expect(response.body == big)
    }

    @Test func aReusedConnectionTheServerClosedIsResentOnceOnANewOne() async throws {
        let seen = Mutex(0)
        let server = try LoopbackHTTPServer { _ in
            let n = seen.withLock { n -> Int in
                n += 1
                return n
            }
            // The second request arrives on the kept-alive connection, which the server then
            // closes unanswered: what a server that timed out an idle connection looks like.
            return n == 2 ? .close : .text(200, "answer \(n)")
        }
        _ = try await transport.send(bulk("GET", server.baseURL + "/1"), timeout: .default)
        let second = try await transport.send(bulk("GET", server.baseURL + "/2"), timeout: .default)
        #expect(String(decoding: second.body, as: UTF8.self) == "answer 3")
        #expect(server.requests.count == 3)
        #expect(transport.directCounters.resent == 1)
        #expect(transport.directCounters.opened == 2)
    }

    @Test func aNewConnectionClosedUnansweredIsAConnectionResetNotResent() async throws {
        let server = try LoopbackHTTPServer { _ in .close }
        let error = try await #require(throws: TransportError.self) {
            _ = try await transport.send(bulk("GET", server.baseURL + "/"), timeout: .default)
        }
        #expect(error.kind == .connectionReset)
        #expect(server.requests.count == 1)
        #expect(transport.directCounters.resent == 0)
    }

    @Test func aBodyCutShortIsAPartialResponse() async throws {
        let server = try LoopbackHTTPServer { _ in .truncate(status: 200, body: Data("12345".utf8), declaredLength: 100) }
        let error = try await #require(throws: TransportError.self) {
            _ = try await transport.send(bulk("GET", server.baseURL + "/"), timeout: .default)
        }
        #expect(error.kind == .partialResponse)
        #expect(error.message.contains("5 body bytes"))
    }

    @Test func anAnswerSlowerThanTheTotalTimeoutTimesOut() async throws {
        let server = try LoopbackHTTPServer { _ in .delayed(.seconds(3), .text(200, "late")) }
        let error = try await #require(throws: TransportError.self) {
            _ = try await transport.send(
                bulk("GET", server.baseURL + "/"), timeout: TransportTimeouts(connect: .seconds(5), total: .milliseconds(300)))
        }
        #expect(error.kind == .timedOut)
        #expect(error.message.contains("within 300 ms"))
    }

    @Test func aHostNameIsLookedUpAndEachAddressTriedInTurn() async throws {
        // localhost may answer ::1 first; the server listens on 127.0.0.1 only, so a refused
        // address must fall through to the next.
        let server = try LoopbackHTTPServer { _ in .text(200, "by name") }
        let response = try await transport.send(bulk("GET", "http://localhost:\(server.port)/"), timeout: .default)
        #expect(String(decoding: response.body, as: UTF8.self) == "by name")
    }

    @Test func anUnknownHostCouldNotConnectAndSaysSo() async throws {
        let error = try await #require(throws: TransportError.self) {
            _ = try await transport.send(bulk("GET", "http://no-such-host.invalid/"), timeout: .default)
        }
        #expect(error.kind == .couldNotConnect)
        #expect(error.message.contains("could not resolve no-such-host.invalid"))
    }

    @Test func aRefusedPortCouldNotConnect() async throws {
        let port = try RefusingPort()
        let error = try await #require(throws: TransportError.self) {
            _ = try await transport.send(bulk("GET", "http://127.0.0.1:\(port.port)/"), timeout: .default)
        }
        #expect(error.kind == .couldNotConnect)
        #expect(error.message.contains("port \(port.port)"))
    }

    @Test func aMalformedStatusLineIsAnErrorThatNamesIt() async throws {
        let server = try LoopbackHTTPServer { _ in .raw(Data("HTTX/1.1 200 OK\r\n\r\n".utf8)) }
        let error = try await #require(throws: TransportError.self) {
            _ = try await transport.send(bulk("GET", server.baseURL + "/"), timeout: .default)
        }
        #expect(error.kind == .other)
        #expect(error.message.contains("malformed status line"))
    }

    @Test func malformedChunkFramingIsAnError() async throws {
        let wire = Data("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nhello\r\n0\r\n\r\n".utf8)
        let server = try LoopbackHTTPServer { _ in .raw(wire) }
        let error = try await #require(throws: TransportError.self) {
            _ = try await transport.send(bulk("GET", server.baseURL + "/"), timeout: .default)
        }
        #expect(error.message.contains("chunked"))
    }

    @Test func cancellingARequestInFlightEndsItAtOnce() async throws {
        let server = try LoopbackHTTPServer { _ in .delayed(.seconds(5), .text(200, "late")) }
        let task = Task { try await transport.send(bulk("GET", server.baseURL + "/"), timeout: .default) }
        while server.requests.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        task.cancel()
        await #expect(throws: CancellationError.self) { _ = try await task.value }
        #expect(transport.inFlight == 0)
    }

    @Test func withTheLaneOffBulkRequestsGoThroughCurl() async throws {
        let curlOnly = CurlTransport(proxy: ProxySettings(), directLane: false)
        let server = try LoopbackHTTPServer { _ in .text(200, "ok") }
        let response = try await curlOnly.send(bulk("GET", server.baseURL + "/"), timeout: .default)
        #expect(response.status == 200)
        #expect(curlOnly.directCounters.opened == 0)
    }

    @Test func requestsTheLaneCannotCarryExactlyAsCurlWouldStayOnCurl() {
        let proxy = ProxySettings(httpsProxy: "http://proxy.internal:3128", httpProxy: "http://proxy.internal:3128")
        #expect(DirectExchange.target(of: bulk("GET", "https://s3.amazonaws.com/b/k"), proxy: proxy) == nil)
        var fresh = bulk("DELETE", "http://127.0.0.1:1/b")
        fresh.freshConnection = true
        #expect(DirectExchange.target(of: fresh, proxy: ProxySettings()) == nil)
        #expect(DirectExchange.target(of: HTTPRequest(method: "GET", url: "http://127.0.0.1:1/"), proxy: ProxySettings()) == nil)
        #expect(DirectExchange.target(of: bulk("GET", "http://user@127.0.0.1:1/"), proxy: ProxySettings()) == nil)
        let v6 = DirectExchange.target(of: bulk("GET", "https://[::1]:8443/b?x=1"), proxy: ProxySettings())
        #expect(v6 == DirectExchange.Target(tls: true, host: "::1", port: 8443, target: "/b?x=1"))
        let plain = DirectExchange.target(of: bulk("GET", "https://bucket.s3.eu-west-1.amazonaws.com/k%20y"), proxy: ProxySettings())
        #expect(plain == DirectExchange.Target(tls: true, host: "bucket.s3.eu-west-1.amazonaws.com", port: 443, target: "/k%20y"))
    }

    @Test func theLaneAndCurlSendTheSameRequest() async throws {
        let server = try LoopbackHTTPServer { _ in .text(200, "ok") }
        let curlOnly = CurlTransport(proxy: ProxySettings(), directLane: false)
        let headers: HTTPHeaders = [
            "Host": "127.0.0.1:\(server.port)", "x-amz-date": "20261208T010000Z", "Authorization": "AWS4-HMAC-SHA256 x",
        ]
        _ = try await curlOnly.send(bulk("PUT", server.baseURL + "/b/k", headers: headers), timeout: .default)
        _ = try await transport.send(bulk("PUT", server.baseURL + "/b/k", headers: headers), timeout: .default)
        let requests = server.requests
        try #require(requests.count == 2)
        func normalized(_ r: LoopbackHTTPServer.Request) -> [String] {
            r.headers.map { "\($0.0.lowercased()): \($0.1)" }.sorted()
        }
        #expect(normalized(requests[0]) == normalized(requests[1]))
        #expect(requests[0].target == requests[1].target)
        #expect(requests[0].method == requests[1].method)
    }
}
