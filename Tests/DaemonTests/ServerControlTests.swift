import ControlProtocol
import Foundation
import Glibc
import Synchronization
import XCTest

@testable import Daemon

/// The control server over real unix sockets in a temporary directory: curl and a raw client.
final class ServerControlTests: XCTestCase {
    private var directory = ""
    private var servers: [ControlServer] = []
    private let log = DaemonLog(level: .warning)

    override func setUp() async throws {
        directory = try serverTemporaryDirectory()
    }

    override func tearDown() async throws {
        for server in servers { await server.stop() }
        servers = []
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func startServer(
        _ handler: ServerTestHandler, name: String = "cutoverd.sock", mode: UInt32 = 0o660, group: String? = nil,
        grace: Duration = .seconds(5)
    ) async throws -> (ControlServer, String) {
        let path = "\(directory)/\(name)"
        let server = ControlServer(
            listener: .path(path, mode: mode, group: group), handler: handler, log: log, shutdownGracePeriod: grace)
        try await server.start()
        servers.append(server)
        return (server, path)
    }

    // MARK: - Serving

    func testCurlReadsHealthOverTheUnixSocket() async throws {
        let handler = ServerTestHandler()
        let (_, path) = try await startServer(handler)

        let (status, output) = try await serverRunProcess(
            "/usr/bin/curl", ["-sS", "--max-time", "10", "--unix-socket", path, "http://localhost/v1/health"])

        XCTAssertEqual(status, 0)
        let body = try XCTUnwrap(try JSONSerialization.jsonObject(with: output) as? [String: Any])
        XCTAssertEqual(body["status"] as? String, "ok")
        XCTAssertEqual(body["uid"] as? Int, Int(getuid()))
        XCTAssertEqual(handler.seen.first?.request.method, "GET")
        XCTAssertEqual(handler.seen.first?.request.headers["host"], "localhost")
        XCTAssertNotEqual(handler.seen.first?.peer.pid, getpid(), "curl is another process")
    }

    func testPeerCredentialsComeFromTheKernel() async throws {
        let handler = ServerTestHandler()
        let (_, path) = try await startServer(handler)
        let client = try ServerRawClient(path: path)

        let response = try client.exchange("GET", "/v1/health", headers: ["X-Uid": "0", "X-User": "mallory"])

        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(handler.seen.first?.peer, PeerCredentials(pid: getpid(), uid: getuid(), gid: getgid()))
    }

    func testRequestPathIsDecodedQueryParsedAndHeaderNamesLowerCased() async throws {
        let handler = ServerTestHandler()
        let (_, path) = try await startServer(handler)
        let client = try ServerRawClient(path: path)

        _ = try client.exchange(
            "GET", "/v1/runs/r%2D1%20x/events?after=3&follow=true&note=a+b%21", headers: ["X-Cutover-Thing": "Yes"])

        let request = try XCTUnwrap(handler.seen.first?.request)
        XCTAssertEqual(request.path, "/v1/runs/r-1 x/events")
        XCTAssertEqual(request.query, ["after": "3", "follow": "true", "note": "a b!"])
        XCTAssertEqual(request.headers["x-cutover-thing"], "Yes")
        XCTAssertNil(request.headers["X-Cutover-Thing"])
    }

    func testPostBodyReachesTheHandlerAndComesBackWithContentLength() async throws {
        let handler = ServerTestHandler()
        let (_, path) = try await startServer(handler)
        let client = try ServerRawClient(path: path)
        let body = Data(#"{"approve":true}"#.utf8)

        let response = try client.exchange("POST", "/echo", headers: ["Content-Type": "application/json"], body: body)

        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.body, body)
        XCTAssertEqual(response.head.header("content-length"), String(body.count))
        XCTAssertEqual(response.head.header("content-type"), "application/json")
    }

    func testKeepAliveServesSeveralRequestsOnOneConnection() async throws {
        let handler = ServerTestHandler()
        let (server, path) = try await startServer(handler)
        let client = try ServerRawClient(path: path)

        for index in 0..<3 {
            let response = try client.exchange("POST", "/echo", body: Data("n=\(index)".utf8))
            XCTAssertEqual(response.text, "n=\(index)")
        }
        // Pipelined: both requests in one write, answered in order.
        try client.send(
            "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nfirstPOST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\nsecond"
        )
        XCTAssertEqual(try client.readResponse().text, "first")
        XCTAssertEqual(try client.readResponse().text, "second")

        XCTAssertEqual(server.acceptedConnections, 1)
    }

    func testConnectionCloseIsHonoured() async throws {
        let handler = ServerTestHandler()
        let (_, path) = try await startServer(handler)
        let client = try ServerRawClient(path: path)

        let response = try client.exchange("GET", "/v1/health", headers: ["Connection": "close"])

        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.head.header("connection"), "close")
        XCTAssertTrue(client.isClosedByServer())
    }

