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
///
/// Bulk requests (`HTTPRequest.bulk`: the S3 copy's CopyObject) take the direct HTTP/1.1 lane on
/// the same I/O thread and epoll set instead (`DirectExchange`, CCurl's direct.c), when it can
/// carry them as curl would; `CUTOVER_DIRECT_HTTP=off` sends everything through curl.
public final class CurlTransport: HTTPTransport {
    /// One transport for the process; its connection cache is shared by every client.
    public static let shared = CurlTransport()

    private let loop: CurlMultiLoop

    /// - Parameters:
    ///   - maxConnectionsPerHost: 0 = unlimited; the S3 copy engine keeps hundreds in flight.
    ///   - directLane: whether bulk requests (`HTTPRequest.bulk`) may take the direct HTTP/1.1
    ///     lane (`DirectExchange`); by default yes unless `CUTOVER_DIRECT_HTTP=off`, the switch
    ///     back to libcurl for everything should the lane ever misbehave somewhere.
    public init(
        maxConnectionsPerHost: Int = 0, maxCachedConnections: Int = 256, userAgent: String = "cutover/0.1",
        proxy: ProxySettings = .fromEnvironment(ProcessInfo.processInfo.environment),
        directLane: Bool = ProcessInfo.processInfo.environment["CUTOVER_DIRECT_HTTP"] != "off"
    ) {
        CurlGlobal.initialize()
        self.proxy = proxy
        loop = CurlMultiLoop(
            maxConnectionsPerHost: maxConnectionsPerHost, maxCachedConnections: maxCachedConnections, userAgent: userAgent,
            directLane: directLane, caBundle: proxy.caBundle)
    }

    public let proxy: ProxySettings

    deinit { loop.shutdown() }

    public func send(_ request: HTTPRequest, timeout: TransportTimeouts) async throws -> HTTPResponse {
        if loop.directLane, let target = DirectExchange.target(of: request, proxy: proxy) {
            let exchange = DirectExchange(request: request, target: target, timeout: timeout, userAgent: loop.userAgent)
            return try await withTaskCancellationHandler {
                try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<HTTPResponse, Error>) in
                    exchange.answer.wait(continuation)
                    loop.submit(exchange)
                }
            } onCancel: {
                loop.cancel(exchange)
            }
        }
        let transfer = try CurlTransfer(
            request: request, timeout: timeout, userAgent: loop.userAgent, proxy: proxy, pool: loop.handles)
        return try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<HTTPResponse, Error>) in
                transfer.answer.wait(continuation)
                loop.submit(transfer)
            }
        } onCancel: {
            loop.cancel(transfer)
        }
    }

    /// Transfers currently queued or in flight (for metrics and tests).
    public var inFlight: Int { loop.inFlight }

    /// Easy handles waiting in the pool for the next request (for tests).
    var pooledHandles: Int { loop.handles.idleCount }

    /// The I/O thread as a task executor: work that does little but send requests (the S3 copy's
    /// workers) runs there with no thread hop per request (see `CurlMultiLoop.enqueue`).
    public var taskExecutor: (any TaskExecutor)? { loop }

    /// Jobs the I/O thread has run as a task executor since start-up (for metrics and tests).
    public var executorJobsRun: Int { loop.jobsRun }

    /// Submissions not yet taken by the I/O thread, and how many times it has taken its queue
    /// (for tests: a lost wake-up shows as a queue that stays full while the count stands still).
    var submissionQueue: (waiting: Int, taken: Int) { loop.submissionQueue }

    /// Whether the caller runs on this transport's I/O thread (for tests).
    var callerIsOnIOThread: Bool { loop.isCurrentThread }

    /// epoll_ctl calls for sockets, and events on idle keep-alive sockets, so far (for tests).
    var socketCounters: (epollChanges: Int, idleEvents: Int) { loop.socketCounters }

    /// The direct lane's connections opened, requests sent on a reused connection, requests sent
    /// again after a reused connection turned out closed, and idle connections now (for tests).
    var directCounters: (opened: Int, reused: Int, resent: Int, idle: Int) { loop.directCounters }
}

