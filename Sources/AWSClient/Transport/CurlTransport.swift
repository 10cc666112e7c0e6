import CCurl
import Foundation
import Synchronization

/// The HTTP transport: libcurl's multi interface driven by one I/O thread.
///
/// Any number of concurrent tasks can each have a request in flight without a thread per request:
/// a submission is queued, the I/O thread adds it to the multi handle (which keeps a connection
/// cache, so keep-alive connections are reused across requests), and the task's continuation is
/// resumed when curl reports the transfer done. Proxies (`HTTPS_PROXY`, `NO_PROXY`) and the system
/// CA bundle are used exactly as curl uses them.
public final class CurlTransport: HTTPTransport {
    /// One transport for the process; its connection cache is shared by every client.
    public static let shared = CurlTransport()

    private let loop: CurlMultiLoop

    /// - Parameter maxConnectionsPerHost: 0 = unlimited; the S3 copy engine keeps hundreds in flight.
    public init(
        maxConnectionsPerHost: Int = 0, maxCachedConnections: Int = 256, userAgent: String = "cutover/0.1",
        proxy: ProxySettings = .fromEnvironment(ProcessInfo.processInfo.environment)
    ) {
        CurlGlobal.initialize()
        self.proxy = proxy
        loop = CurlMultiLoop(maxConnectionsPerHost: maxConnectionsPerHost, maxCachedConnections: maxCachedConnections, userAgent: userAgent)
    }

    public let proxy: ProxySettings

    deinit { loop.shutdown() }

    public func send(_ request: HTTPRequest, timeout: TransportTimeouts) async throws -> HTTPResponse {
        let transfer = try CurlTransfer(request: request, timeout: timeout, userAgent: loop.userAgent, proxy: proxy)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPResponse, Error>) in
                transfer.continuation = continuation
                loop.submit(transfer)
            }
        } onCancel: {
            loop.cancel(transfer)
        }
    }

    /// Transfers currently queued or in flight (for metrics and tests).
    public var inFlight: Int { loop.inFlight }
}

private enum CurlGlobal {
    static let once: Void = { _ = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()
    static func initialize() { _ = once }
}

/// The I/O thread and the multi handle it owns. Only the I/O thread touches curl handles after
/// submission; other threads talk to it through `pending` and `curl_multi_wakeup`.
final class CurlMultiLoop: @unchecked Sendable {
    private struct Pending {
        var added: [CurlTransfer] = []
        var cancelled: [CurlTransfer] = []
        var stopping = false
        var count = 0
    }

    private let multi: UnsafeMutableRawPointer
    private let pending = Mutex(Pending())
    let userAgent: String

    init(maxConnectionsPerHost: Int, maxCachedConnections: Int, userAgent: String) {
        self.userAgent = userAgent
        multi = curl_multi_init()
        _ = cutover_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, maxConnectionsPerHost)
        _ = cutover_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, maxCachedConnections)
        let thread = Thread { [self] in run() }
        thread.name = "cutover-curl"
        thread.start()
    }

    var inFlight: Int { pending.withLock { $0.count } }

    func submit(_ transfer: CurlTransfer) {
        pending.withLock {
            $0.added.append(transfer)
            $0.count += 1
        }
        curl_multi_wakeup(multi)
    }

    func cancel(_ transfer: CurlTransfer) {
        pending.withLock { $0.cancelled.append(transfer) }
        curl_multi_wakeup(multi)
    }

    func shutdown() {
        pending.withLock { $0.stopping = true }
        curl_multi_wakeup(multi)
    }

    private func run() {
        var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]
        while true {
            let (added, cancelled, stopping) = pending.withLock { p -> ([CurlTransfer], [CurlTransfer], Bool) in
                defer {
                    p.added.removeAll()
                    p.cancelled.removeAll()
                }
                return (p.added, p.cancelled, p.stopping)
            }
            for transfer in added {
                if transfer.isCancelled {
                    finish(transfer, .failure(CancellationError()))
                    continue
                }
                active[transfer.easy] = transfer
                curl_multi_add_handle(multi, transfer.easy)
            }
            for transfer in cancelled {
                transfer.isCancelled = true
                if active.removeValue(forKey: transfer.easy) != nil {
                    curl_multi_remove_handle(multi, transfer.easy)
                    finish(transfer, .failure(CancellationError()))
                }
            }
            if stopping {
                for (_, transfer) in active {
                    curl_multi_remove_handle(multi, transfer.easy)
                    finish(transfer, .failure(TransportError(kind: .other, message: "transport shut down", url: transfer.url)))
                }
                curl_multi_cleanup(multi)
                return
            }
            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            var left: Int32 = 0
            while let message = curl_multi_info_read(multi, &left) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
                let code = message.pointee.data.result
                guard let transfer = active.removeValue(forKey: easy) else { continue }
                curl_multi_remove_handle(multi, easy)
                finish(transfer, transfer.outcome(code))
            }
            curl_multi_poll(multi, nil, 0, Self.pollTimeout(multi, transfers: active.count), nil)
        }
    }

    /// How long the I/O thread may sleep in `curl_multi_poll`. With transfers in flight, what
    /// libcurl asks for (at most a second); idle, an hour: new work, a cancel and the stop all
    /// call `curl_multi_wakeup`, which ends the wait at once (and is not lost if it comes before
    /// the wait), so an idle daemon's transport does not wake once a second for nothing.
    static func pollTimeout(_ multi: UnsafeMutableRawPointer, transfers: Int) -> Int32 {
        guard transfers > 0 else { return 3_600_000 }
        var suggested = -1
        curl_multi_timeout(multi, &suggested)
        return suggested < 0 ? 1000 : Int32(min(suggested, 1000))
    }

    private func finish(_ transfer: CurlTransfer, _ result: Result<HTTPResponse, Error>) {
        pending.withLock { $0.count -= 1 }
        transfer.complete(result)
    }
}
