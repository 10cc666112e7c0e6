import AWSClient
import Foundation

/// Sends notifications to every configured target that wants their kind, off the engine's path.
///
/// `notify` never waits for a delivery: it puts the notification on a bounded queue and returns.
/// One worker task, started with the first notification and ended by `drain(timeout:)`, takes
/// them off in order and delivers each to its targets concurrently. A target that fails, times
/// out or refuses is logged (target, kind, run, HTTP status, code) and counted in
/// `cutover_notifications_total{outcome="failed"}`; nothing is thrown back and nothing is retried,
/// since a late "approval needed" is worse than a missing one and the state is always in
/// `cutoverctl status`. When the queue is full (targets slower than the engine), further
/// notifications are dropped, logged and counted as `dropped`.
public actor Notifier {
    /// Enough for every step of a large runbook to fail at once without dropping anything.
    public static let defaultCapacity = 256

    /// Builds the AWS client for one SNS topic (the daemon's credentials, the SNS endpoint, the
    /// topic's region); nil skips that topic, with an error in the log.
    public typealias SNSClientFactory = @Sendable (DaemonConfig.SNSTarget) -> AWSClient?

    private var targets: [any NotificationTarget]
    private var access: DaemonConfig.Access
    private let sns: SNSClientFactory?
    private let transport: any HTTPTransport
    private let log: DaemonLog
    private let metrics: DaemonMetrics
    private let queue: AsyncStream<CutoverNotification>
    private let continuation: AsyncStream<CutoverNotification>.Continuation
    private var worker: Task<Void, Never>?
    /// Ends when the worker has returned; unlike `worker.value`, waiting on it stops on cancellation,
    /// so `drain` keeps its deadline even if a target ignores cancellation.
    private let workerDone: AsyncStream<Void>
    private let workerDoneContinuation: AsyncStream<Void>.Continuation
    private var draining = false
    /// The one drain; later callers wait for its answer.
    private var drainResult: Task<Bool, Never>?

    /// A notifier for the given targets (tests, or targets built elsewhere).
    public init(
        targets: [any NotificationTarget], log: DaemonLog, metrics: DaemonMetrics, capacity: Int = Notifier.defaultCapacity
    ) {
        self.targets = targets
        self.access = DaemonConfig.Access()
        self.sns = nil
        self.transport = CurlTransport.shared
        self.log = log
        self.metrics = metrics
        (queue, continuation) = AsyncStream.makeStream(
            of: CutoverNotification.self, bufferingPolicy: .bufferingOldest(max(1, capacity)))
        (workerDone, workerDoneContinuation) = AsyncStream.makeStream(of: Void.self)
    }

    /// The targets `configuration` lists: webhooks named `webhook:HOST`, topics `sns:TOPIC` (with
    /// `#2`, `#3` … when two share a name).
    ///
    /// - Parameters:
    ///   - access: whose groups the messages name as the ones to act.
    ///   - sns: the client for each SNS topic; without it SNS topics are skipped (logged).
    public init(
        configuration: DaemonConfig.Notifications, access: DaemonConfig.Access = DaemonConfig.Access(), log: DaemonLog,
        metrics: DaemonMetrics, sns: SNSClientFactory? = nil, transport: any HTTPTransport = CurlTransport.shared,
        capacity: Int = Notifier.defaultCapacity
    ) {
        self.targets = Self.targets(configuration, access: access, sns: sns, transport: transport, log: log)
        self.access = access
        self.sns = sns
        self.transport = transport
        self.log = log
        self.metrics = metrics
        (queue, continuation) = AsyncStream.makeStream(
            of: CutoverNotification.self, bufferingPolicy: .bufferingOldest(max(1, capacity)))
        (workerDone, workerDoneContinuation) = AsyncStream.makeStream(of: Void.self)
    }

    /// The names of the current targets, in configuration order.
    public var targetNames: [String] { targets.map(\.name) }

    /// Queues `notification` for every target that wants it and returns without waiting for any
    /// delivery.
    public func notify(_ notification: CutoverNotification) {
        let wanting = targets.filter { $0.wants(notification) }
        guard !wanting.isEmpty else { return }
        guard !draining else { return dropped(notification, wanting, reason: "the notifier is stopping") }
        switch continuation.yield(notification) {
        case .enqueued: break
        case .dropped: dropped(notification, wanting, reason: "the notification queue is full")
        case .terminated: dropped(notification, wanting, reason: "the notifier has stopped")
        @unknown default: dropped(notification, wanting, reason: "the notification queue refused it")
        }
        if worker == nil {
            let done = workerDoneContinuation
            worker = Task {
                await self.deliverQueued()
                done.finish()
            }
        }
    }

    /// Replaces the targets (SIGHUP, `POST /v1/reload`). Notifications already queued go to the new
    /// targets.
    public func reconfigure(_ configuration: DaemonConfig.Notifications, access: DaemonConfig.Access? = nil) {
        if let access { self.access = access }
        targets = Self.targets(configuration, access: self.access, sns: sns, transport: transport, log: log)
        log.info("notification targets reconfigured", ["targets": targets.map(\.name).joined(separator: ",")])
    }

    /// Stops taking notifications and waits up to `timeout` for the queued ones to be delivered;
    /// deliveries still running then are cancelled. Returns whether everything queued was
    /// delivered (or failed) in time.
    @discardableResult
    public func drain(timeout: Duration) async -> Bool {
        if let drainResult { return await drainResult.value }
        draining = true
        continuation.finish()
        guard let worker else { return true }
        let done = workerDone
        let log = self.log
        let result = Task {
            let finished = await withTaskGroup(of: Bool.self) { group in
                group.addTask {
                    for await _ in done {}
                    return !Task.isCancelled
                }
                group.addTask {
                    try? await Task.sleep(for: timeout)
                    return false
                }
                let first = await group.next() ?? false
                group.cancelAll()
                return first
            }
            if !finished {
                worker.cancel()
                log.warning("notifications still being delivered at shutdown were cancelled", ["waited": "\(timeout)"])
            }
            return finished
        }
        drainResult = result
        return await result.value
    }

    private func deliverQueued() async {
        for await notification in queue {
            await deliver(notification, to: targets.filter { $0.wants(notification) })
            if Task.isCancelled { break }
        }
    }

    private func deliver(_ notification: CutoverNotification, to wanting: [any NotificationTarget]) async {
        let log = self.log
        let metrics = self.metrics
        await withTaskGroup(of: Void.self) { group in
            for target in wanting {
                group.addTask {
                    do throws(NotificationDeliveryError) {
                        try await target.deliver(notification)
                        metrics.notification(target: target.name, outcome: "sent")
                        log.debug(
                            "notification sent",
                            ["target": target.name, "kind": notification.kind.rawValue, "run": notification.runId])
                    } catch {
                        metrics.notification(target: target.name, outcome: "failed")
                        log.warning(
                            "notification not delivered",
                            [
                                "target": target.name, "kind": notification.kind.rawValue, "run": notification.runId,
                                "status": error.status.map(String.init) ?? "none", "code": error.code,
                                "reason": error.message, "request_id": error.requestId ?? "",
                            ])
                    }
                }
            }
        }
    }

    private func dropped(_ notification: CutoverNotification, _ wanting: [any NotificationTarget], reason: String) {
        for target in wanting { metrics.notification(target: target.name, outcome: "dropped") }
        log.warning(
            "notification dropped",
            [
                "kind": notification.kind.rawValue, "run": notification.runId,
                "targets": wanting.map(\.name).joined(separator: ","), "reason": reason,
            ])
    }

    private static func targets(
        _ configuration: DaemonConfig.Notifications, access: DaemonConfig.Access, sns: SNSClientFactory?,
        transport: any HTTPTransport, log: DaemonLog
    ) -> [any NotificationTarget] {
        var names = NameRegister()
        var targets: [any NotificationTarget] = configuration.webhooks.map { webhook in
            WebhookTarget(webhook, name: names.unique(WebhookTarget.defaultName(for: webhook.url)), access: access, transport: transport)
        }
        for topic in configuration.sns {
            let name = names.unique(SNSNotificationTarget.defaultName(for: topic.topicArn))
            guard let client = sns?(topic) else {
                log.error("SNS notification target skipped: no AWS client for it", ["target": name, "topicArn": topic.topicArn])
                continue
            }
            targets.append(SNSNotificationTarget(topic, name: name, access: access, client: client))
        }
        return targets
    }
}

/// Hands out `name`, `name#2`, `name#3`, … so two targets on one host stay apart in metrics.
private struct NameRegister {
    private var seen: [String: Int] = [:]

    mutating func unique(_ name: String) -> String {
        let count = (seen[name] ?? 0) + 1
        seen[name] = count
        return count == 1 ? name : "\(name)#\(count)"
    }
}
