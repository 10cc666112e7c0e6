import Foundation
import Synchronization

/// Decides, per request, whether to inject a fault: the rules added at run time (errors,
/// broken connections, latency; by probability or schedule) and, for S3, the per-prefix
/// request-rate limit.
///
/// Every random draw comes from a generator seeded from the injector's seed (or the rule's own),
/// one generator per rule, so a run reproduces exactly as long as each rule sees the same
/// sequence of matching requests. Safe to call from any thread.
public final class FaultInjector: Sendable {
    private struct ActiveRule {
        var rule: FaultRule
        var random: SimRandom
        var matched = 0
        var injected = 0
    }

    private struct State {
        var rules: [ActiveRule] = []
        var nextNumber = 1
        var limiter: S3PrefixRateLimiter?
        var counters = FaultCounters()
    }

    private let seed: UInt64
    private let state = Mutex(State())

    public init(seed: UInt64) { self.seed = seed }

    // MARK: Rules

    /// Adds a rule after the existing ones and returns it with its `id` (assigned when nil).
    /// - Throws: `FaultRuleError` when the rule is not usable (see `FaultRule.problems`) or its
    ///   id is already taken.
    @discardableResult
    public func addRule(_ rule: FaultRule) throws(FaultRuleError) -> FaultRule {
        let problems = rule.problems
        guard problems.isEmpty else { throw FaultRuleError(problems.joined(separator: "; ")) }
        return try state.withLock { s throws(FaultRuleError) -> FaultRule in
            var rule = rule
            if rule.id == nil {
                repeat {
                    rule.id = "rule-\(s.nextNumber)"
                    s.nextNumber += 1
                } while s.rules.contains { $0.rule.id == rule.id }
            } else if s.rules.contains(where: { $0.rule.id == rule.id }) {
                throw FaultRuleError("a rule with id \"\(rule.id ?? "")\" already exists; remove it first or choose another id")
            }
            let ruleSeed = rule.seed ?? (seed ^ Self.stableHash(rule.id ?? ""))
            s.rules.append(ActiveRule(rule: rule, random: SimRandom(seed: ruleSeed)))
            return rule
        }
    }

    /// Removes one rule; false when no rule has this id.
    @discardableResult
    public func removeRule(id: String) -> Bool {
        state.withLock { s in
            let before = s.rules.count
            s.rules.removeAll { $0.rule.id == id }
            return s.rules.count != before
        }
    }

    /// Removes every rule (the counters and the rate limit stay).
    public func clearRules() {
        state.withLock { $0.rules.removeAll() }
    }

    /// The rules in the order they are consulted, with their match and injection counts.
    public var rules: [FaultRuleStatus] {
        state.withLock { s in s.rules.map { FaultRuleStatus(rule: $0.rule, matched: $0.matched, injected: $0.injected) } }
    }

    /// What has been injected so far, by kind.
    public var counters: FaultCounters { state.withLock { $0.counters } }

    public func resetCounters() {
        state.withLock { $0.counters = FaultCounters() }
    }

    // MARK: Rate limit

    /// Turns the S3 per-prefix request-rate limit on (with fresh, full token buckets) or off (nil).
    /// Off by default.
    public func setRateLimit(_ limit: S3RateLimit?) {
        state.withLock { $0.limiter = limit.map(S3PrefixRateLimiter.init(limit:)) }
    }

    public var rateLimit: S3RateLimit? { state.withLock { $0.limiter?.limit } }

    // MARK: Deciding

    /// The fault for one authenticated request, or nil to serve it normally.
    ///
    /// Rules are consulted in order; every matching rule counts the request (so schedules count
    /// matching requests whatever other rules do). Latency from every firing latency rule adds
    /// up; the first firing error or connection rule wins. S3 requests then take a token from
    /// their prefix's bucket when the rate limit is on; if none is left and no rule already
    /// failed the request, the answer is 503 `SlowDown`. `realNow` is wall-clock time: the rate
    /// limit is about real request rates, whatever the simulated clock's scale.
    public func decide(request: SimRequest, service: String, operation: String, realNow: Date) -> FaultDecision? {
        var resourceCache: [String]?
        func resources() -> [String] {
            if let resourceCache { return resourceCache }
            let found = FaultTarget.resources(of: request, service: service)
            resourceCache = found
            return found
        }
        let isS3 = service.lowercased() == "s3"

        return state.withLock { s -> FaultDecision? in
            var decision = FaultDecision()
            var decided = false
            for index in s.rules.indices {
                guard s.rules[index].rule.matches(service: service, operation: operation, resources: resources) else { continue }
                s.rules[index].matched += 1
                guard Self.fires(&s.rules[index]) else { continue }
                switch s.rules[index].rule.effect {
                case .latency(let extra):
                    decision.delay = (decision.delay ?? .zero) + extra
                    s.counters.delayed += 1
                    s.rules[index].injected += 1
                    continue
                case .internalError where !decided:
                    decision.error = InjectedError.internalError(service: service)
                    s.counters.internalErrors += 1
                case .throttling where !decided:
                    decision.error = InjectedError.throttling(service: service)
                    s.counters.throttles += 1
                case .error(let error) where !decided:
                    decision.error = error
                    s.counters.otherErrors += 1
                case .resetAfter(let bytes) where !decided:
                    decision.network = .resetAfter(bodyBytes: bytes)
                    s.counters.resets += 1
                case .dropConnection where !decided:
                    decision.network = .dropConnection
                    s.counters.drops += 1
                default:
                    continue  // an earlier rule already decided the outcome; this one did not fire
                }
                decided = true
                s.rules[index].injected += 1
            }
            if isS3 {
                // Optional chaining mutates the limiter in place (no copy of its buckets).
                let admitted = s.limiter?.admit(request, now: realNow) ?? true
                if !admitted, !decided {
                    decision.error = InjectedError.slowDown
                    decided = true
                    s.counters.rateLimited += 1
                }
            }
            return decided || decision.delay != nil ? decision : nil
        }
    }

    /// Advances a matching rule's schedule or draws its probability.
    private static func fires(_ active: inout ActiveRule) -> Bool {
        switch active.rule.trigger {
        case .always: return true
        case .probability(let p):
            // 53 random bits → uniform in [0, 1).
            let draw = Double(active.random.next() >> 11) / Double(1 << 53)
            return draw < p
        case .requests(let range): return range.contains(active.matched)
        case .every(let k): return active.matched % k == 0
        }
    }

    /// FNV-1a: a hash that is the same in every process (Swift's `hashValue` is not).
    static func stableHash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }
}
