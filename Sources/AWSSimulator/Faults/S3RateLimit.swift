/// The request rate S3 sustains per partitioned prefix before answering 503 `SlowDown`.
///
/// AWS documents at least 3,500 PUT/COPY/POST/DELETE and 5,500 GET/HEAD requests per second per
/// partitioned prefix (S3UG optimizing-performance). Real S3 partitions adaptively, and a new
/// prefix may throttle sooner while it scales; the simulator models the documented steady state:
/// one token bucket per (bucket, key prefix up to the last `/`) and request class, refilled in
/// real time, holding at most one second of requests.
public struct S3RateLimit: Sendable, Equatable, Codable {
    /// PUT, POST and DELETE requests (CopyObject and UploadPartCopy are PUTs) per second.
    public var writesPerSecond: Double
    /// GET and HEAD requests per second.
    public var readsPerSecond: Double

    public init(writesPerSecond: Double = 3500, readsPerSecond: Double = 5500) {
        self.writesPerSecond = writesPerSecond
        self.readsPerSecond = readsPerSecond
    }

    /// The documented per-prefix rates.
    public static let documented = S3RateLimit()
}