private enum CurlGlobal {
    static let once: Void = { _ = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()
    static func initialize() { _ = once }
}

/// The I/O thread and the multi handle it owns. Only the I/O thread touches curl handles after
/// submission; other threads talk to it through `pending` and the loop's wake-up.
///
/// The thread runs libcurl's socket interface on epoll (`cutover_curl_loop_run_once`, in CCurl):
/// each wake-up drives only the transfers whose socket is ready or whose timer expired. With
/// `curl_multi_perform` + `curl_multi_poll` every wake-up walked all transfers in flight (and
/// rebuilt the poll set from them), which at 64–512 concurrent copies was most of the daemon's
/// CPU per request (issue 19's profile).
///
/// The loop is also a `TaskExecutor`. A task that prefers it (the S3 copy's workers) runs on the
/// I/O thread: its request is queued without a wake-up, and when curl finishes the transfer the
/// task's continuation is enqueued here and runs in the same turn of the loop. Without it every
/// request crossed threads twice (a wake-up of the I/O thread, then of a pool thread to resume
/// the task), which in issue 19's profile was about a tenth of the daemon's CPU per copied object
/// in context switches alone. Such tasks must not block: a blocked job stalls every transfer.
final class CurlMultiLoop: TaskExecutor, @unchecked Sendable {
    private struct Pending {
        var added: [CurlTransfer] = []
        var cancelled: [CurlTransfer] = []
        var addedDirect: [DirectExchange] = []
        var cancelledDirect: [DirectExchange] = []
        var stopping = false
        var count = 0
        /// The I/O thread found nothing queued and is in (or about to enter) its wait: the next
        /// submission must wake it. While it is awake it takes the queue before it waits again,
        /// so a submission then needs no wake-up (a write, and an extra turn of the loop, each).
        var sleeping = false
        /// A wake-up was written during this wait: further submissions need not write another.
        var woken = false
        /// Jobs of tasks that prefer this loop as their executor, waiting for the I/O thread.
        var jobs: [UnownedJob] = []
        /// The thread has exited: jobs go to the global executor instead.
        var stopped = false
        /// Times the I/O thread has taken the queues (for tests).
        var taken = 0
    }

    private let multi: UnsafeMutableRawPointer
    private let events: OpaquePointer?
    private let pending = Mutex(Pending())
    let userAgent: String
    /// Easy handles of finished transfers, reset and ready for the next request.
    let handles = CurlEasyHandlePool()

    /// Bulk requests may take the direct lane (it needs the epoll loop).
    let directLane: Bool

