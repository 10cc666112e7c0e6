import Foundation
import Glibc
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// The control API's transport: HTTP/1.1 on a unix domain socket, every connection tagged with
/// its peer's credentials from the kernel (SO_PEERCRED), every request handed to a
/// `ControlHandler` with them.
///
/// The socket's group and mode are the API's access control (DESIGN.md, "Approvals and
/// identity"): `cutoverd` binds `/run/cutover/cutoverd.sock` as `0660 root:cutover-approvers`, or
/// takes the socket systemd made from `cutoverd.socket`.
///
/// ```swift
/// let server = ControlServer(
///     listener: .path("/run/cutover/cutoverd.sock", mode: 0o660, group: "cutover-approvers"),
///     handler: api, log: log)
/// try await server.start()     // listening; `curl --unix-socket … http://localhost/v1/health`
/// …
/// await server.stop()          // drained, socket file removed
/// ```
///
/// Requests carry a complete body (at most `maxBodyBytes`, 1 MiB by default; more is a 413), a
/// percent-decoded path, the parsed query and lower-cased header names. Connections are kept
/// alive. A `.stream` answer is written chunk by chunk as the stream yields, and stops being
/// iterated when the client hangs up.
public final class ControlServer: Sendable {
    /// Where the server listens.
    public enum Listener: Sendable, Equatable {
        /// Bind a socket at this path with this mode (e.g. `0o660`), owned by this group (nil: the
        /// daemon's own group). A stale socket left by a crash is replaced; a live one is not.
        /// The file is removed by `stop()`.
        case path(String, mode: UInt32, group: String?)
        /// A socket systemd already bound and listens on (socket activation, `LISTEN_FDS`). systemd
        /// owns its file: it is never unlinked. `stop()` closes our copy of the descriptor; systemd
        /// keeps its own and queues connections for the next start.
        case inherited(fd: Int32)
    }

    /// 1 MiB: the largest runbook is a few kilobytes; anything near this is a mistake or an attack.
    public static let defaultMaxBodyBytes = 1 << 20

    public let listener: Listener
    public let maxBodyBytes: Int
    /// How long `stop()` waits for answers in flight before it closes their connections.
    public let shutdownGracePeriod: Duration

    private enum Phase {
        case idle
        case starting
        case running(channel: any Channel, path: String?, boundFile: ControlSocketFile.Identity?)
        case stopped
    }

    private let handler: any ControlHandler
    private let log: DaemonLog
    private let group: any EventLoopGroup
    private let phase = Mutex(Phase.idle)
    private let connections = ControlServerConnections()

    /// - Parameter group: the event loops to serve on; NIO's shared singleton by default, which
    ///   outlives the server, so exchanges that finish after `stop()` never write to a dead loop.
    public init(
        listener: Listener, handler: any ControlHandler, log: DaemonLog, maxBodyBytes: Int = ControlServer.defaultMaxBodyBytes,
        shutdownGracePeriod: Duration = .seconds(5), group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.listener = listener
        self.handler = handler
        self.log = log
        self.maxBodyBytes = maxBodyBytes
        self.shutdownGracePeriod = shutdownGracePeriod
        self.group = group
    }

    /// The socket's path while the server runs: the configured one, or the path of the inherited
    /// socket as the kernel reports it (nil if it has none).
    public var socketPath: String? {
        phase.withLock { phase in
            if case .running(_, let path, _) = phase { return path }
            return nil
        }
    }

    /// Connections accepted since `start()`.
    public var acceptedConnections: Int { connections.acceptedCount }

    /// Binds (or adopts the inherited socket) and starts serving; returns once connections are
    /// accepted. Throws `ControlServerError` saying what to fix.
    public func start() async throws {
        let claimed = phase.withLock { phase -> Bool in
            guard case .idle = phase else { return false }
            phase = .starting
            return true
        }
        guard claimed else {
            throw ControlServerError(.alreadyStarted, "start() may be called once per server", socket: listenerName)
        }

        let fd: Int32
        let path: String?
        let boundFile: ControlSocketFile.Identity?
        do {
            switch listener {
            case .path(let socketPath, let mode, let group):
                (fd, boundFile) = try ControlSocketFile.bind(path: socketPath, mode: mode, group: group)
                path = socketPath
            case .inherited(let inherited):
                try ControlSocketFile.checkInherited(fd: inherited)
                fd = inherited
                path = UnixSocketAddress.boundPath(of: inherited)
                boundFile = nil
            }
        } catch {
            phase.withLock { $0 = .idle }
            throw error
        }

        let channel: any Channel
        do {
            channel = try await makeBootstrap().withBoundSocket(fd).get()
        } catch {
            // The descriptor is NIO's once handed over (it closes it on failure); only the file is ours.
            if case .path(let socketPath, _, _) = listener, let boundFile {
                ControlSocketFile.remove(path: socketPath, identity: boundFile)
            }
            phase.withLock { $0 = .idle }
            throw ControlServerError(.bindFailed, "could not listen: \(error)", socket: listenerName)
        }
        phase.withLock { $0 = .running(channel: channel, path: path, boundFile: boundFile) }

        switch listener {
        case .path(let socketPath, let mode, let group):
            log.info(
                "control socket listening",
                ["path": socketPath, "mode": "0" + String(mode, radix: 8), "group": group ?? "(daemon's own)"])
        case .inherited(let inherited):
            log.info("control socket inherited from systemd", ["fd": String(inherited), "path": path ?? "(unnamed)"])
        }
    }

