import Foundation

/// An object's metadata as HeadObject and GetObject report it in headers: what a copy must keep
/// and what a verification compares.
public struct S3ObjectMetadata: Sendable, Equatable {
    public var contentLength: Int64
    /// The ETag as S3 sends it, quotes included.
    public var eTag: String?
    public var lastModified: Date?
    /// `x-amz-version-id`; nil for unversioned objects.
    public var versionId: String?
    /// User metadata (`x-amz-meta-*`), names lower-cased without the prefix.
    public var userMetadata: [String: String]
    public var contentType: String?
    public var cacheControl: String?
    public var contentDisposition: String?
    public var contentEncoding: String?
    public var contentLanguage: String?
    /// The raw `Expires` header.
    public var expires: String?
    public var websiteRedirectLocation: String?
    /// `STANDARD` when S3 omits the header (it does for STANDARD).
    public var storageClass: String
    /// `AES256`, `aws:kms`, `aws:kms:dsse`.
    public var serverSideEncryption: String?
    public var sseKMSKeyId: String?
    public var bucketKeyEnabled: Bool
    /// Stored checksums by algorithm (`SHA256` → base64), present when asked with checksum mode.
    public var checksums: [String: String]
    /// `FULL_OBJECT` or `COMPOSITE`.
    public var checksumType: String?
    /// `GOVERNANCE` or `COMPLIANCE`.
    public var objectLockMode: String?
    public var objectLockRetainUntil: Date?
    /// `ON` or `OFF`.
    public var objectLockLegalHold: String?
    /// `x-amz-mp-parts-count`, for multipart objects.
    public var partsCount: Int?
    /// `x-amz-tagging-count`.
    public var tagCount: Int?
    public var replicationStatus: String?

    public init(
        contentLength: Int64, eTag: String? = nil, lastModified: Date? = nil, versionId: String? = nil,
        userMetadata: [String: String] = [:], contentType: String? = nil, cacheControl: String? = nil,
        contentDisposition: String? = nil, contentEncoding: String? = nil, contentLanguage: String? = nil,
        expires: String? = nil, websiteRedirectLocation: String? = nil, storageClass: String = "STANDARD",
        serverSideEncryption: String? = nil, sseKMSKeyId: String? = nil, bucketKeyEnabled: Bool = false,
        checksums: [String: String] = [:], checksumType: String? = nil, objectLockMode: String? = nil,
        objectLockRetainUntil: Date? = nil, objectLockLegalHold: String? = nil, partsCount: Int? = nil,
        tagCount: Int? = nil, replicationStatus: String? = nil
    ) {
        self.contentLength = contentLength
        self.eTag = eTag
        self.lastModified = lastModified
        self.versionId = versionId
        self.userMetadata = userMetadata
        self.contentType = contentType
        self.cacheControl = cacheControl
        self.contentDisposition = contentDisposition
        self.contentEncoding = contentEncoding
        self.contentLanguage = contentLanguage
        self.expires = expires
        self.websiteRedirectLocation = websiteRedirectLocation
        self.storageClass = storageClass
        self.serverSideEncryption = serverSideEncryption
        self.sseKMSKeyId = sseKMSKeyId
        self.bucketKeyEnabled = bucketKeyEnabled
        self.checksums = checksums
        self.checksumType = checksumType
        self.objectLockMode = objectLockMode
        self.objectLockRetainUntil = objectLockRetainUntil
        self.objectLockLegalHold = objectLockLegalHold
        self.partsCount = partsCount
        self.tagCount = tagCount
        self.replicationStatus = replicationStatus
    }

    /// Reads the headers of a HeadObject/GetObject answer; a bad Content-Length or lock date is an
    /// error (the caller turns it into `MalformedResponse`).
    init(headers: HTTPHeaders) throws {
        guard let lengthText = headers["Content-Length"], let length = Int64(lengthText) else {
            throw XMLDecodeError(message: "header Content-Length is missing or invalid")
        }
        var metadata: [String: String] = [:]
        var checksums: [String: String] = [:]
        for (name, value) in headers {
            let lower = name.lowercased()
            if lower.hasPrefix("x-amz-meta-") {
                metadata[String(lower.dropFirst("x-amz-meta-".count))] = value
            } else if lower.hasPrefix("x-amz-checksum-"), lower != "x-amz-checksum-type", lower != "x-amz-checksum-mode" {
                checksums[String(lower.dropFirst("x-amz-checksum-".count)).uppercased()] = value
            }
        }
        var retainUntil: Date?
        if let text = headers["x-amz-object-lock-retain-until-date"] {
            retainUntil = try S3Decoding.timestamp(text, "header x-amz-object-lock-retain-until-date")
        }
        self.init(
            contentLength: length, eTag: headers["ETag"], lastModified: headers["Last-Modified"].flatMap(HTTPDate.parse),
            versionId: headers["x-amz-version-id"].flatMap { $0 == "null" ? nil : $0 }, userMetadata: metadata,
            contentType: headers["Content-Type"], cacheControl: headers["Cache-Control"],
            contentDisposition: headers["Content-Disposition"], contentEncoding: headers["Content-Encoding"],
            contentLanguage: headers["Content-Language"], expires: headers["Expires"],
            websiteRedirectLocation: headers["x-amz-website-redirect-location"],
            storageClass: headers["x-amz-storage-class"] ?? "STANDARD",
            serverSideEncryption: headers["x-amz-server-side-encryption"],
            sseKMSKeyId: headers["x-amz-server-side-encryption-aws-kms-key-id"],
            bucketKeyEnabled: headers["x-amz-server-side-encryption-bucket-key-enabled"]?.lowercased() == "true",
            checksums: checksums, checksumType: headers["x-amz-checksum-type"],
            objectLockMode: headers["x-amz-object-lock-mode"], objectLockRetainUntil: retainUntil,
            objectLockLegalHold: headers["x-amz-object-lock-legal-hold"],
            partsCount: headers["x-amz-mp-parts-count"].flatMap { Int($0) },
            tagCount: headers["x-amz-tagging-count"].flatMap { Int($0) },
            replicationStatus: headers["x-amz-replication-status"])
    }
}
