import Foundation

/// Token buckets per S3 (bucket, prefix, request class), refilled in real time. Plain value
/// state: `FaultInjector` keeps it under its lock.
struct S3PrefixRateLimiter {
    private struct Partition: Hashable {
        var bucket: String
        var prefix: String
        var isWrite: Bool
    }

    private struct TokenBucket {
        var tokens: Double
        var updated: Date
    }

    let limit: S3RateLimit
    private var buckets: [Partition: TokenBucket] = [:]

    init(limit: S3RateLimit) { self.limit = limit }

    /// Takes one token for this request; false when the partition is over its rate.
    mutating func admit(_ request: SimRequest, now: Date) -> Bool {
        guard let location = FaultTarget.s3Location(request) else { return true }
        let method = request.method
        let prefix = location.key.lastIndex(of: "/").map { String(location.key[...$0]) } ?? ""
        let isWrite = !(method == "GET" || method == "HEAD")
        let rate = isWrite ? limit.writesPerSecond : limit.readsPerSecond
        guard rate > 0 else { return false }
        let capacity = max(1, rate)
        let key = Partition(bucket: location.bucket, prefix: prefix, isWrite: isWrite)
        if buckets.count > 10_000 { pruneFull(now: now) }

        var bucket = buckets[key] ?? TokenBucket(tokens: capacity, updated: now)
        let elapsed = max(0, now.timeIntervalSince(bucket.updated))
        bucket.tokens = min(capacity, bucket.tokens + elapsed * rate)
        bucket.updated = now
        let admitted = bucket.tokens >= 1
        if admitted { bucket.tokens -= 1 }
        buckets[key] = bucket
        return admitted
    }

    /// Forgets partitions that have refilled completely: they behave exactly like new ones.
    private mutating func pruneFull(now: Date) {
        buckets = buckets.filter { key, bucket in
            let rate = key.isWrite ? limit.writesPerSecond : limit.readsPerSecond
            return bucket.tokens + now.timeIntervalSince(bucket.updated) * rate < max(1, rate)
        }
    }
}
