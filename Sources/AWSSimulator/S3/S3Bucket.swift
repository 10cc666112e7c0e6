import Foundation

/// One general purpose bucket: owner, region, versioning and lock state, stored configurations,
/// objects (every version) and multipart uploads in progress.
public struct S3Bucket: Sendable {
    public enum Versioning: String, Sendable, Equatable {
        /// Never enabled: every key has only its `null` version.
        case unversioned
        case enabled = "Enabled"
        case suspended = "Suspended"
    }

    public let name: String
    /// The account that created the bucket; ownership never transfers (S3UG BucketRestrictions).
    public let owner: String
    public let region: String
    public var created: Date
    public var versioning: Versioning
    public var mfaDelete: String?
    public var objectLockEnabled: Bool
    /// Documents as put (policy JSON, everything else XML), by sub-resource. Versioning is kept
    /// in `versioning`; `objectLock` holds the put configuration (the rule) when there is one.
    public var configurations: [S3BucketConfiguration: String]
    /// S3 Inventory configurations by ID, verbatim (`S3Service+Inventory`).
    public var inventoryConfigurations: [String: String] = [:]
    /// The parsed form of `configurations[.policy]`.
    public private(set) var policy: S3BucketPolicy?
    /// The bucket's default Object Lock retention (mode and seconds) from its lock configuration.
    var defaultRetention: (mode: String, seconds: TimeInterval)?

    var index = S3KeyIndex()
    /// Every key's versions, oldest first; the last is current.
    var histories: [String: [S3StoredVersion]] = [:]
    public var uploads: [String: S3PendingUpload] = [:]
    private var serial: UInt64 = 0

    init(name: String, owner: String, region: String, created: Date, configurations: [S3BucketConfiguration: String]) {
        self.name = name
        self.owner = owner
        self.region = region
        self.created = created
        self.versioning = .unversioned
        self.objectLockEnabled = false
        self.configurations = configurations
    }

    /// Replaces (or with nil removes) the bucket policy; throws `MalformedPolicy`.
    public mutating func setPolicy(_ text: String?) throws(SimError) {
        guard let text else {
            policy = nil
            configurations[.policy] = nil
            return
        }
        policy = try S3BucketPolicy.parse(text, bucket: name)
        configurations[.policy] = text
    }

    /// Keys in listing order.
    public var keys: [String] { index.keys }

    /// True when no object, version or delete marker remains (DeleteBucket's condition, BC-S3).
    public var isEmpty: Bool { histories.isEmpty }

    public func versions(of key: String) -> [S3StoredVersion] { histories[key] ?? [] }

    /// The current version (possibly a delete marker).
    public func current(_ key: String) -> S3StoredVersion? { histories[key]?.last }

    public func version(_ key: String, _ versionId: String) -> S3StoredVersion? {
        histories[key]?.last { $0.versionId == versionId }
    }

    /// Adds a new current version. Unversioned and suspended buckets keep one `null` version per
    /// key, so a new `null` version replaces the old one (S3UG-2023 versioning-workflows).
    mutating func append(_ version: S3StoredVersion) {
        if histories[version.key] == nil {
            index.insert(version.key)
            histories[version.key] = [version]
            return
        }
        if version.versionId == "null" { histories[version.key]!.removeAll { $0.versionId == "null" } }
        histories[version.key]!.append(version)
    }

    /// Removes one version (or delete marker) permanently.
    @discardableResult
    mutating func remove(_ key: String, versionId: String) -> S3StoredVersion? {
        guard let position = histories[key]?.lastIndex(where: { $0.versionId == versionId }) else { return nil }
        let removed = histories[key]!.remove(at: position)
        if histories[key]!.isEmpty {
            histories[key] = nil
            index.remove(key)
        }
        return removed
    }

    /// Parses the default retention of a put Object Lock configuration.
    mutating func applyLockConfiguration(_ root: S3XMLElement) {
        defaultRetention = nil
        guard let retention = root.child("Rule")?.child("DefaultRetention"), let mode = retention.string("Mode") else { return }
        if let days = retention.string("Days").flatMap(Double.init) {
            defaultRetention = (mode, days * 86_400)
        } else if let years = retention.string("Years").flatMap(Double.init) {
            defaultRetention = (mode, years * 365 * 86_400)
        }
    }

    /// Changes one stored version in place; false when it does not exist.
    @discardableResult
    mutating func update(_ key: String, versionId: String, _ body: (inout S3StoredVersion) -> Void) -> Bool {
        guard let position = histories[key]?.lastIndex(where: { $0.versionId == versionId }) else { return false }
        body(&histories[key]![position])
        return true
    }

    /// A fresh version ID: 32 URL-safe characters, reproducible run to run.
    mutating func newVersionId() -> String { token(length: 32) }

    /// A fresh multipart upload ID.
    mutating func newUploadId() -> String { token(length: 64) }

    private mutating func token(length: Int) -> String {
        serial += 1
        var seed: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in name.utf8 { seed = (seed ^ UInt64(byte)) &* 0x100_0000_01B3 }
        seed ^= UInt64(bitPattern: Int64(created.timeIntervalSince1970 * 1000))
        var random = SimRandom(seed: seed &+ serial)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._")
        return String((0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
    }
}
