import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// Serves a `Simulator` over HTTP/1.1 on a loopback port, so real clients (botocore, the AWS CLI,
/// Cutover's own `CurlTransport`) can talk to it as to AWS.
///
/// Requests under `/_sim/` go to the admin API (`SimAdminAPI`); everything else to
/// `Simulator.handle`. Each request is aggregated, handled on a thread pool, and answered with
/// `Date` and `Content-Length`, honouring the injected delay and connection faults the simulator
/// returns. Connections are kept alive.
///
/// ```swift
/// let server = SimulatorServer(simulator: Simulator())
/// try await server.start()
/// print(server.port!)      // the ephemeral port
/// await server.stop()
/// ```
public final class SimulatorServer: Sendable {
    public let simulator: Simulator
    public let admin: SimAdminAPI
    public let configuration: SimServerConfiguration

    private enum Phase {
        case idle
        case running(group: MultiThreadedEventLoopGroup, pool: NIOThreadPool, channel: any Channel)
        case stopped
    }

    private let phase = Mutex(Phase.idle)
    private let connections = Mutex((open: [ObjectIdentifier: any Channel](), accepted: 0))
    private let boundPort = Mutex<Int?>(nil)
    private let respond: @Sendable (SimRequest) -> SimResponse

    public init(simulator: Simulator, configuration: SimServerConfiguration = SimServerConfiguration()) {
        let admin = SimAdminAPI(simulator: simulator)
        self.simulator = simulator
        self.admin = admin
        self.configuration = configuration
        self.respond = { request in admin.handles(request) ? admin.respond(to: request) : simulator.handle(request) }
    }

    /// A server whose answers come from `respond` instead of the simulator: the transport's own
    /// tests (delays, resets, large bodies) need answers no AWS operation gives.
    init(simulator: Simulator, configuration: SimServerConfiguration, respond: @escaping @Sendable (SimRequest) -> SimResponse) {
        self.simulator = simulator
        self.admin = SimAdminAPI(simulator: simulator)
        self.configuration = configuration
        self.respond = respond
    }

    /// TCP connections accepted since `start()`: equal before and after a request means the
    /// client reused a kept-alive connection.
    public var acceptedConnections: Int { connections.withLock { $0.accepted } }

    /// The port the server listens on; nil before `start()` and after `stop()`.
    public var port: Int? { boundPort.withLock { $0 } }

    /// `http://127.0.0.1:PORT`, the endpoint URL to give clients.
    public var endpoint: String? {
        port.map { "http://\(configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host):\($0)" }
    }

    /// Binds and starts serving; returns once the socket listens.
    public func start() async throws {
        let host = configuration.host
        guard ["127.0.0.1", "localhost", "::1"].contains(host) else {
            throw SimServerError(.notLoopback, "refusing to listen on \(host): the simulator serves loopback clients only (use 127.0.0.1)")
        }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, configuration.eventLoopThreads))
        let pool = NIOThreadPool(numberOfThreads: max(1, configuration.handlerThreads))
        pool.start()
        let claimed = phase.withLock { phase -> Bool in
            guard case .idle = phase else { return false }
            phase = .stopped  // reserved; replaced with .running below
            return true
        }
        guard claimed else {
            try? await pool.shutdownGracefully()
            try? await group.shutdownGracefully()
            throw SimServerError(.alreadyStarted, "start() may be called once per server")
        }

        let respond = self.respond
        let maxBody = configuration.maxBodyBytes
        let accessLog = configuration.accessLog
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { [weak self] channel in
                self?.track(channel)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(
                        SimHTTPHandler(respond: respond, threadPool: pool, maxBodyBytes: maxBody, accessLog: accessLog))
                }
            }

        let channel: any Channel
        do {
            channel = try await bootstrap.bind(host: host == "localhost" ? "127.0.0.1" : host, port: configuration.port).get()
        } catch {
            try? await pool.shutdownGracefully()
            try? await group.shutdownGracefully()
            phase.withLock { $0 = .idle }
            throw SimServerError(.bindFailed, "could not listen on \(host):\(configuration.port): \(error)")
        }
        boundPort.withLock { $0 = channel.localAddress?.port }
        phase.withLock { $0 = .running(group: group, pool: pool, channel: channel) }
    }

    /// Stops accepting connections, lets requests in flight finish (up to
    /// `shutdownGracePeriod`), closes every connection and releases the threads. Idempotent.
    public func stop() async {
        let running = phase.withLock { phase -> (MultiThreadedEventLoopGroup, NIOThreadPool, any Channel)? in
            guard case .running(let group, let pool, let channel) = phase else { return nil }
            phase = .stopped
            return (group, pool, channel)
        }
        guard let (group, pool, channel) = running else { return }
        try? await channel.close()
        boundPort.withLock { $0 = nil }

        // HTTPServerPipelineHandler closes an idle connection at once on this event, and a busy
        // one as soon as its response is written.
        let open = connections.withLock { Array($0.open.values) }
        for connection in open {
            connection.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        }
        let loop = group.any()
        let deadline = loop.scheduleTask(in: .nanoseconds(Int64(configuration.shutdownGracePeriod.components.seconds) * 1_000_000_000)) {
            for connection in open { connection.close(promise: nil) }
        }
        _ = try? await EventLoopFuture.andAllComplete(open.map(\.closeFuture), on: loop).get()
        deadline.cancel()

        try? await pool.shutdownGracefully()
        try? await group.shutdownGracefully()
    }

    private func track(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        connections.withLock {
            $0.open[id] = channel
            $0.accepted += 1
        }
        channel.closeFuture.whenComplete { [weak self] _ in
            _ = self?.connections.withLock { $0.open.removeValue(forKey: id) }
        }
    }
}
