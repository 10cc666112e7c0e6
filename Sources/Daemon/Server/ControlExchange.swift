import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// One request and its response on a connection: the handler call and the writing of its
/// answer, run as a task the connection owns.
///
/// The handler call is shielded from the connection: a client that hangs up after sending
/// `POST …/approvals` does not cancel the approval half-way. What the connection can stop is the
/// iteration of a streamed answer (`wrapUp()`): when the client goes away, the server stops,
/// or the client half-closes. Cancelling the iterating task makes the `AsyncStream` run its
/// `onTermination`, which is how a `status --watch` subscription is released.
final class ControlExchange: Sendable {
    private struct State {
        var task: Task<Void, Never>?
        var streaming = false
        var endRequested = false
    }

    private let state = Mutex(State())

    /// Whether the connection may be reused after this exchange.
    let keepAlive: Bool

    init(keepAlive: Bool) {
        self.keepAlive = keepAlive
    }

    /// Hands the exchange the task running it, so `wrapUp()` can cancel it.
    func attach(_ task: Task<Void, Never>) {
        let cancelNow = state.withLock { state -> Bool in
            state.task = task
            return state.streaming && state.endRequested
        }
        if cancelNow { task.cancel() }
    }

    /// The connection closes after this exchange (the client hung up or half-closed, or the
    /// server is stopping): a streamed answer stops being iterated, now or as soon as the handler
    /// returns one; a full answer is still written, with `Connection: close`.
    func wrapUp() {
        let task = state.withLock { state -> Task<Void, Never>? in
            state.endRequested = true
            return state.streaming ? state.task : nil
        }
        task?.cancel()
    }

    private var isWrappingUp: Bool { state.withLock { $0.endRequested } }

    /// Called by the running task before it iterates a stream; false when the stream should end
    /// at once.
    private func beginStreaming() -> Bool {
        state.withLock { state in
            state.streaming = true
            return !state.endRequested
        }
    }

    /// The body of the exchange's task: ask the handler (unless the server answers itself), write
    /// the answer, and report how it went.
    ///
    /// - Returns: false when a write failed (the client is gone), so the connection closes.
    func perform(
        request: ControlRequest, version: HTTPVersion, prepared: ControlResponse?, handler: any ControlHandler, peer: PeerCredentials,
        channel: any Channel
    ) async -> Bool {
        let response: ControlResponse
        if let prepared {
            response = prepared
        } else {
            // Not a child task on purpose: cancelling the exchange must not cancel the handler.
            response = await Task { await handler.handle(request, peer: peer) }.value
        }
        switch response {
        case .full(let status, let contentType, let body):
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: contentType)
            headers.add(name: "Content-Length", value: String(body.count))
            if !keepAlive || isWrappingUp { headers.add(name: "Connection", value: "close") }
            let head = HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: status), headers: headers)
            channel.write(HTTPServerResponsePart.head(head), promise: nil)
            if !body.isEmpty {
                channel.write(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(bytes: body))), promise: nil)
            }
            do {
                try await channel.writeAndFlush(HTTPServerResponsePart.end(nil))
                return true
            } catch {
                return false
            }

        case .stream(let status, let contentType, let chunks):
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: contentType)
            // HTTP/1.0 has no chunked coding: the end of the stream is the end of the connection.
            let chunked = version.major == 1 && version.minor >= 1
            if chunked {
                headers.add(name: "Transfer-Encoding", value: "chunked")
            }
            if !keepAlive || !chunked { headers.add(name: "Connection", value: "close") }
            // Tell proxies and curl not to buffer: each chunk is an event someone is watching for.
            headers.add(name: "Cache-Control", value: "no-store")
            let head = HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: status), headers: headers)
            var delivered = (try? await channel.writeAndFlush(HTTPServerResponsePart.head(head))) != nil
            if !beginStreaming() || !delivered {
                withUnsafeCurrentTask { $0?.cancel() }
            }
            // On cancellation `next()` returns nil and the stream runs its onTermination.
            for await chunk in chunks where !chunk.isEmpty && delivered {
                do {
                    try await channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(bytes: chunk))))
                } catch {
                    delivered = false
                    withUnsafeCurrentTask { $0?.cancel() }
                }
            }
            guard delivered else { return false }
            do {
                try await channel.writeAndFlush(HTTPServerResponsePart.end(nil))
                return chunked
            } catch {
                return false
            }
        }
    }
}
