import Synchronization

/// The standard mode's retry quota (botocore `retries/quota.py`): a bucket of tokens that every
/// retry draws from (5, or 10 after a timeout) and every success refills (1, or the retry's cost
/// when the call succeeded after retrying). When it runs dry, calls stop retrying until successes
/// refill it — so a sick endpoint sees the first attempts, not three times the load.
public final class RetryQuota: Sendable {
    public static let retryCost = 5
    public static let timeoutRetryCost = 10
    public static let noRetryIncrement = 1

    private let capacity: Int
    private let available: Mutex<Int>

    public init(capacity: Int) {
        self.capacity = capacity
        self.available = Mutex(capacity)
    }

    /// Takes the cost of one retry; returns the amount taken, or nil when the quota is exhausted.
    public func acquire(timeout: Bool) -> Int? {
        guard capacity > 0 else { return 0 }
        let cost = timeout ? Self.timeoutRetryCost : Self.retryCost
        return available.withLock { value in
            guard value >= cost else { return nil }
            value -= cost
            return cost
        }
    }

    /// Records a success; `refund` is what the retries of this call took (0 if none).
    public func release(refund: Int) {
        guard capacity > 0 else { return }
        available.withLock { $0 = min(capacity, $0 + (refund > 0 ? refund : Self.noRetryIncrement)) }
    }

    public var remaining: Int { available.withLock { $0 } }
}
