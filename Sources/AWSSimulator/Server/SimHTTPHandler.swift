import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// Serves one HTTP/1.1 connection: aggregates each request, hands it to the simulator on the
/// thread pool (never on the event loop, because `Simulator.handle` takes the world lock), then
/// writes the answer — after the injected delay, scheduled rather than slept, and with the
/// injected connection fault if any. Requests on a keep-alive connection are served one at a time
/// (`HTTPServerPipelineHandler` holds pipelined ones back until the previous answer is written).
final class SimHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let respond: @Sendable (SimRequest) -> SimResponse
    private let threadPool: NIOThreadPool
    private let maxBodyBytes: Int
    private let accessLog: (@Sendable (SimServerAccessLogEntry) -> Void)?

    private var head: HTTPRequestHead?
    private var body: ByteBuffer?
    private var bodyBytes = 0
    private var tooLarge = false
    private var date = HTTPDate()

    init(
        respond: @escaping @Sendable (SimRequest) -> SimResponse, threadPool: NIOThreadPool, maxBodyBytes: Int,
        accessLog: (@Sendable (SimServerAccessLogEntry) -> Void)?
    ) {
        self.respond = respond
        self.threadPool = threadPool
        self.maxBodyBytes = maxBodyBytes
        self.accessLog = accessLog
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = nil
            bodyBytes = 0
            tooLarge = false
            let declared = head.headers.first(name: "content-length").flatMap(Int.init)
            if let declared, declared > maxBodyBytes {
                tooLarge = true
            } else if let declared, declared > 0 {
                body = context.channel.allocator.buffer(capacity: declared)
            }
            // curl waits a second for "100 Continue" before sending a large body.
            if !tooLarge, head.headers.first(name: "expect")?.lowercased() == "100-continue" {
                context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .continue))), promise: nil)
            }
        case .body(var part):
            bodyBytes += part.readableBytes
            if bodyBytes > maxBodyBytes {
                tooLarge = true
                body = nil
            }
            guard !tooLarge else { return }
            if body == nil {
                body = part
            } else {
                body!.writeBuffer(&part)
            }
        case .end:
            guard let head else { return }
            self.head = nil
            let received = body ?? ByteBuffer()
            body = nil
            serve(head: head, body: received, context: context)
        }
    }

    private func serve(head: HTTPRequestHead, body: ByteBuffer, context: ChannelHandlerContext) {
        let started = ContinuousClock.now
        if tooLarge {
            let error = SimResponse.xml(
                400,
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>EntityTooLarge</Code><Message>Your proposed upload exceeds the simulator's maximum body size (\(maxBodyBytes) bytes).</Message></Error>",
                requestId: "0000000000000000")
            write(Prepared(error), for: head, keepAlive: false, started: started, requestBytes: bodyBytes, context: context)
            return
        }
        if head.uri.hasPrefix("/_sim"), !Self.isLoopback(context.remoteAddress) {
            write(
                Prepared(SimResponse(status: 403, body: Data("The admin API answers loopback clients only.\n".utf8))),
                for: head, keepAlive: false, started: started, requestBytes: bodyBytes, context: context)
            return
        }
        let respond = self.respond
        let requestBytes = body.readableBytes
        let future = threadPool.runIfActive(eventLoop: context.eventLoop) { () -> Prepared in
            // Copies between NIO buffers and Data happen here, off the event loop: bodies can be
            // hundreds of megabytes.
            let data = body.withUnsafeReadableBytes { Data($0) }
            let request = SimRequest(
                method: head.method.rawValue, target: head.uri, headers: head.headers.map { ($0.name, $0.value) }, body: data)
            return Prepared(respond(request))
        }
        future.assumeIsolated().whenComplete { result in
            let prepared: Prepared
            switch result {
            case .success(let answer): prepared = answer
            case .failure:
                prepared = Prepared(SimResponse(status: 503, body: Data("The simulator is shutting down.\n".utf8)))
            }
            let keepAlive = head.isKeepAlive
            if let delay = prepared.response.delay, delay > .zero {
                let nanos = delay.components.seconds * 1_000_000_000 + delay.components.attoseconds / 1_000_000_000
                context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(nanos)) {
                    self.write(prepared, for: head, keepAlive: keepAlive, started: started, requestBytes: requestBytes, context: context)
                }
            } else {
                self.write(prepared, for: head, keepAlive: keepAlive, started: started, requestBytes: requestBytes, context: context)
            }
        }
    }

    /// A response with its body already in a NIO buffer.
    struct Prepared: Sendable {
        var response: SimResponse
        var body: ByteBuffer

        init(_ response: SimResponse) {
            var response = response
            body = ByteBufferAllocator().buffer(capacity: response.body.count)
            body.writeBytes(response.body)
            response.body = Data()
            self.response = response
        }
    }

    private func write(
        _ prepared: Prepared, for request: HTTPRequestHead, keepAlive: Bool, started: ContinuousClock.Instant, requestBytes: Int,
        context: ChannelHandlerContext
    ) {
        let response = prepared.response
        var body = prepared.body
        let isHead = request.method == .HEAD
        let noBody = isHead || response.status == 204 || response.status == 304 || (100..<200).contains(response.status)

        var headers = HTTPHeaders()
        headers.reserveCapacity(response.headers.count + 3)
        var declaredLength: String?
        for (name, value) in response.headers {
            switch name.lowercased() {
            case "content-length": declaredLength = value  // HEAD answers carry the object's length
            case "date", "connection", "transfer-encoding": continue
            default: headers.add(name: name, value: value)
            }
        }
        headers.add(name: "Date", value: date.current())
        if isHead {
            headers.add(name: "Content-Length", value: declaredLength ?? String(body.readableBytes))
        } else if !noBody {
            headers.add(name: "Content-Length", value: String(body.readableBytes))
        }
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        let status = HTTPResponseStatus(statusCode: response.status)
        let responseHead = HTTPResponseHead(version: request.version, status: status, headers: headers)

        accessLog?(
            SimServerAccessLogEntry(
                method: request.method.rawValue, target: request.uri, status: response.status,
                requestId: response.header("x-amz-request-id") ?? response.header("x-amzn-RequestId"),
                requestBytes: requestBytes, responseBytes: body.readableBytes, duration: ContinuousClock.now - started,
                networkFault: response.network))

        switch response.network {
        case .dropConnection?:
            context.close(promise: nil)
        case .resetAfter(let bytes)?:
            context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
            if !noBody, let partial = body.readSlice(length: min(bytes, body.readableBytes)), partial.readableBytes > 0 {
                context.write(wrapOutboundOut(.body(.byteBuffer(partial))), promise: nil)
            }
            let loopBound = context.loopBound
            context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer()))))
                .whenComplete { _ in loopBound.value.close(promise: nil) }
        case nil:
            context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
            if !noBody, body.readableBytes > 0 {
                context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
            }
            if keepAlive {
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            } else {
                let loopBound = context.loopBound
                context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in loopBound.value.close(promise: nil) }
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private static func isLoopback(_ address: SocketAddress?) -> Bool {
        guard let ip = address?.ipAddress else { return false }
        return ip.hasPrefix("127.") || ip == "::1" || ip.hasPrefix("::ffff:127.")
    }
}
