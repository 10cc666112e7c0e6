import Foundation

/// A bucket to seed, as the admin endpoint's `buckets` section can take it (JSON):
///
/// ```json
/// {"name": "popinfo-assets", "account": "111111111111", "region": "us-east-1",
///  "versioning": "Enabled", "objectLock": false, "policy": "{…}",
///  "objects": [{"key": "a.txt", "text": "hello", "tags": {"team": "web"}, "metadata": {"origin": "x"}},
///              {"key": "big.bin", "size": 6442450944}],
///  "generated": {"count": 1000, "prefix": "data/", "size": 1024, "versions": 2, "tags": {"tier": "gold"}}}
/// ```
///
/// `generated` writes `count` objects `prefix00000…` of `size` deterministic bytes (or, with
/// `sizes`, object N gets `sizes[N % sizes.count]` bytes), each with `versions` versions
/// (versioned buckets) — the demo's "bucket of N objects of mixed sizes with tags and versions".
/// `groups` holds more such sets, each with its own prefix (a rehearsal twin's prefixes).
public struct S3BucketSeed: Sendable, Decodable, Equatable {
    public struct Object: Sendable, Decodable, Equatable {
        public var key: String
        /// UTF-8 content; or `size` for a synthetic object with no bytes held.
        public var text: String?
        public var size: Int64?
        public var contentType: String?
        public var tags: [String: String]?
        public var metadata: [String: String]?
        public var storageClass: String?
        /// A canned ACL (`public-read`, `authenticated-read`, `private`, …), expanded as S3 does.
        public var acl: String?
        /// Explicit grants, added after the owner's full control.
        public var grants: [GrantSeed]?
    }

    /// `{"account": "333333333333", "permission": "READ"}` (that account's canonical user) or
    /// `{"group": "AllUsers", "permission": "READ"}` (`AllUsers`, `AuthenticatedUsers`, `LogDelivery`).
    public struct GrantSeed: Sendable, Decodable, Equatable {
        public var account: String?
        public var group: String?
        public var permission: String
    }

    public struct Generated: Sendable, Decodable, Equatable {
        public var count: Int
        public var prefix: String?
        public var size: Int?
        /// Sizes used in turn, object by object (mixed sizes); overrides `size`.
        public var sizes: [Int]?
        public var versions: Int?
        public var tags: [String: String]?
        /// Spreads the keys over this many sub-prefixes (`prefix` + `007/` + number, object N
        /// under `N % prefixes`): a bucket listed prefix by prefix in parallel.
        public var prefixes: Int?
        /// Storage classes by object count, given out in key order (classes sorted by name); the
        /// rest `STANDARD` — a twin bucket's class mix (`GLACIER` objects included).
        public var storageClasses: [String: Int]?
        /// With `tags`: only the first `tagged` objects carry them (all when absent).
        public var tagged: Int?
        /// ACL grants beyond the owner's full control, set after another on the first objects in
        /// key order (`count` objects each) — a twin's public and other-account grants.
        public var grantSets: [GrantSet]?
    }

    public struct GrantSet: Sendable, Decodable, Equatable {
        public var count: Int
        public var grants: [GrantSeed]
    }

    /// An S3 Inventory configuration (`S3InventoryConfiguration`) and whether to write its report
    /// at seeding (default true), as S3's last scheduled run would have: into `destination`, which
    /// the seed must also create (in any order).
    public struct InventorySeed: Sendable, Decodable, Equatable {
        public var id: String
        public var destination: String
        public var destinationAccount: String?
        public var prefix: String?
        public var includedObjectVersions: String?
        public var optionalFields: [String]?
        public var frequency: String?
        public var format: String?
        public var report: Bool?

        public var configuration: S3InventoryConfiguration {
            S3InventoryConfiguration(
                id: id, destinationBucket: destination, destinationAccount: destinationAccount, destinationPrefix: prefix,
                format: format ?? "CSV", includedObjectVersions: includedObjectVersions ?? "Current",
                optionalFields: optionalFields ?? ["Size", "LastModifiedDate", "StorageClass", "ETag"], frequency: frequency ?? "Daily")
        }
    }