    // MARK: - Streams

    func testStreamIsWrittenChunkByChunkAsItYields() async throws {
        let handler = ServerTestHandler()
        let (_, path) = try await startServer(handler)
        let client = try ServerRawClient(path: path)

        try client.send("GET /stream HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let head = try client.readHead()
        XCTAssertEqual(head.status, 200)
        XCTAssertEqual(head.header("transfer-encoding"), "chunked")
        XCTAssertNil(head.header("content-length"))
        XCTAssertEqual(head.header("content-type"), "application/x-ndjson")

        // Each chunk arrives before the next one exists.
        handler.yield("{\"seq\":1}\n")
        XCTAssertEqual(try client.readChunk(), Data("{\"seq\":1}\n".utf8))
        handler.yield("{\"seq\":2}\n")
        XCTAssertEqual(try client.readChunk(), Data("{\"seq\":2}\n".utf8))

        handler.finish()
        XCTAssertNil(try client.readChunk(), "the terminal chunk ends the stream")
        // The connection carries on.
        XCTAssertEqual(try client.exchange("POST", "/echo", body: Data("after".utf8)).text, "after")
    }

    func testClientHangingUpEndsTheStreamsIteration() async throws {
        let handler = ServerTestHandler()
        let (_, path) = try await startServer(handler)
        var client: ServerRawClient? = try ServerRawClient(path: path)

        try client!.send("GET /stream HTTP/1.1\r\nHost: localhost\r\n\r\n")
        _ = try client!.readHead()
        handler.yield("one\n")
        XCTAssertEqual(try client!.readChunk(), Data("one\n".utf8))

        client = nil  // closes the socket, as a `status --watch` that exits does

        let ended = await handler.wait { $0.terminations.count == 1 }
        XCTAssertTrue(ended, "the stream's onTermination ran")
        if case .cancelled? = handler.terminations.first {
        } else {
            XCTFail("expected .cancelled, got \(String(describing: handler.terminations.first))")
        }
    }

    func testCurlReceivesAStreamUntilItFinishes() async throws {
        let handler = ServerTestHandler()
        let (_, path) = try await startServer(handler)

        let (status, output) = try await serverRunProcess(
            "/usr/bin/curl", ["-sSN", "--max-time", "10", "--unix-socket", path, "http://localhost/stream?chunks=a,b,c"])

        XCTAssertEqual(status, 0)
        XCTAssertEqual(String(decoding: output, as: UTF8.self), "a\nb\nc\n")
    }

    // MARK: - Errors the server answers itself

    func testOversizedBodyIsRefusedWith413() async throws {
        let handler = ServerTestHandler()
        let (_, path) = try await startServer(handler)

        // Declared up front: refused before the body is read.
        let declared = try ServerRawClient(path: path)
        try declared.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: \(2 << 20)\r\n\r\n")
        let response = try declared.readResponse()
        XCTAssertEqual(response.status, 413)
        XCTAssertEqual(response.head.header("content-type"), "application/json")
        let error = try XCTUnwrap(APIErrorBody.decode(response.body))
        XCTAssertEqual(error.code, ControlErrorCode.badRequest)
        XCTAssertTrue(error.message.contains("1048576"), error.message)
        XCTAssertTrue(declared.isClosedByServer())

        // Chunked: refused once the running total passes the limit.
        let chunked = try ServerRawClient(path: path)
        try chunked.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        let piece = String(repeating: "x", count: 64 * 1024)
        var refused: ServerRawClient.Response?
        for _ in 0..<20 {
            do {
                try chunked.send(String(64 * 1024, radix: 16) + "\r\n" + piece + "\r\n")
            } catch {
                break  // the server closed after answering
            }
        }
        refused = try chunked.readResponse()
        XCTAssertEqual(refused?.status, 413)

        // curl announces a large body with Expect: 100-continue and gets the 413 instead.
        let big = "\(directory)/big.json"
        try Data(repeating: 0x41, count: 2 << 20).write(to: URL(fileURLWithPath: big))
        let (_, output) = try await serverRunProcess(
            "/usr/bin/curl",
            [
                "-s", "--max-time", "10", "-o", "-", "-w", "\n%{http_code}", "--unix-socket", path, "--data-binary", "@\(big)",
                "http://localhost/echo",
            ])
        let text = String(decoding: output, as: UTF8.self)
        XCTAssertTrue(text.hasSuffix("\n413"), text)
        XCTAssertTrue(handler.seen.isEmpty, "no oversized request reached the handler")
    }

    func testBodyAtTheLimitIsAccepted() async throws {
        let handler = ServerTestHandler()
        let (_, path) = try await startServer(handler)
        let client = try ServerRawClient(path: path)
        let body = Data(repeating: 0x42, count: ControlServer.defaultMaxBodyBytes)

        let response = try client.exchange("POST", "/echo", body: body)

        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.body.count, body.count)
    }

