import Foundation

/// Seeding and inspection without requests: what `Simulator`'s S3 API (Simulator+S3.swift) and
/// tests that drive `S3Service` directly use to build a world and read it back.
extension S3State {
    /// Creates `name` for `account` as CreateBucket would, bypassing the request rules (name
    /// holds, region checks). `modernDefaults` applies what S3 gives every bucket created since
    /// 2023 (SSE-S3, Block Public Access, BucketOwnerEnforced); pass false for a legacy bucket
    /// that has none of them configured.
    @discardableResult
    public mutating func seedBucket(
        _ name: String, account: String, region: String = "us-east-1", created: Date, versioning: S3Bucket.Versioning = .unversioned,
        objectLock: Bool = false, policy: String? = nil, modernDefaults: Bool = true,
        configurations: [S3BucketConfiguration: String] = [:]
    ) throws(SimError) -> S3Bucket {
        guard S3BucketName.isValid(name) else { throw S3BucketName.invalid(name) }
        if let existing = buckets[name], existing.owner != account {
            throw SimError("BucketAlreadyExists", "The requested bucket name is not available.", status: 409, resource: name)
        }
        var bucket = S3Bucket(
            name: name, owner: account, region: region, created: created,
            configurations: modernDefaults ? S3BucketConfiguration.newBucketDefaults() : [:])
        bucket.versioning = objectLock ? .enabled : versioning
        bucket.objectLockEnabled = objectLock
        for (kind, document) in configurations where kind != .policy && kind != .versioning {
            bucket.configurations[kind] = document
            if kind == .objectLock, let root = S3XMLElement.parse(Data(document.utf8)) { bucket.applyLockConfiguration(root) }
        }
        try bucket.setPolicy(policy ?? configurations[.policy])
        buckets[name] = bucket
        return bucket
    }

    /// Writes one object version as PutObject would (a new version on versioned buckets, the
    /// `null` version otherwise), owned by the bucket owner. `body` may be `.synthetic(size:)` for
    /// objects that only need a size. `checksumSHA256` stores the SHA-256 of real bytes.
    @discardableResult
    public mutating func seedObject(
        bucket name: String, key: String, body: S3ObjectBody, write: S3ObjectWrite = S3ObjectWrite(), checksumSHA256: Bool = false,
        at time: Date
    ) throws(SimError) -> S3StoredVersion {
        try modify(name) { bucket throws(SimError) in
            var write = write
            S3Service.applyDefaultEncryption(&write, bucket)
            var checksums: [String: String] = [:]
            if checksumSHA256, case .bytes(let data) = body { checksums["SHA256"] = Data(S3Digest.sha256(data)).base64EncodedString() }
            let version = S3StoredVersion(
                key: key, versionId: bucket.versioning == .enabled ? bucket.newVersionId() : "null", lastModified: time,
                ownerAccount: bucket.owner, body: body, write: write, checksums: checksums,
                checksumType: checksums.isEmpty ? nil : "FULL_OBJECT")
            bucket.append(version)
            return version
        }
    }

    /// Adds a delete marker on `key`, as DeleteObject without a version does on a versioned bucket.
    @discardableResult
    public mutating func seedDeleteMarker(bucket name: String, key: String, at time: Date) throws(SimError) -> S3StoredVersion {
        try modify(name) { bucket throws(SimError) in
            guard bucket.versioning != .unversioned else {
                throw S3Errors.invalidRequest("Delete markers exist only in versioned buckets", name)
            }
            let marker = S3StoredVersion(
                key: key, versionId: bucket.versioning == .enabled ? bucket.newVersionId() : "null", isDeleteMarker: true,
                lastModified: time, ownerAccount: bucket.owner, eTag: "")
            bucket.append(marker)
            return marker
        }
    }

    /// Sets a bucket's versioning state (as PutBucketVersioning).
    public mutating func setVersioning(bucket name: String, _ versioning: S3Bucket.Versioning) throws(SimError) {
        try modify(name) { bucket in bucket.versioning = versioning }
    }

    /// Replaces a bucket's policy (nil removes it); `MalformedPolicy` as PutBucketPolicy.
    public mutating func setPolicy(bucket name: String, _ policy: String?) throws(SimError) {
        try modify(name) { bucket throws(SimError) in try bucket.setPolicy(policy) }
    }

    /// Schedules a third party to take `bucket` at `at` (or as soon as its hold ends after
    /// that), so a later CreateBucket from anyone else gets `BucketAlreadyExists`.
    public mutating func scheduleNameSnipe(bucket: String, byAccount account: String, at: Date, region: String = "us-east-1") {
        scheduleSnipe(NameSnipe(bucket: bucket, account: account, at: at, region: region))
    }

    /// The bucket as of `now` (a due snipe applied).
    public mutating func bucket(_ name: String, now: Date) -> S3Bucket? {
        settle(name, now: now)
        return buckets[name]
    }
}