    init(maxConnectionsPerHost: Int, maxCachedConnections: Int, userAgent: String, directLane: Bool, caBundle: String?) {
        self.userAgent = userAgent
        multi = curl_multi_init()
        _ = cutover_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, maxConnectionsPerHost)
        _ = cutover_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, maxCachedConnections)
        events = cutover_curl_loop_create(multi)
        self.directLane = directLane && events != nil
        // Before the I/O thread starts: the lane is the thread's alone afterwards.
        if self.directLane, let events { cutover_direct_set_ca_file(events, caBundle) }
        let thread = Thread { [self] in
            // Named from inside: Foundation's `Thread.name`, set before `start()`, never reached
            // the kernel here, so `top -H` and perf showed dispatch's name for this thread.
            cutover_name_this_thread(Self.threadName)
            run()
        }
        thread.name = Self.threadName
        thread.start()
    }

    var inFlight: Int { pending.withLock { $0.count } }

    var submissionQueue: (waiting: Int, taken: Int) { pending.withLock { ($0.added.count, $0.taken) } }

    /// The I/O thread's name, as `top -H`, perf and gdb show it (at most 15 bytes).
    static let threadName = "cutover-curl"

    /// The calling thread's name as the kernel keeps it (for tests).
    static func currentThreadName() -> String {
        var buffer = [CChar](repeating: 0, count: 32)
        cutover_this_thread_name(&buffer, buffer.count)
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    var socketCounters: (epollChanges: Int, idleEvents: Int) {
        guard let events else { return (0, 0) }
        var changes: UInt64 = 0
        var idle: UInt64 = 0
        cutover_curl_loop_counters(events, &changes, &idle)
        return (Int(changes), Int(idle))
    }

    /// Jobs run as a task executor (only the I/O thread writes it).
    private let jobCount = Atomic<Int>(0)
    var jobsRun: Int { jobCount.load(ordering: .relaxed) }

    /// The I/O thread, once it runs.
    private let thread = Mutex<pthread_t?>(nil)
    var isCurrentThread: Bool { thread.withLock { $0.map { pthread_equal($0, pthread_self()) != 0 } ?? false } }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let (mustWake, stopped) = pending.withLock { p -> (Bool, Bool) in
            guard !p.stopped else { return (false, true) }
            p.jobs.append(job)
            guard (p.sleeping && !p.woken) || events == nil else { return (false, false) }
            p.woken = true
            return (true, false)
        }
        // After the thread has gone (a transport shut down), its jobs still run, elsewhere.
        if stopped { globalConcurrentExecutor.enqueue(ExecutorJob(job)) }
        if mustWake { wake() }
    }

    func submit(_ transfer: CurlTransfer) {
        // At most one wake-up per wait, and none while the I/O thread is awake: it looks at the
        // queue under this lock before it waits (see `run`), so nothing queued is left behind.
        let mustWake = pending.withLock { p -> Bool in
            p.added.append(transfer)
            p.count += 1
            // The portable loop (no epoll) does not track its wait: there, always wake.
            guard (p.sleeping && !p.woken) || events == nil else { return false }
            p.woken = true
            return true
        }
        if mustWake { wake() }
    }

    func cancel(_ transfer: CurlTransfer) {
        pending.withLock { $0.cancelled.append(transfer) }
        wake()
    }

    func submit(_ exchange: DirectExchange) {
        let mustWake = pending.withLock { p -> Bool in
            p.addedDirect.append(exchange)
            p.count += 1
            guard p.sleeping && !p.woken else { return false }
            p.woken = true
            return true
        }
        if mustWake { wake() }
    }

    func cancel(_ exchange: DirectExchange) {
        pending.withLock { $0.cancelledDirect.append(exchange) }
        wake()
    }

    var directCounters: (opened: Int, reused: Int, resent: Int, idle: Int) {
        guard let events, directLane else { return (0, 0, 0, 0) }
        var opened: UInt64 = 0
        var reused: UInt64 = 0
        var resent: UInt64 = 0
        var idle: UInt64 = 0
        cutover_direct_counters(events, &opened, &reused, &resent, &idle)
        return (Int(opened), Int(reused), Int(resent), Int(idle))
    }

    func shutdown() {
        pending.withLock { $0.stopping = true }
        wake()
    }

    private func wake() {
        if let events { cutover_curl_loop_wake(events) } else { curl_multi_wakeup(multi) }
    }

    private func run() {
        var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]
        // Swapped with the shared queues under the lock, so taking a batch allocates nothing.
        var added: [CurlTransfer] = []
        var cancelled: [CurlTransfer] = []
        var addedDirect: [DirectExchange] = []
        var cancelledDirect: [DirectExchange] = []
        var jobs: [UnownedJob] = []
        let executor = asUnownedTaskExecutor()
        thread.withLock { $0 = pthread_self() }
        while true {
            // Tasks first: what they submit is taken below, in this same turn.
            pending.withLock { p in
                p.sleeping = false
                p.woken = false
                swap(&jobs, &p.jobs)
            }
            if !jobs.isEmpty {
                for job in jobs { job.runSynchronously(on: executor) }
                jobCount.add(jobs.count, ordering: .relaxed)
                jobs.removeAll(keepingCapacity: true)
            }
            let stopping = pending.withLock { p -> Bool in
                swap(&added, &p.added)
                swap(&cancelled, &p.cancelled)
                swap(&addedDirect, &p.addedDirect)
                swap(&cancelledDirect, &p.cancelledDirect)
                p.taken &+= 1
                return p.stopping
            }
            for transfer in added {
                if transfer.isCancelled {
                    finish(transfer, .failure(CancellationError()))
                    continue
                }
                active[transfer.easy] = transfer
                // Its connection sockets are the loop's: kept in the epoll set between requests.
                if let events { cutover_curl_loop_adopt(events, transfer.easy) }
                curl_multi_add_handle(multi, transfer.easy)
            }
            added.removeAll(keepingCapacity: true)
            for transfer in cancelled {
                transfer.isCancelled = true
                if active.removeValue(forKey: transfer.easy) != nil {
                    curl_multi_remove_handle(multi, transfer.easy)
                    finish(transfer, .failure(CancellationError()))
                }
            }
            cancelled.removeAll(keepingCapacity: true)
            if let events {
                for exchange in addedDirect { start(exchange, on: events) }
                addedDirect.removeAll(keepingCapacity: true)
                for exchange in cancelledDirect {
                    exchange.isCancelled = true
                    if let handle = exchange.handle { cutover_direct_cancel(events, handle) }
                }
                cancelledDirect.removeAll(keepingCapacity: true)
            }
            if stopping {
                for (_, transfer) in active {
                    curl_multi_remove_handle(multi, transfer.easy)
                    finish(transfer, .failure(TransportError(kind: .other, message: "transport shut down", url: transfer.url)))
                }
                if let events {
                    cutover_direct_fail_all(events, "transport shut down")
                    finishDirectExchanges(events)
                }
                curl_multi_cleanup(multi)
                cutover_curl_loop_destroy(events)
                // Jobs enqueued since the last turn (the tasks just failed above among them)
                // run on the global executor; later ones go there directly (`enqueue`).
                let left = pending.withLock { p -> [UnownedJob] in
                    p.stopped = true
                    defer { p.jobs = [] }
                    return p.jobs
                }
                for job in left { globalConcurrentExecutor.enqueue(ExecutorJob(job)) }
                return
            }
            var running: Int32 = 0
            if let events {
                // Mark the wait under the lock and look at the queue in the same critical
                // section: a submission either came before (and is seen here: no wait) or after
                // (and sees `sleeping`, so it writes the eventfd, which ends the wait). No
                // wake-up is lost between this check and epoll_wait.
                // The direct lane's exchanges need no backstop: run_once waits for their deadlines.
                let limit = Self.waitLimit(transfers: active.count)
                let wait = pending.withLock { p -> Int32 in
                    guard p.added.isEmpty, p.cancelled.isEmpty, p.addedDirect.isEmpty, p.cancelledDirect.isEmpty, p.jobs.isEmpty,
                        !p.stopping
                    else { return 0 }
                    p.sleeping = true
                    return limit
                }
                if cutover_curl_loop_run_once(events, wait) < 0 {
                    usleep(1_000)  // epoll failed (it does not, short of a bug): do not spin
                }
                finishDirectExchanges(events)
            } else {
                curl_multi_perform(multi, &running)
            }
            var left: Int32 = 0
            while let message = curl_multi_info_read(multi, &left) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
                let code = message.pointee.data.result
                guard let transfer = active.removeValue(forKey: easy) else { continue }
                curl_multi_remove_handle(multi, easy)
                finish(transfer, transfer.outcome(code))
            }
            if events == nil {
                // No epoll (not Linux): the portable loop, which walks every transfer per wake-up.
                curl_multi_poll(multi, nil, 0, Self.pollTimeout(multi, transfers: active.count), nil)
            }
        }
    }

    /// `curl_multi_poll`'s wait in the portable loop: what libcurl asks for, at most `waitLimit`.
    static func pollTimeout(_ multi: UnsafeMutableRawPointer, transfers: Int) -> Int32 {
        let limit = waitLimit(transfers: transfers)
        guard transfers > 0 else { return limit }
        var suggested = -1
        curl_multi_timeout(multi, &suggested)
        return suggested < 0 ? limit : Int32(min(suggested, Int(limit)))
    }

    /// The longest the I/O thread waits when curl has no timer running. With transfers in
    /// flight, a second (curl sets a timer for everything it waits on; this is a backstop);
    /// idle, an hour: new work, a cancel and the stop all wake the loop at once (and a wake-up
    /// that comes before the wait is not lost), so an idle daemon's transport does not wake once a
    /// second for nothing.
    static func waitLimit(transfers: Int) -> Int32 {
        transfers > 0 ? 1000 : 3_600_000
    }

    /// Hands `exchange` to the direct lane (on the I/O thread); it may finish at once.
    private func start(_ exchange: DirectExchange, on events: OpaquePointer) {
        if exchange.isCancelled {
            finish(exchange, .failure(CancellationError()))
            return
        }
        let context = Unmanaged.passRetained(exchange).toOpaque()
        let handle = exchange.target.host.withCString { host in
            exchange.bytes.withUnsafeBufferPointer { bytes in
                var request = cutover_direct_request(
                    host: host, port: Int32(exchange.target.port), tls: exchange.target.tls ? 1 : 0, bytes: bytes.baseAddress,
                    length: bytes.count, head_only: exchange.headOnly ? 1 : 0,
                    connect_timeout_ms: CurlTransfer.milliseconds(exchange.timeout.connect),
                    timeout_ms: CurlTransfer.milliseconds(exchange.timeout.total), context: context)
                return cutover_direct_start(events, &request)
            }
        }
        guard let handle else {
            Unmanaged<DirectExchange>.fromOpaque(context).release()
            finish(exchange, .failure(TransportError(kind: .other, message: "out of memory starting a request", url: exchange.url)))
            return
        }
        exchange.handle = handle
    }

    /// Resumes every exchange the direct lane finished (on the I/O thread).
    private func finishDirectExchanges(_ events: OpaquePointer) {
        while let done = cutover_direct_next_finished(events) {
            let exchange = Unmanaged<DirectExchange>.fromOpaque(cutover_direct_context(done)).takeRetainedValue()
            var result = cutover_direct_result()
            cutover_direct_result_of(done, &result)
            let outcome = exchange.outcome(result)
            exchange.handle = nil
            cutover_direct_free(done)
            finish(exchange, outcome)
        }
    }

    private func finish(_ exchange: DirectExchange, _ result: Result<HTTPResponse, Error>) {
        pending.withLock { $0.count -= 1 }
        exchange.complete(result)
    }

    private func finish(_ transfer: CurlTransfer, _ result: Result<HTTPResponse, Error>) {
        pending.withLock { $0.count -= 1 }
        transfer.complete(result)
    }
}
