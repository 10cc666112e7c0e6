/// How the client retries, following the AWS SDKs' "standard" mode (botocore `retries/standard.py`):
/// at most 3 attempts, exponential backoff with full jitter capped at 20 s, and a retry quota
/// shared by all calls of a client so an outage does not become a retry storm.
public struct RetryConfiguration: Sendable, Equatable {
    /// Total attempts including the first (1 = never retry).
    public var maxAttempts: Int
    /// Cap for one backoff delay.
    public var maxBackoff: Duration
    /// Base of the exponential backoff (delay = random(0…1) · min(base · 2^(attempt−1), maxBackoff)).
    public var baseDelay: Duration
    /// Start size of the retry quota bucket; 0 disables the quota.
    public var quotaCapacity: Int

    public init(maxAttempts: Int = 3, maxBackoff: Duration = .seconds(20), baseDelay: Duration = .seconds(1), quotaCapacity: Int = 500) {
        self.maxAttempts = max(1, maxAttempts)
        self.maxBackoff = maxBackoff
        self.baseDelay = baseDelay
        self.quotaCapacity = quotaCapacity
    }

    public static let standard = RetryConfiguration()
    /// One attempt only: for moto (a retried 500 can hide state corruption there) and for callers
    /// that run their own loop, like the bucket re-create.
    public static let disabled = RetryConfiguration(maxAttempts: 1)

    /// Reads `AWS_MAX_ATTEMPTS` as the SDKs do; other values keep their defaults.
    public static func fromEnvironment(_ environment: [String: String]) -> RetryConfiguration {
        var config = RetryConfiguration.standard
        if let raw = environment["AWS_MAX_ATTEMPTS"], let n = Int(raw), n >= 1 { config.maxAttempts = n }
        return config
    }
}
