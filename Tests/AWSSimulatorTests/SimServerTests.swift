import AWSClient
import Foundation
import Synchronization
import Testing

@testable import AWSSimulator

/// The HTTP front end over real sockets on 127.0.0.1, driven by Cutover's own `CurlTransport`.
/// Timing checks only have lower bounds (a delay is at least what was asked) or compare two
/// requests' order, so a loaded machine cannot make them fail.
@Suite("simulator HTTP server")
struct SimServerTests {
    let transport = CurlTransport(proxy: ProxySettings())

    /// Runs `body` against a started server whose answers come from `respond`, then stops it.
    @discardableResult
    static func withServer<T>(
        configuration: SimServerConfiguration = SimServerConfiguration(),
        respond: @escaping @Sendable (SimRequest) -> SimResponse,
        _ body: (SimulatorServer, String) async throws -> T
    ) async throws -> T {
        let server = SimulatorServer(simulator: Simulator(clock: VirtualClock()), configuration: configuration, respond: respond)
        try await server.start()
        let endpoint = try #require(server.endpoint)
        do {
            let result = try await body(server, endpoint)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    static func text(_ status: Int, _ body: String) -> SimResponse {
        SimResponse(status: status, headers: [("Content-Type", "text/plain")], body: Data(body.utf8))
    }

    /// The transport's failure kind, or nil when the request succeeded.
    func failure(_ request: HTTPRequest) async -> TransportError.Kind? {
        do {
            _ = try await transport.send(request, timeout: TransportTimeouts(connect: .seconds(10), total: .seconds(60)))
            return nil
        } catch let error as TransportError {
            return error.kind
        } catch {
            Issue.record("unexpected error \(error)")
            return .other
        }
    }

    @Test func keepAliveConnectionsAreReused() async throws {
        try await Self.withServer(respond: { _ in Self.text(200, "ok") }) { server, endpoint in
            for _ in 0..<20 {
                let response = try await transport.send(HTTPRequest(method: "GET", url: endpoint + "/a"), timeout: .default)
                #expect(response.status == 200)
                #expect(response.body == Data("ok".utf8))
            }
            #expect(server.acceptedConnections == 1)
        }
    }

    @Test func answersCarryDateAndContentLengthAndTheRequestArrivesRaw() async throws {
        let seen = Mutex<SimRequest?>(nil)
        try await Self.withServer(respond: { request in
            seen.withLock { $0 = request }
            return SimResponse(status: 200, headers: [("x-amz-request-id", "ABC"), ("Content-Length", "999")], body: Data("hello".utf8))
        }) { _, endpoint in
            let url = endpoint + "/bucket/a%20b%2Fc?list-type=2&prefix=a%2Fb&x"
            let response = try await transport.send(
                HTTPRequest(
                    method: "POST", url: url, headers: HTTPHeaders([("X-First", "1"), ("x-amz-meta-b", "two"), ("X-First", "3")]),
                    body: Data("payload".utf8)),
                timeout: .default)
            #expect(response.status == 200)
            #expect(response.headers["Content-Length"] == "5")  // the real length, whatever the service claimed
            #expect(response.headers["x-amz-request-id"] == "ABC")
            let date = try #require(response.headers["Date"])
            #expect(date.hasSuffix(" GMT") && date.count == 29, "\(date)")

            let request = try #require(seen.withLock { $0 })
            #expect(request.method == "POST")
            #expect(request.path == "/bucket/a%20b%2Fc")
            #expect(request.rawQuery == "list-type=2&prefix=a%2Fb&x")
            #expect(request.body == Data("payload".utf8))
            let custom = request.headers.filter { $0.name.lowercased().hasPrefix("x-") }.map { "\($0.name)=\($0.value)" }
            #expect(custom == ["X-First=1", "x-amz-meta-b=two", "X-First=3"])
        }
    }

    @Test func largeBodiesRoundTrip() async throws {
        let size = 96 << 20
        var bytes = [UInt8](repeating: 0, count: size)
        var random = SimRandom(seed: 7)
        for i in stride(from: 0, to: size, by: 8) {
            withUnsafeBytes(of: random.next()) { word in
                for j in 0..<8 { bytes[i + j] = word[j] }
            }
        }
        let payload = Data(bytes)
        try await Self.withServer(respond: { request in SimResponse(status: 200, body: request.body) }) { _, endpoint in
            let response = try await transport.send(
                HTTPRequest(method: "PUT", url: endpoint + "/bucket/big", body: payload),
                timeout: TransportTimeouts(connect: .seconds(10), total: .seconds(300)))
            #expect(response.status == 200)
            #expect(response.headers["Content-Length"] == String(size))
            #expect(response.body.count == size)
            #expect(response.body == payload)
        }
    }

    @Test func bodiesAboveTheLimitAreRefused() async throws {
        let configuration = SimServerConfiguration(maxBodyBytes: 1024)
        try await Self.withServer(configuration: configuration, respond: { _ in Self.text(200, "ok") }) { _, endpoint in
            let response = try await transport.send(
                HTTPRequest(method: "PUT", url: endpoint + "/b/k", body: Data(count: 4096)), timeout: .default)
            #expect(response.status == 400)
            #expect(String(decoding: response.body, as: UTF8.self).contains("<Code>EntityTooLarge</Code>"))
        }
    }

    @Test func headAnswersCarryTheLengthButNoBody() async throws {
        try await Self.withServer(respond: { request in
            request.path == "/declared"
                ? SimResponse(status: 200, headers: [("Content-Length", "1234"), ("ETag", "\"e\"")])
                : Self.text(200, "ten bytes!")
        }) { server, endpoint in
            let declared = try await transport.send(HTTPRequest(method: "HEAD", url: endpoint + "/declared"), timeout: .default)
            #expect(declared.status == 200)
            #expect(declared.headers["Content-Length"] == "1234")
            #expect(declared.headers["ETag"] == "\"e\"")
            #expect(declared.body.isEmpty)
            let generated = try await transport.send(HTTPRequest(method: "HEAD", url: endpoint + "/generated"), timeout: .default)
            #expect(generated.headers["Content-Length"] == "10")
            #expect(generated.body.isEmpty)
            // The connection is still in step: the next answer is this request's own.
            let get = try await transport.send(HTTPRequest(method: "GET", url: endpoint + "/generated"), timeout: .default)
            #expect(get.body == Data("ten bytes!".utf8))
            #expect(server.acceptedConnections == 1)
        }
    }

    @Test func injectedDelayIsScheduledWithoutBlockingOtherRequests() async throws {
        // One event loop and one handler thread: a delay that slept on either would hold up the
        // fast request.
        //
        // A round proves something only when this test's own tasks were not starved: the suite
        // runs in parallel on two cores, and tests that block a pool thread (a child process,
        // a pipe read) have stalled every task of the process for half a minute in the +400 d
        // pass, long enough for the slow answer to come first. So a round counts when the fast
        // request went out within a second of the slow one's arrival and the slow one took less
        // than three seconds; a stalled round is run again, at most four times. A server that
        // blocks on the delay still fails: its rounds are not stalled, and the slow one answers
        // first in each.
        let configuration = SimServerConfiguration(eventLoopThreads: 1, handlerThreads: 1)
        var judged = false
        for _ in 0..<4 where !judged {
            let slowArrived = Mutex<ContinuousClock.Instant?>(nil)
            try await Self.withServer(
                configuration: configuration,
                respond: { request in
                    guard request.path == "/slow" else { return Self.text(200, "fast") }
                    slowArrived.withLock { $0 = .now }
                    var response = Self.text(200, "slow")
                    response.delay = .milliseconds(1500)
                    return response
                }
            ) { _, endpoint in
                let order = Mutex<[String]>([])
                let started = ContinuousClock.now
                async let slow: Duration = {
                    _ = try await transport.send(HTTPRequest(method: "GET", url: endpoint + "/slow"), timeout: .default)
                    order.withLock { $0.append("slow") }
                    return ContinuousClock.now - started
                }()
                var arrived: ContinuousClock.Instant?
                while arrived == nil {
                    try await Task.sleep(for: .milliseconds(10))
                    arrived = slowArrived.withLock { $0 }
                }
                let fastSent = ContinuousClock.now
                let fast = try await transport.send(HTTPRequest(method: "GET", url: endpoint + "/fast"), timeout: .default)
                order.withLock { $0.append("fast") }
                #expect(fast.body == Data("fast".utf8))
                let slowTook = try await slow
                #expect(slowTook >= .milliseconds(1500))
                guard let arrived, fastSent - arrived < .seconds(1), slowTook < .seconds(3) else { return }
                judged = true
                #expect(order.withLock { $0 } == ["fast", "slow"])
            }
        }
        #expect(judged, "every round was stalled by the test process itself: nothing was judged")
    }

    @Test func resetAfterGivesTheClientATruncatedBody() async throws {
        try await Self.withServer(respond: { _ in
            var response = SimResponse(status: 200, body: Data(repeating: 0x61, count: 10_000))
            response.network = .resetAfter(bodyBytes: 100)
            return response
        }) { server, endpoint in
            let kind = await failure(HTTPRequest(method: "GET", url: endpoint + "/bucket/key"))
            #expect(kind == .partialResponse)
            // The next request gets a fresh connection and the same treatment.
            #expect(await failure(HTTPRequest(method: "GET", url: endpoint + "/bucket/key")) == .partialResponse)
            #expect(server.acceptedConnections == 2)
        }
    }

    @Test func droppedConnectionsAnswerNothing() async throws {
        try await Self.withServer(respond: { _ in
            var response = Self.text(200, "never sent")
            response.network = .dropConnection
            return response
        }) { _, endpoint in
            #expect(await failure(HTTPRequest(method: "PUT", url: endpoint + "/bucket/key", body: Data("x".utf8))) == .connectionReset)
        }
    }

    @Test func listensOnLoopbackOnly() async throws {
        for host in ["0.0.0.0", "::", "192.168.1.10", "example.com"] {
            let server = SimulatorServer(simulator: Simulator(), configuration: SimServerConfiguration(host: host))
            await #expect(throws: SimServerError.self) { try await server.start() }
            #expect(server.port == nil)
        }
        try await Self.withServer(respond: { _ in Self.text(200, "ok") }) { server, endpoint in
            let port = try #require(server.port)
            #expect(port > 0)
            #expect(endpoint == "http://127.0.0.1:\(port)")
            // 127.0.0.2 is this host too (all of 127/8 is loopback): a server bound to every
            // address would answer there.
            #expect(await failure(HTTPRequest(method: "GET", url: "http://127.0.0.2:\(port)/")) == .couldNotConnect)
        }
    }

    @Test func stopLetsRequestsInFlightFinishThenRefusesConnections() async throws {
        let arrived = Mutex(false)
        let server = SimulatorServer(
            simulator: Simulator(clock: VirtualClock()), configuration: SimServerConfiguration(),
            respond: { _ in
                arrived.withLock { $0 = true }
                var response = Self.text(200, "finished")
                response.delay = .milliseconds(500)
                return response
            })
        try await server.start()
        let endpoint = try #require(server.endpoint)
        async let inFlight = transport.send(HTTPRequest(method: "GET", url: endpoint + "/slow"), timeout: .default)
        while !arrived.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(10)) }
        await server.stop()
        let response = try await inFlight
        #expect(response.body == Data("finished".utf8))
        #expect(server.port == nil)
        #expect(await failure(HTTPRequest(method: "GET", url: endpoint + "/again")) == .couldNotConnect)
        await server.stop()  // idempotent
    }

    @Test func startTwiceIsRefused() async throws {
        try await Self.withServer(respond: { _ in Self.text(200, "ok") }) { server, _ in
            await #expect(throws: SimServerError(.alreadyStarted, "start() may be called once per server")) { try await server.start() }
        }
    }
}
