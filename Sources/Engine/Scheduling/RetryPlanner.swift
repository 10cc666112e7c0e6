import Foundation
import Runbook

/// Decides, purely, whether a failed attempt is retried and when. The due time it returns is
/// journaled with the failure, so a restart never recomputes (or resets) it.
public enum RetryPlanner {
    public enum Verdict: Sendable, Equatable {
        case retry(at: Date)
        case exhausted(reason: String)
    }

    /// - Parameters:
    ///   - attemptInBudget: 1 for the first attempt of the current budget.
    ///   - budgetStartedAt: when that first attempt started.
    ///   - jitterSeed: makes full jitter reproducible for the same run, step and attempt.
    public static func verdict(
        policy: RetryPolicy, error: StepError, attemptInBudget: Int, budgetStartedAt: Date, now: Date,
        jitterSeed: UInt64
    ) -> Verdict {
        let retryable = policy.retryOn.isEmpty ? error.retryable : policy.retryOn.contains(error.code)
        guard retryable else { return .exhausted(reason: "\(error.code) is not retryable") }
        if let maxAttempts = policy.maxAttempts, attemptInBudget >= maxAttempts {
            return .exhausted(reason: "\(attemptInBudget) of \(maxAttempts) attempts used")
        }
        let next = now.addingTimeInterval(delay(policy.backoff, afterAttempt: attemptInBudget, seed: jitterSeed))
        if let maxElapsed = policy.maxElapsed {
            let deadline = budgetStartedAt.addingTimeInterval(maxElapsed.timeInterval)
            if next > deadline {
                return .exhausted(
                    reason: "\(attemptInBudget) attempts over \(RunbookDuration.format(maxElapsed)); the next would pass the deadline")
            }
        }
        return .retry(at: next)
    }

    /// Seconds to wait after the `attempt`-th failure.
    public static func delay(_ backoff: RetryPolicy.Backoff, afterAttempt attempt: Int, seed: UInt64) -> TimeInterval {
        switch backoff {
        case let .fixed(interval):
            return interval.timeInterval
        case let .exponential(initial, multiplier, cap, jitter):
            let exponent = Double(max(0, attempt - 1))
            let ceiling = min(cap.timeInterval, initial.timeInterval * pow(max(multiplier, 1), exponent))
            guard jitter else { return ceiling }
            var generator = SplitMix64(seed: seed &+ UInt64(attempt))
            return Double.random(in: 0...ceiling, using: &generator)
        }
    }
}

/// A tiny seeded generator: jitter must be reproducible in tests and after restarts.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension String {
    /// A stable 64-bit hash (FNV-1a) for seeding: Swift's `hashValue` changes per process.
    var stableHash: UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        return hash
    }
}
