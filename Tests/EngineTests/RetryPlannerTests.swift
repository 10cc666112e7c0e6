import Engine
import Foundation
import Runbook
import Testing

@Suite struct RetryPlannerTests {
    let start = Date(timeIntervalSince1970: 1_000_000)
    let throttled = StepError(code: "Throttling", message: "slow down", retryable: true)

    func delays(_ policy: RetryPolicy, failures: Int, error: StepError? = nil) -> [Double?] {
        (1...failures).map { attempt in
            let now = start.addingTimeInterval(Double(attempt - 1) * 10)
            switch RetryPlanner.verdict(
                policy: policy, error: error ?? throttled, attemptInBudget: attempt,
                budgetStartedAt: start, now: now, jitterSeed: 42)
            {
            case let .retry(at): return at.timeIntervalSince(now)
            case .exhausted: return nil
            }
        }
    }

    @Test func exponentialBackoffDoublesUpToItsCap() {
        let policy = RetryPolicy(
            backoff: .exponential(initial: .seconds(1), multiplier: 2, cap: .seconds(8), jitter: false),
            maxAttempts: 7)
        #expect(delays(policy, failures: 7) == [1, 2, 4, 8, 8, 8, nil])
    }

    @Test func fullJitterStaysUnderTheCeilingAndIsReproducible() {
        let backoff = RetryPolicy.Backoff.exponential(initial: .seconds(1), multiplier: 2, cap: .seconds(20), jitter: true)
        for attempt in 1...10 {
            let ceiling = min(20, pow(2, Double(attempt - 1)))
            let a = RetryPlanner.delay(backoff, afterAttempt: attempt, seed: 7)
            #expect(a >= 0 && a <= ceiling)
            #expect(a == RetryPlanner.delay(backoff, afterAttempt: attempt, seed: 7))
        }
        let spread = Set((1...10).map { RetryPlanner.delay(backoff, afterAttempt: 5, seed: UInt64($0)) })
        #expect(spread.count > 5)
    }

    @Test func maxAttemptsCountsTheFirstAttempt() {
        let policy = RetryPolicy(backoff: .fixed(interval: .seconds(5)), maxAttempts: 3)
        #expect(delays(policy, failures: 3) == [5, 5, nil])
    }

    @Test func maxElapsedStopsAnAttemptThatWouldStartAfterTheDeadline() {
        let policy = RetryPolicy(backoff: .fixed(interval: .seconds(10)), maxElapsed: .seconds(30))
        // Attempts fail at 0, 10, 20, 30 s; the one after 30 s would start at 40 s, past the deadline.
        #expect(delays(policy, failures: 4) == [10, 10, 10, nil])
    }

    @Test func onlyListedCodesRetryWhenACodeListIsGiven() {
        let policy = RetryPolicy(backoff: .fixed(interval: .seconds(1)), maxAttempts: 5, retryOn: ["OperationAborted"])
        #expect(delays(policy, failures: 1) == [nil])
        let aborted = StepError(code: "OperationAborted", message: "conflict", retryable: false)
        #expect(delays(policy, failures: 1, error: aborted) == [1])
    }

    @Test func nonRetryableErrorsStopAtOnceWithoutACodeList() {
        let policy = RetryPolicy(backoff: .fixed(interval: .seconds(1)), maxAttempts: 5)
        let denied = StepError(code: "AccessDenied", message: "no", retryable: false)
        guard
            case let .exhausted(reason) = RetryPlanner.verdict(
                policy: policy, error: denied, attemptInBudget: 1, budgetStartedAt: start, now: start, jitterSeed: 0)
        else {
            Issue.record("retried a non-retryable error")
            return
        }
        #expect(reason.contains("AccessDenied"))
    }
}
