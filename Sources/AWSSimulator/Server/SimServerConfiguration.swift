import NIOCore

/// How `SimulatorServer` listens and serves.
public struct SimServerConfiguration: Sendable {
    /// `127.0.0.1` (default), `localhost` or `::1`; any other host is refused, because the
    /// simulator accepts unauthenticated admin requests and well-known test credentials.
    public var host: String
    /// 0 picks a free ephemeral port; read it from `SimulatorServer.port` after `start()`.
    public var port: Int
    /// Threads reading and writing sockets.
    public var eventLoopThreads: Int
    /// Threads running `Simulator.handle` (which holds the world lock), so a slow request never
    /// stalls the event loops.
    public var handlerThreads: Int
    /// Largest request body accepted (aggregated in memory); larger ones get 400
    /// `EntityTooLarge`. S3 allows 5 GiB in one PUT; the default keeps memory bounded.
    public var maxBodyBytes: Int
    /// How long `stop()` lets in-flight requests finish before closing their connections.
    public var shutdownGracePeriod: Duration
    /// Called once per answered request (for `cutover-aws-sim --log`), on an event loop: keep it cheap.
    public var accessLog: (@Sendable (SimServerAccessLogEntry) -> Void)?

    public init(
        host: String = "127.0.0.1", port: Int = 0, eventLoopThreads: Int = System.coreCount,
        handlerThreads: Int = max(2, System.coreCount), maxBodyBytes: Int = 1 << 30,
        shutdownGracePeriod: Duration = .seconds(10), accessLog: (@Sendable (SimServerAccessLogEntry) -> Void)? = nil
    ) {
        self.host = host
        self.port = port
        self.eventLoopThreads = eventLoopThreads
        self.handlerThreads = handlerThreads
        self.maxBodyBytes = maxBodyBytes
        self.shutdownGracePeriod = shutdownGracePeriod
        self.accessLog = accessLog
    }
}