    /// Stops accepting, ends open streams, lets requests in flight finish (up to
    /// `shutdownGracePeriod`), closes every connection and removes the socket file it bound.
    /// Idempotent.
    public func stop() async {
        let running = phase.withLock { phase -> (any Channel, String?, ControlSocketFile.Identity?)? in
            guard case .running(let channel, let path, let boundFile) = phase else { return nil }
            phase = .stopped
            return (channel, path, boundFile)
        }
        guard let (listening, path, boundFile) = running else { return }

        let open = connections.closeDoors()
        try? await listening.close()
        if let path, let boundFile {
            ControlSocketFile.remove(path: path, identity: boundFile)
        }
        for connection in open {
            connection.pipeline.fireUserInboundEventTriggered(ControlConnectionHandler.Drain())
        }

        let connections = self.connections
        let drained = await withTaskGroup(of: Bool.self) { group -> Bool in
            group.addTask {
                await connections.waitUntilIdle()
                return !Task.isCancelled
            }
            group.addTask { [shutdownGracePeriod] in
                try? await Task.sleep(for: shutdownGracePeriod)
                return false
            }
            let first = await group.next() ?? true
            group.cancelAll()
            return first
        }
        if !drained {
            // An exchange stuck in its handler is left to finish on its own; its writes fail
            // harmlessly on the closed connection.
            let stuck = connections.runningExchanges
            log.warning(
                "control server stopped before every request finished; closing their connections",
                ["grace": "\(shutdownGracePeriod)", "still_running": String(stuck.count)])
            for connection in connections.openChannels { connection.close(promise: nil) }
            for exchange in stuck { exchange.cancel() }
        }
        log.info("control socket closed", ["path": path ?? listenerName])
    }

    private var listenerName: String {
        switch listener {
        case .path(let path, _, _): return path
        case .inherited(let fd): return "fd \(fd)"
        }
    }

    private func makeBootstrap() -> ServerBootstrap {
        let configuration = ControlConnectionHandler.Configuration(
            handler: handler, maxBodyBytes: maxBodyBytes, log: log, connections: connections)
        let connections = self.connections
        let log = self.log
        return ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 128)
            // Reading on during a response, and seeing the end of input, is how a stream learns that
            // its client left (see ControlConnectionHandler).
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { channel in
                guard connections.admit(channel) else {
                    return channel.close()
                }
                return Self.peerCredentials(of: channel).flatMapThrowing { peer in
                    log.debug("control connection", ["pid": String(peer.pid), "uid": String(peer.uid), "gid": String(peer.gid)])
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.configureHTTPServerPipeline(withPipeliningAssistance: false, withErrorHandling: false)
                    try pipeline.addHandler(ControlConnectionHandler(configuration: configuration, peer: peer))
                }.flatMapError { error in
                    // Without the kernel's word on who is calling, the request cannot be served.
                    log.error("control connection without peer credentials; closed", ["error": "\(error)"])
                    return channel.close()
                }
            }
    }

    /// SO_PEERCRED of an accepted connection, through NIO's socket option access.
    private static func peerCredentials(of channel: any Channel) -> EventLoopFuture<PeerCredentials> {
        guard let provider = channel as? any SocketOptionProvider else {
            return channel.eventLoop.makeFailedFuture(PeerCredentialsUnavailable())
        }
        let future: EventLoopFuture<KernelCredentials> = provider.unsafeGetSocketOption(
            level: NIOBSDSocket.OptionLevel(rawValue: SOL_SOCKET), name: NIOBSDSocket.Option(rawValue: SO_PEERCRED))
        return future.map { PeerCredentials($0) }
    }

    private struct PeerCredentialsUnavailable: Error, CustomStringConvertible {
        var description: String { "the connection is not a socket that reports SO_PEERCRED" }
    }
}
