import Runbook

/// How the copy engine paces itself. The defaults suit AWS; tests shorten the backoff.
public struct S3CopyTuning: Sendable, Equatable {
    /// Copy requests in flight when the runbook does not say (`with.concurrency`).
    public static let defaultConcurrency = 64
    /// The adaptive concurrency's ceiling when the runbook does not say (`with.maxConcurrency`).
    public static let defaultMaxConcurrency = 512
    /// CopyObject's own limit: 5 GiB in one request.
    public static let copyObjectLimit: Int64 = 5 * 1024 * 1024 * 1024

    /// Extra rounds per object after the client's own retries gave up on a throttling or 5xx
    /// answer, before the step fails (retryably) and the engine's retry policy takes over.
    public var objectRetries: Int
    /// First backoff of those rounds; doubles each round, full jitter.
    public var backoffBase: Duration
    public var backoffCap: Duration
    /// Objects above this are copied with UploadPartCopy (CopyObject's limit is 5 GB).
    public var multipartThreshold: Int64
    /// Part size for UploadPartCopy (raised when 10,000 parts would not hold the object).
    public var partSize: Int64
    /// Objects at most this big are downloaded and hashed when S3 holds no full-object SHA-256
    /// for them; bigger ones without a stored checksum fail verification (say so, never skip).
    public var maxLocalHashSize: Int64
    /// Prefixes listed at once (ListObjectsV2 with a delimiter, `listAllObjectsInParallel`).
    public var listingParallelism: Int = 16

    public init(
        objectRetries: Int = 5, backoffBase: Duration = .milliseconds(200), backoffCap: Duration = .seconds(20),
        multipartThreshold: Int64 = 5 * 1024 * 1024 * 1024, partSize: Int64 = 512 * 1024 * 1024,
        maxLocalHashSize: Int64 = 512 * 1024 * 1024
    ) {
        self.objectRetries = objectRetries
        self.backoffBase = backoffBase
        self.backoffCap = backoffCap
        self.multipartThreshold = multipartThreshold
        self.partSize = partSize
        self.maxLocalHashSize = maxLocalHashSize
    }

    public static let standard = S3CopyTuning()

    /// The delay before retry round `round` (1-based).
    func backoff(round: Int) -> Duration {
        let base = backoffBase.timeInterval * Double(1 << min(max(round - 1, 0), 16))
        let ceiling = min(base, backoffCap.timeInterval)
        return .milliseconds(Int64(Double.random(in: 0...ceiling) * 1000))
    }
}
