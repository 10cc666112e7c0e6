import Foundation

/// The simulated S3: one global bucket namespace for every account (S3UG gpbucketnamespaces),
/// names held after deletion, and names a third party will take once they are free.
public struct S3State: Sendable {
    /// A deleted bucket's name, unavailable to everyone until `until` (KC-409; aws/aws-cli#2593).
    public struct NameHold: Sendable, Equatable {
        public var bucket: String
        public var formerOwner: String
        public var deletedAt: Date
        public var until: Date
    }

    /// Someone else creating a name as soon as it is free: from `at` (and once any hold is
    /// over) the name belongs to `account`, so a later CreateBucket gets `BucketAlreadyExists`.
    public struct NameSnipe: Sendable, Equatable {
        public var bucket: String
        public var account: String
        public var at: Date
        public var region: String
    }

    public internal(set) var buckets: [String: S3Bucket] = [:]
    public internal(set) var nameHolds: [String: NameHold] = [:]
    public internal(set) var snipes: [String: NameSnipe] = [:]
    /// A DeleteBucket that succeeded.
    public struct Deletion: Sendable, Equatable {
        public var bucket: String
        public var account: String
        public var at: Date
    }

    /// Every DeleteBucket that succeeded, in order.
    public internal(set) var deletions: [Deletion] = []
    public init() {}

    /// Brings one name up to date with `now`: ends an expired hold and lets a scheduled snipe
    /// take the name. Called before anything looks at a bucket, so time needs no background work.
    mutating func settle(_ name: String, now: Date) {
        if let hold = nameHolds[name], now >= hold.until { nameHolds[name] = nil }
        guard let snipe = snipes[name], now >= snipe.at, nameHolds[name] == nil else { return }
        snipes[name] = nil
        guard buckets[name] == nil else { return }
        buckets[name] = S3Bucket(
            name: name, owner: snipe.account, region: snipe.region, created: snipe.at,
            configurations: S3BucketConfiguration.newBucketDefaults())
    }

    /// The hold on `name` in force at `now`, if any.
    func hold(on name: String, at now: Date) -> NameHold? {
        guard let hold = nameHolds[name], now < hold.until else { return nil }
        return hold
    }

    mutating func addBucket(_ bucket: S3Bucket) { buckets[bucket.name] = bucket }

    mutating func removeBucket(_ name: String, by account: String, at now: Date, hold: TimeInterval) {
        buckets[name] = nil
        deletions.append(Deletion(bucket: name, account: account, at: now))
        if hold > 0 { nameHolds[name] = NameHold(bucket: name, formerOwner: account, deletedAt: now, until: now.addingTimeInterval(hold)) }
    }

    mutating func scheduleSnipe(_ snipe: NameSnipe) { snipes[snipe.bucket] = snipe }

    /// Changes one bucket in place (no copy of its objects). Throws `NoSuchBucket`.
    @discardableResult
    mutating func modify<T>(_ name: String, _ body: (inout S3Bucket) throws(SimError) -> T) throws(SimError) -> T {
        guard buckets[name] != nil else { throw S3Errors.noSuchBucket(name) }
        return try body(&buckets[name]!)
    }
}