    func testMalformedRequestGetsA400InTheAPIErrorFormat() async throws {
        let handler = ServerTestHandler()
        let (_, path) = try await startServer(handler)

        let garbage = try ServerRawClient(path: path)
        try garbage.send("THIS IS NOT HTTP\r\n\r\n")
        let response = try garbage.readResponse()
        XCTAssertEqual(response.status, 400)
        let error = try XCTUnwrap(APIErrorBody.decode(response.body), response.text)
        XCTAssertEqual(error.code, "bad-request")
        XCTAssertTrue(garbage.isClosedByServer())

        let badEscape = try ServerRawClient(path: path)
        let escaped = try badEscape.exchange("GET", "/v1/runs/%zz")
        XCTAssertEqual(escaped.status, 400)
        XCTAssertEqual(APIErrorBody.decode(escaped.body)?.code, "bad-request")
        XCTAssertTrue(handler.seen.isEmpty)
    }

    // MARK: - The socket file

    func testSocketFileGetsTheModeAndGroup() async throws {
        // A group other than our own when we may chown to it (root), so the chown is visible.
        var group = try XCTUnwrap(serverGroupName(getgid()))
        if getuid() == 0, let other = ["daemon", "nogroup", "users", "adm"].first(where: { (name: String) in getgrnam(name) != nil }) {
            group = other
        }
        let handler = ServerTestHandler()
        let (server, path) = try await startServer(handler, mode: 0o660, group: group)

        var info = stat()
        XCTAssertEqual(lstat(path, &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFSOCK)
        XCTAssertEqual(info.st_mode & 0o7777, 0o660)
        XCTAssertEqual(info.st_gid, getgrnam(group)!.pointee.gr_gid)
        XCTAssertEqual(server.socketPath, path)

        let (_, other) = try await startServer(handler, name: "other.sock", mode: 0o600, group: nil)
        XCTAssertEqual(lstat(other, &info), 0)
        XCTAssertEqual(info.st_mode & 0o7777, 0o600)
    }

    func testMissingGroupIsAnErrorNamingIt() async throws {
        let path = "\(directory)/cutoverd.sock"
        let server = ControlServer(
            listener: .path(path, mode: 0o660, group: "cutover-no-such-group"), handler: ServerTestHandler(), log: log)

        do {
            try await server.start()
            XCTFail("started without the group")
        } catch let error as ControlServerError {
            XCTAssertEqual(error.code, .groupNotFound)
            XCTAssertTrue(error.description.contains("cutover-no-such-group"), error.description)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
    }

    func testStopRemovesTheSocketFile() async throws {
        let (server, path) = try await startServer(ServerTestHandler())
        XCTAssertTrue(FileManager.default.fileExists(atPath: path))

        await server.stop()

        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
        XCTAssertNil(server.socketPath)
        XCTAssertThrowsError(try ServerRawClient(path: path))
    }

    func testStaleSocketFileIsReplaced() async throws {
        let path = "\(directory)/cutoverd.sock"
        // A socket bound and never listened on, its file left behind: what a crash leaves.
        let stale = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        let address = try XCTUnwrap(UnixSocketAddress(path: path))
        XCTAssertEqual(address.withSockaddr { bind(stale, $0, $1) }, 0)
        close(stale)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path))

        let handler = ServerTestHandler()
        _ = try await startServer(handler)

        XCTAssertEqual(try ServerRawClient(path: path).exchange("GET", "/v1/health").status, 200)
    }