    public var name: String
    public var account: String
    public var region: String?
    /// `Enabled` or `Suspended`; absent for an unversioned bucket.
    public var versioning: String?
    public var objectLock: Bool?
    public var policy: String?
    /// False for a bucket from before 2023 (no default encryption, BPA or ownership controls).
    public var modernDefaults: Bool?
    /// Object Ownership: `BucketOwnerEnforced` (the default since April 2023), `BucketOwnerPreferred`
    /// or `ObjectWriter`; with `ObjectWriter`/`BucketOwnerPreferred` Block Public Access is off
    /// unless `blockPublicAccess` says otherwise (a bucket set up for public object ACLs).
    public var ownership: String?
    /// Bucket-level Block Public Access, all four flags; default on for modern buckets.
    public var blockPublicAccess: Bool?
    /// Sub-resource documents by query name (`cors`, `lifecycle`, `publicAccessBlock`, …), stored
    /// verbatim as PUT would (a twin's configurations as discovered).
    public var configurations: [String: String]?
    /// S3 Inventory configurations, with their reports.
    public var inventory: [InventorySeed]?
    public var objects: [Object]?
    public var generated: Generated?
    /// More generated sets, each with its own prefix and sizes: a twin bucket's contents by
    /// top-level prefix (`cutoverctl rehearse`).
    public var groups: [Generated]?

    public init(
        name: String, account: String, region: String? = nil, versioning: String? = nil, objectLock: Bool? = nil,
        policy: String? = nil, modernDefaults: Bool? = nil, objects: [Object]? = nil, generated: Generated? = nil
    ) {
        self.name = name
        self.account = account
        self.region = region
        self.versioning = versioning
        self.objectLock = objectLock
        self.policy = policy
        self.modernDefaults = modernDefaults
        self.objects = objects
        self.generated = generated
    }
}

extension S3State {
    /// Applies a bucket seed at `now`; the bucket region defaults to `defaultRegion`.
    @discardableResult
    public mutating func apply(_ seed: S3BucketSeed, defaultRegion: String, now: Date) throws(SimError) -> S3Bucket {
        let versioning: S3Bucket.Versioning
        switch seed.versioning {
        case nil: versioning = .unversioned
        case "Enabled"?: versioning = .enabled
        case "Suspended"?: versioning = .suspended
        case let other?: throw S3Errors.invalidArgument("versioning must be Enabled or Suspended, not \(other)", seed.name)
        }
        var configurations: [S3BucketConfiguration: String] = [:]
        for (name, document) in seed.configurations ?? [:] {
            guard let kind = S3BucketConfiguration(rawValue: name) else {
                throw S3Errors.invalidArgument("unknown bucket configuration \(name)", seed.name)
            }
            configurations[kind] = document
        }
        try seedBucket(
            seed.name, account: seed.account, region: seed.region ?? defaultRegion, created: now, versioning: versioning,
            objectLock: seed.objectLock ?? false, policy: seed.policy, modernDefaults: seed.modernDefaults ?? true,
            configurations: configurations)
        try applyOwnership(seed)
        for inventory in seed.inventory ?? [] {
            try modify(seed.name) { $0.inventoryConfigurations[inventory.id] = inventory.configuration.document }
        }
        func tags(_ map: [String: String]?) -> [S3TagPair] {
            (map ?? [:]).sorted { $0.key < $1.key }.map { S3TagPair(key: $0.key, value: $0.value) }
        }
        for object in seed.objects ?? [] {
            let body: S3ObjectBody = object.size.map { .synthetic(size: $0) } ?? .bytes(Data((object.text ?? "").utf8))
            let write = S3ObjectWrite(
                contentType: object.contentType, metadata: object.metadata ?? [:], tags: tags(object.tags),
                storageClass: object.storageClass ?? "STANDARD")
            try seedObject(bucket: seed.name, key: object.key, body: body, write: write, checksumSHA256: true, at: now)
            if object.acl != nil || object.grants != nil {
                try seedObjectGrants(bucket: seed.name, key: object.key, try Self.seedGrants(object, bucket: buckets[seed.name]!))
            }
        }
        for generated in (seed.generated.map { [$0] } ?? []) + (seed.groups ?? []) {
            let prefix = generated.prefix ?? "object-"
            let sizes = (generated.sizes.flatMap { $0.isEmpty ? nil : $0 } ?? [generated.size ?? 64]).map { max(0, $0) }
            for index in 0..<max(0, generated.count) {
                let spread = (generated.prefixes ?? 1) > 1 ? String(format: "%03d/", index % generated.prefixes!) : ""
                let key = prefix + spread + String(format: "%05d", index)
                let size = sizes[index % sizes.count]
                let objectTags = index < (generated.tagged ?? Int.max) ? tags(generated.tags) : []
                let storageClass = Self.nth(index, of: generated.storageClasses ?? [:]) ?? "STANDARD"
                for version in 0..<max(1, generated.versions ?? 1) {
                    let pattern = Array("\(key)#\(version)\n".utf8)
                    let bytes = Data((0..<size).map { pattern[$0 % pattern.count] })
                    try seedObject(
                        bucket: seed.name, key: key, body: .bytes(bytes),
                        write: S3ObjectWrite(tags: objectTags, storageClass: storageClass),
                        checksumSHA256: true, at: now)
                }
                if let set = Self.nthGrantSet(index, generated.grantSets ?? []) {
                    try seedObjectGrants(
                        bucket: seed.name, key: key,
                        try Self.seedGrants(S3BucketSeed.Object(key: key, grants: set.grants), bucket: buckets[seed.name]!))
                }
            }
        }
        return buckets[seed.name]!
    }

