import ControlProtocol
import Foundation
import NIOCore
import NIOHTTP1

/// Serves one control-socket connection: collects each request (capping its body), runs it as a
/// `ControlExchange`, and keeps the connection alive between requests.
///
/// Unlike `HTTPServerPipelineHandler`, which stops reading while a response is pending, this
/// handler keeps reading during a response: a streamed answer can last for hours, and only by
/// reading does the server see the client hang up (end of input) and stop the stream. Requests a
/// client pipelines meanwhile wait in a short queue and are answered in order.
final class ControlConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    struct Configuration: Sendable {
        var handler: any ControlHandler
        var maxBodyBytes: Int
        var log: DaemonLog
        var connections: ControlServerConnections
    }

    /// The server asks the connection to finish what it has in flight and close (`stop()`).
    struct Drain: Sendable {}

    private struct Pending {
        var request: ControlRequest
        var version: HTTPVersion
        var keepAlive: Bool
        /// Set when the server answers itself (a malformed target).
        var prepared: ControlResponse?
    }

    private enum Inbound {
        case awaitingHead
        case receiving(HTTPRequestHead, ByteBuffer)
        /// An oversized body was refused; the rest of it is ignored until the connection closes.
        case discarding
    }

    /// Pipelined requests beyond this close the connection: no real client of this API pipelines.
    private static let maxQueuedRequests = 8

    private let configuration: Configuration
    private let peer: PeerCredentials
    private var inbound = Inbound.awaitingHead
    private var queue: [Pending] = []
    private var inFlight: ControlExchange?
    /// No more requests will be served: the input ended, the server is draining, or a request
    /// asked for `Connection: close`.
    private var closing = false

    init(configuration: Configuration, peer: PeerCredentials) {
        self.configuration = configuration
        self.peer = peer
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            guard case .awaitingHead = inbound, !closing else { return }
            let declared = head.headers.first(name: "content-length").flatMap(Int.init)
            if let declared, declared > configuration.maxBodyBytes {
                refuseOversized(head: head, context: context)
                return
            }
            inbound = .receiving(head, context.channel.allocator.buffer(capacity: min(declared ?? 0, configuration.maxBodyBytes)))
            // curl waits up to a second for "100 Continue" before sending a body over 1 MiB.
            if head.headers.first(name: "expect")?.lowercased() == "100-continue", inFlight == nil {
                let interim = HTTPResponseHead(version: head.version, status: .continue)
                context.writeAndFlush(wrapOutboundOut(.head(interim)), promise: nil)
            }

        case .body(var part):
            guard case .receiving(let head, var body) = inbound else { return }
            inbound = .awaitingHead  // drop the reference so `body` stays uniquely owned
            if body.readableBytes + part.readableBytes > configuration.maxBodyBytes {
                refuseOversized(head: head, context: context)
                return
            }
            body.writeBuffer(&part)
            inbound = .receiving(head, body)

        case .end:
            guard case .receiving(let head, let body) = inbound else { return }
            inbound = .awaitingHead
            // While closing, only a request that was already arriving gets here (see `Drain`).
            guard queue.count < Self.maxQueuedRequests else {
                configuration.log.warning("control client pipelined too many requests; closing", ["pid": String(peer.pid)])
                context.close(promise: nil)
                return
            }
            queue.append(Self.pending(head: head, body: body))
            startNextExchange(context: context)
        }
    }

    private static func pending(head: HTTPRequestHead, body: ByteBuffer) -> Pending {
        var headers: [String: String] = [:]
        for (name, value) in head.headers {
            let key = name.lowercased()
            headers[key] = headers[key].map { "\($0), \(value)" } ?? value
        }
        let data = Data(body.readableBytesView)
        guard let target = ControlRequestTarget(head.uri) else {
            let request = ControlRequest(method: head.method.rawValue, path: "/", headers: headers, body: data)
            return Pending(
                request: request, version: head.version, keepAlive: head.isKeepAlive,
                prepared: .serverError(status: 400, "the request target is not a path or its percent-encoding is malformed"))
        }
        let request = ControlRequest(method: head.method.rawValue, path: target.path, query: target.query, headers: headers, body: data)
        return Pending(request: request, version: head.version, keepAlive: head.isKeepAlive)
    }

    /// Starts the next queued request if none is in flight. Responses are written by the
    /// exchange's task; it reports back on the event loop when the last byte is out.
    private func startNextExchange(context: ChannelHandlerContext) {
        guard inFlight == nil, !queue.isEmpty else { return }
        let next = queue.removeFirst()
        let keepAlive = next.keepAlive && !closing
        let exchange = ControlExchange(keepAlive: keepAlive)
        inFlight = exchange

        let channel = context.channel
        let connections = configuration.connections
        let handler = configuration.handler
        let peer = self.peer
        let this = NIOLoopBound(self, eventLoop: context.eventLoop)
        let contextBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        let task = Task {
            let reusable = await exchange.perform(
                request: next.request, version: next.version, prepared: next.prepared, handler: handler, peer: peer, channel: channel)
            channel.eventLoop.execute {
                this.value.exchangeFinished(exchange, reusable: reusable, context: contextBound.value)
            }
            connections.ended(exchange)
        }
        exchange.attach(task)
        connections.began(exchange, task: task)
    }

    private func exchangeFinished(_ exchange: ControlExchange, reusable: Bool, context: ChannelHandlerContext) {
        guard inFlight === exchange else { return }
        inFlight = nil
        guard context.channel.isActive else { return }
        var requestArriving = false
        if case .receiving = inbound { requestArriving = true }
        if !reusable || !exchange.keepAlive || (closing && queue.isEmpty && !requestArriving) {
            context.close(promise: nil)
            return
        }
        startNextExchange(context: context)
    }

    /// 413 in the API's error format, then close: the rest of the body is not worth reading.
    private func refuseOversized(head: HTTPRequestHead, context: ChannelHandlerContext) {
        inbound = .discarding
        closing = true
        queue.removeAll()
        configuration.log.notice(
            "control request body too large; refused", ["pid": String(peer.pid), "uid": String(peer.uid), "path": head.uri])
        guard inFlight == nil else {
            // An answer is being written; a second one cannot be interleaved with it.
            inFlight?.wrapUp()
            context.close(promise: nil)
            return
        }
        let response = ControlResponse.serverError(
            status: 413, "the request body exceeds \(configuration.maxBodyBytes) bytes, the control API's limit")
        writeAndClose(response, version: head.version, context: context)
    }

    private func writeAndClose(_ response: ControlResponse, version: HTTPVersion, context: ChannelHandlerContext) {
        guard case .full(let status, let contentType, let body) = response else { return }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: contentType)
        headers.add(name: "Content-Length", value: String(body.count))
        headers.add(name: "Connection", value: "close")
        let head = HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: status), headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
        let contextBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            contextBound.value.close(promise: nil)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case ChannelEvent.inputClosed:
            // The client hung up, or half-closed and only reads now: either way no request follows.
            // A streamed answer ends (with its terminal chunk, for a half-closed reader); a full
            // one is finished, then the connection closes.
            closing = true
            if case .receiving = inbound { inbound = .discarding }
            finishOrClose(context: context)
        case is Drain:
            closing = true
            finishOrClose(context: context)
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    private func finishOrClose(context: ChannelHandlerContext) {
        queue.removeAll()
        if let inFlight {
            inFlight.wrapUp()
        } else if case .receiving = inbound {
            // A request still arriving is let in: its answer is an in-flight request too.
            return
        } else {
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        closing = true
        queue.removeAll()
        inFlight?.wrapUp()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is HTTPParserError, inFlight == nil, !closing {
            // The decoder closes the connection once this returns; the answer is flushed first.
            closing = true
            configuration.log.notice("malformed control request; refused", ["pid": String(peer.pid), "error": "\(error)"])
            let response = ControlResponse.serverError(status: 400, "malformed HTTP request: \(error)")
            writeAndClose(response, version: .http1_1, context: context)
            return
        }
        context.close(promise: nil)
    }
}
