import Foundation

/// Seeding and inspecting the simulated S3 without requests (for the demo world, for tests'
/// arrange and assert steps). Everything runs under the world lock and at the simulator's
/// current simulated time.
extension Simulator {
    /// Creates a bucket owned by `account` (see `S3State.seedBucket`). Region defaults to the
    /// simulator's.
    @discardableResult
    public func seedBucket(
        _ name: String, account: String, region: String? = nil, versioning: S3Bucket.Versioning = .unversioned,
        objectLock: Bool = false, policy: String? = nil, modernDefaults: Bool = true,
        configurations: [S3BucketConfiguration: String] = [:]
    ) throws(SimError) -> S3Bucket {
        let now = clock.now()
        let region = region ?? configuration.region
        return try withState { state in
            Result { () throws(SimError) in
                try state.s3.seedBucket(
                    name, account: account, region: region, created: now, versioning: versioning, objectLock: objectLock, policy: policy,
                    modernDefaults: modernDefaults, configurations: configurations)
            }
        }.get()
    }

    /// Writes an object version with real bytes.
    @discardableResult
    public func seedObject(
        bucket: String, key: String, body: Data, write: S3ObjectWrite = S3ObjectWrite(), checksumSHA256: Bool = false
    ) throws(SimError) -> S3StoredVersion {
        try seedObject(bucket: bucket, key: key, content: .bytes(body), write: write, checksumSHA256: checksumSHA256)
    }

    /// Writes an object version with a declared size and no bytes held (e.g. a 6 GiB source for
    /// the 5 GB CopyObject limit).
    @discardableResult
    public func seedSyntheticObject(
        bucket: String, key: String, size: Int64, write: S3ObjectWrite = S3ObjectWrite()
    ) throws(SimError) -> S3StoredVersion {
        try seedObject(bucket: bucket, key: key, content: .synthetic(size: size), write: write, checksumSHA256: false)
    }

    private func seedObject(
        bucket: String, key: String, content: S3ObjectBody, write: S3ObjectWrite, checksumSHA256: Bool
    ) throws(SimError) -> S3StoredVersion {
        let now = clock.now()
        return try withState { state in
            Result { () throws(SimError) in
                try state.s3.seedObject(bucket: bucket, key: key, body: content, write: write, checksumSHA256: checksumSHA256, at: now)
            }
        }.get()
    }

    /// Adds a delete marker on `key` of a versioned bucket.
    @discardableResult
    public func seedDeleteMarker(bucket: String, key: String) throws(SimError) -> S3StoredVersion {
        let now = clock.now()
        return try withState { state in
            Result { () throws(SimError) in try state.s3.seedDeleteMarker(bucket: bucket, key: key, at: now) }
        }.get()
    }

    /// Replaces a bucket's policy (nil removes it).
    public func setBucketPolicy(_ bucket: String, _ policy: String?) throws(SimError) {
        try withState { state in Result { () throws(SimError) in try state.s3.setPolicy(bucket: bucket, policy) } }.get()
    }

    /// Schedules a third party (`account`) to create `bucket` at simulated time `at`, or as soon
    /// as the name's hold ends after that: the cutover's CreateBucket then gets `BucketAlreadyExists`.
    public func scheduleNameSnipe(bucket: String, byAccount account: String, at: Date, region: String? = nil) {
        let region = region ?? configuration.region
        withState { $0.s3.scheduleNameSnipe(bucket: bucket, byAccount: account, at: at, region: region) }
    }

    /// The bucket as it is now (nil when it does not exist).
    public func bucket(_ name: String) -> S3Bucket? {
        let now = clock.now()
        return withState { $0.s3.bucket(name, now: now) }
    }

    /// Every bucket, by name.
    public var buckets: [S3Bucket] {
        withState { state in state.s3.buckets.values.sorted { $0.name < $1.name } }
    }

    /// The current version of `key` (possibly a delete marker), or one named version.
    public func object(bucket: String, key: String, versionId: String? = nil) -> S3StoredVersion? {
        withState { state in
            guard let found = state.s3.buckets[bucket] else { return nil }
            return versionId.map { found.version(key, $0) } ?? found.current(key)
        }
    }

    /// Every version and delete marker of `key`, oldest first.
    public func objectVersions(bucket: String, key: String) -> [S3StoredVersion] {
        withState { $0.s3.buckets[bucket]?.versions(of: key) ?? [] }
    }

    /// A bucket configuration document as stored (nil when not configured).
    public func bucketConfiguration(_ kind: S3BucketConfiguration, bucket: String) -> String? {
        withState { $0.s3.buckets[bucket]?.configurations[kind] }
    }

    /// The hold on a deleted bucket's name, if one is in force now.
    public func nameHold(on bucket: String) -> S3State.NameHold? {
        let now = clock.now()
        return withState { $0.s3.hold(on: bucket, at: now) }
    }

    /// True while CreateBucket of `bucket` would answer `OperationAborted`.
    public func isNameHeld(_ bucket: String) -> Bool { nameHold(on: bucket) != nil }
}

extension Simulator {
    /// Seeds a bucket with its objects (see `S3BucketSeed`, the admin endpoint's `buckets` entries).
    @discardableResult
    public func seed(_ bucket: S3BucketSeed) throws(SimError) -> S3Bucket {
        let now = clock.now()
        let region = configuration.region
        return try withState { state in
            Result { () throws(SimError) in try state.s3.apply(bucket, defaultRegion: region, now: now) }
        }.get()
    }
}
