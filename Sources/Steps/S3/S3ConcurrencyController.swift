/// How many copy requests the copy engine keeps in flight, adapted to what S3 answers: AIMD, the
/// shape TCP uses to find a path's capacity.
///
/// - Starts at `initial` (64 by default).
/// - Grows by a quarter after every round (as many completions as the limit) in which no
///   request was throttled and the round's mean latency stayed within `latencyTolerance` of the
///   best round seen: more requests in flight then means more copies per second, not a queue.
/// - Holds while latency is above that (S3 or the network is queueing; more would not help).
/// - Halves on throttling (`SlowDown`, 503) — once per `cooldown`, because the requests already
///   in flight when the first throttle arrives were sent at the old rate and will be throttled
///   too; counting each of them would collapse the limit to the floor.
/// - Never leaves `floor...ceiling` (`ceiling` up to 1,024, the runbook's `maxConcurrency`).
///
/// A pure value: time is passed in by the caller (a monotonic clock in the copier, a virtual one
/// in the tests), so every decision can be replayed.
struct S3ConcurrencyController: Sendable, Equatable {
    /// The most a runbook may ask for.
    static let maximumCeiling = 1_024

    let floor: Int
    let ceiling: Int
    /// A round may be this much slower than the best round and still count as "latency holds".
    let latencyTolerance: Double
    let cooldown: Duration

    /// Requests allowed in flight now.
    private(set) var limit: Int
    private(set) var halvings = 0
    private(set) var peak: Int
    private(set) var throttled = 0

    private var roundCompletions = 0
    private var roundLatency: Duration = .zero
    private var roundThrottled = false
    private var bestRoundLatency: Duration?
    private var lastHalving: Duration?

    init(initial: Int = 64, floor: Int = 4, ceiling: Int = 1_024, latencyTolerance: Double = 1.5, cooldown: Duration = .seconds(1)) {
        self.ceiling = min(max(ceiling, 1), Self.maximumCeiling)
        self.floor = min(max(floor, 1), self.ceiling)
        self.limit = min(max(initial, self.floor), self.ceiling)
        self.peak = limit
        self.latencyTolerance = latencyTolerance
        self.cooldown = cooldown
    }

    /// One request finished after `latency`; `throttled` when S3 throttled it (on any attempt,
    /// including ones the client retried). `now` is the caller's monotonic time. `signalled`:
    /// the throttle was already reported when it happened (`throttleSignalled`), so this only
    /// counts the copy: halving again for it would punish one event twice.
    mutating func record(latency: Duration, throttled wasThrottled: Bool, now: Duration, signalled: Bool = false) {
        if wasThrottled {
            throttled += 1
            if !signalled { throttleSignalled(now: now) }
            return
        }
        roundCompletions += 1
        roundLatency += latency
        guard roundCompletions >= limit else { return }
        let mean = roundLatency / roundCompletions
        let best = min(bestRoundLatency ?? mean, mean)
        bestRoundLatency = best
        let coolingDown = lastHalving.map { now - $0 < cooldown } ?? false
        if !roundThrottled && !coolingDown && mean <= best * latencyTolerance {
            limit = min(ceiling, limit + max(1, limit / 4))
            peak = max(peak, limit)
        }
        startRound()
    }

    /// S3 throttled a request just now, before the client retried it: halve at once (once per
    /// `cooldown`), and no growth from the round it fell in.
    mutating func throttleSignalled(now: Duration) {
        roundThrottled = true
        if lastHalving.map({ now - $0 >= cooldown }) ?? true {
            limit = max(floor, limit / 2)
            halvings += 1
            lastHalving = now
            startRound()
        }
    }

    private mutating func startRound() {
        roundCompletions = 0
        roundLatency = .zero
        roundThrottled = false
    }
}
