import Metrics
import Synchronization

/// One client's `cutover_aws_call_duration_seconds` timers, made once per operation and outcome
/// and reused for every call.
///
/// Why: a swift-metrics `Timer` built per call costs its dimension array, the factory's lock
/// and a handler object, and the bulk copy makes thousands of calls per second through one
/// client with a handful of distinct operations. A timer is bound to the metrics factory that
/// made it; cutoverd bootstraps its factory once at start-up, before any client exists.
final class AWSCallTimers: Sendable {
    private struct Pair: @unchecked Sendable {
        var ok: Timer?
        var error: Timer?
    }

    private let service: String
    private let timers = Mutex<[String: Pair]>([:])

    init(service: String) {
        self.service = service
    }

    /// The timer for `operation`'s calls that ended `ok` (or in an error).
    func timer(operation: String, ok: Bool) -> Timer {
        if let cached = timers.withLock({ ok ? $0[operation]?.ok : $0[operation]?.error }) { return cached }
        let made = Timer(
            label: "cutover_aws_call_duration_seconds",
            dimensions: [("service", service), ("operation", operation), ("outcome", ok ? "ok" : "error")])
        return timers.withLock { timers in
            var pair = timers[operation] ?? Pair()
            // Another call may have made it meanwhile: keep the first, so one series has one handler.
            if let raced = ok ? pair.ok : pair.error { return raced }
            if ok { pair.ok = made } else { pair.error = made }
            timers[operation] = pair
            return made
        }
    }
}