    func testLiveSocketIsNotTakenOver() async throws {
        let handler = ServerTestHandler()
        let (_, path) = try await startServer(handler)
        let second = ControlServer(listener: .path(path, mode: 0o660, group: nil), handler: handler, log: log)

        do {
            try await second.start()
            XCTFail("a second server took over a live socket")
        } catch let error as ControlServerError {
            XCTAssertEqual(error.code, .socketInUse)
            XCTAssertTrue(error.message.contains("process \(getpid())"), error.message)
            XCTAssertTrue(error.message.contains("another cutoverd"), error.message)
        }
        XCTAssertEqual(try ServerRawClient(path: path).exchange("GET", "/v1/health").status, 200, "the first still serves")
    }

    func testSomethingElseAtThePathIsLeftAlone() async throws {
        let path = "\(directory)/cutoverd.sock"
        try Data("precious".utf8).write(to: URL(fileURLWithPath: path))
        let server = ControlServer(listener: .path(path, mode: 0o660, group: nil), handler: ServerTestHandler(), log: log)

        do {
            try await server.start()
            XCTFail("replaced a regular file")
        } catch let error as ControlServerError {
            XCTAssertEqual(error.code, .pathOccupied)
        }
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "precious")
    }

    func testInheritedListeningSocketIsServedAndNeverUnlinked() async throws {
        let path = "\(directory)/activated.sock"
        // What systemd does for cutoverd.socket: bind, listen, pass the descriptor.
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        let address = try XCTUnwrap(UnixSocketAddress(path: path))
        XCTAssertEqual(address.withSockaddr { bind(fd, $0, $1) }, 0)
        XCTAssertEqual(listen(fd, 16), 0)

        let handler = ServerTestHandler()
        let server = ControlServer(listener: .inherited(fd: fd), handler: handler, log: log)
        try await server.start()
        XCTAssertEqual(server.socketPath, path)

        XCTAssertEqual(try ServerRawClient(path: path).exchange("GET", "/v1/health").status, 200)
        XCTAssertEqual(handler.seen.first?.peer.pid, getpid())

        await server.stop()
        XCTAssertTrue(FileManager.default.fileExists(atPath: path), "systemd's socket file stays")
    }

    func testInheritedDescriptorThatIsNotListeningIsRefused() async throws {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        let server = ControlServer(listener: .inherited(fd: fd), handler: ServerTestHandler(), log: log)

        do {
            try await server.start()
            XCTFail("served a socket that does not listen")
        } catch let error as ControlServerError {
            XCTAssertEqual(error.code, .notAListeningSocket)
        }
    }

    // MARK: - Stopping

    func testStopFinishesRequestsInFlightAndEndsStreams() async throws {
        let handler = ServerTestHandler()
        let (server, path) = try await startServer(handler)
        let watcher = try ServerRawClient(path: path)
        try watcher.send("GET /stream HTTP/1.1\r\nHost: localhost\r\n\r\n")
        _ = try watcher.readHead()
        let slow = try ServerRawClient(path: path)
        try slow.send("GET /slow?ms=400 HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let arrived = await handler.wait { $0.seen.count == 2 }
        XCTAssertTrue(arrived)
        let idle = try ServerRawClient(path: path)

        let started = ContinuousClock.now
        await server.stop()
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(4))

        let answer = try slow.readResponse()
        XCTAssertEqual(answer.text, "slow done\n")
        XCTAssertEqual(answer.head.header("connection"), "close")
        XCTAssertNil(try watcher.readChunk(), "the stream was ended with its terminal chunk")
        XCTAssertEqual(handler.terminations.count, 1)
        XCTAssertTrue(idle.isClosedByServer())
    }

    func testStopGivesUpOnARequestPastTheGracePeriod() async throws {
        let handler = ServerTestHandler()
        let lines = Mutex<[String]>([])
        let path = "\(directory)/cutoverd.sock"
        let server = ControlServer(
            listener: .path(path, mode: 0o600, group: nil), handler: handler,
            log: DaemonLog(level: .warning, sink: { line in lines.withLock { $0.append(line) } }),
            shutdownGracePeriod: .milliseconds(200))
        try await server.start()
        let slow = try ServerRawClient(path: path)
        try slow.send("GET /slow?ms=3000 HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let arrived = await handler.wait { $0.seen.count == 1 }
        XCTAssertTrue(arrived)

        let started = ContinuousClock.now
        await server.stop()

        XCTAssertLessThan(ContinuousClock.now - started, .seconds(2))
        XCTAssertTrue(slow.isClosedByServer())
        let warning = lines.withLock { $0.first { $0.hasPrefix("<4>control server stopped before every request finished") } }
        XCTAssertNotNil(warning, "\(lines.withLock { $0 })")
        XCTAssertTrue(warning?.contains("still_running=1") ?? false)
    }
}