    /// The value whose running count (values sorted by name) covers `index`; nil past them all.
    static func nth(_ index: Int, of counts: [String: Int]) -> String? {
        var end = 0
        for name in counts.keys.sorted() {
            end += max(0, counts[name]!)
            if index < end { return name }
        }
        return nil
    }

    static func nthGrantSet(_ index: Int, _ sets: [S3BucketSeed.GrantSet]) -> S3BucketSeed.GrantSet? {
        var end = 0
        for set in sets {
            end += max(0, set.count)
            if index < end { return set }
        }
        return nil
    }

    /// The seed's Object Ownership and Block Public Access settings.
    private mutating func applyOwnership(_ seed: S3BucketSeed) throws(SimError) {
        if let ownership = seed.ownership {
            guard ["BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter"].contains(ownership) else {
                throw S3Errors.invalidArgument("ownership must be BucketOwnerEnforced, BucketOwnerPreferred or ObjectWriter", seed.name)
            }
            buckets[seed.name]!.configurations[.ownershipControls] =
                "<OwnershipControls xmlns=\"\(s3Namespace)\"><Rule><ObjectOwnership>\(ownership)</ObjectOwnership></Rule></OwnershipControls>"
        }
        guard seed.ownership != nil || seed.blockPublicAccess != nil else { return }
        let block = seed.blockPublicAccess ?? (seed.ownership == "BucketOwnerEnforced")
        buckets[seed.name]!.configurations[.publicAccessBlock] = block ? S3BucketConfiguration.newBucketDefaults()[.publicAccessBlock] : nil
    }

    /// An object seed's ACL: the owner's full control, the canned ACL's grants, then `grants`.
    private static func seedGrants(_ object: S3BucketSeed.Object, bucket: S3Bucket) throws(SimError) -> [S3ObjectGrant] {
        let owner = S3ObjectGrant(.canonicalUser(S3Service.canonicalId(bucket.owner)), "FULL_CONTROL")
        var grants = [owner]
        switch object.acl {
        case nil, "private"?, "bucket-owner-full-control"?: break
        case "public-read"?: grants.append(S3ObjectGrant(.group(S3ObjectGrant.allUsers), "READ"))
        case "authenticated-read"?: grants.append(S3ObjectGrant(.group(S3ObjectGrant.authenticatedUsers), "READ"))
        case "public-read-write"?:
            grants += [S3ObjectGrant(.group(S3ObjectGrant.allUsers), "READ"), S3ObjectGrant(.group(S3ObjectGrant.allUsers), "WRITE")]
        case let other?: throw S3Errors.invalidArgument("unknown canned ACL \(other) on \(object.key)", bucket.name)
        }
        for grant in object.grants ?? [] {
            guard S3ObjectGrant.permissions.contains(grant.permission) else {
                throw S3Errors.invalidArgument("unknown permission \(grant.permission) on \(object.key)", bucket.name)
            }
            if let account = grant.account {
                grants.append(S3ObjectGrant(.canonicalUser(S3Service.canonicalId(account)), grant.permission))
            } else if let group = grant.group {
                let uri =
                    group == "LogDelivery"
                    ? "http://acs.amazonaws.com/groups/s3/LogDelivery" : "http://acs.amazonaws.com/groups/global/\(group)"
                grants.append(S3ObjectGrant(.group(uri), grant.permission))
            } else {
                throw S3Errors.invalidArgument("a grant needs `account` or `group` on \(object.key)", bucket.name)
            }
        }
        return grants
    }
}
