import Foundation

/// One version of an object as S3 keeps it: content, attributes, or a delete marker.
/// In an unversioned bucket every key has one version, `null`.
public struct S3StoredVersion: Sendable, Equatable {
    /// A part of a multipart object (what GetObjectAttributes reports).
    public struct Part: Sendable, Equatable {
        public var partNumber: Int
        public var size: Int64
        public var checksumSHA256: String?

        public init(partNumber: Int, size: Int64, checksumSHA256: String? = nil) {
            self.partNumber = partNumber
            self.size = size
            self.checksumSHA256 = checksumSHA256
        }
    }

    public var key: String
    /// `null` for versions written while versioning was never enabled or was suspended.
    public var versionId: String
    public var isDeleteMarker: Bool
    public var lastModified: Date
    /// The account that wrote the version (with BucketOwnerEnforced the bucket owner owns it).
    public var ownerAccount: String
    public var body: S3ObjectBody
    /// Quoted, as S3 sends it in headers: `"<md5>"`, or `"<md5-of-md5s>-N"` for multipart.
    public var eTag: String
    public var write: S3ObjectWrite
    /// Stored checksums by algorithm (`SHA256` → base64), as sent or computed.
    public var checksums: [String: String]
    /// `FULL_OBJECT` or `COMPOSITE` (multipart SHA-256).
    public var checksumType: String?
    /// Multipart objects only.
    public var parts: [Part]

    public init(
        key: String, versionId: String, isDeleteMarker: Bool = false, lastModified: Date, ownerAccount: String,
        body: S3ObjectBody = .bytes(Data()), eTag: String? = nil, write: S3ObjectWrite = S3ObjectWrite(),
        checksums: [String: String] = [:], checksumType: String? = nil, parts: [Part] = []
    ) {
        self.key = key
        self.versionId = versionId
        self.isDeleteMarker = isDeleteMarker
        self.lastModified = lastModified
        self.ownerAccount = ownerAccount
        self.body = body
        self.eTag = eTag ?? S3Digest.eTag(of: body, label: key)
        self.write = write
        self.checksums = checksums
        self.checksumType = checksumType
        self.parts = parts
    }

    public var size: Int64 { isDeleteMarker ? 0 : body.size }

    /// Retention or legal hold in force at `now`.
    func lockBlocksDelete(now: Date, bypassGovernance: Bool) -> Bool {
        if write.legalHold { return true }
        guard let until = write.retainUntil, until > now else { return false }
        switch write.lockMode {
        case "COMPLIANCE": return true
        case "GOVERNANCE": return !bypassGovernance
        default: return false
        }
    }
}
