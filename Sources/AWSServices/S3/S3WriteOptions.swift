import Foundation

/// What a write (PutObject, CopyObject with REPLACE, CreateMultipartUpload) sets on the new object.
///
/// Every field maps to one request header; nil fields are not sent, so S3's defaults apply
/// (STANDARD storage, the bucket's default encryption).
public struct S3WriteOptions: Sendable, Equatable {
    public var contentType: String?
    public var cacheControl: String?
    public var contentDisposition: String?
    public var contentEncoding: String?
    public var contentLanguage: String?
    public var expires: String?
    public var websiteRedirectLocation: String?
    /// `x-amz-meta-*` (names without the prefix).
    public var userMetadata: [String: String]
    /// `x-amz-tagging`; nil sends none (on a copy: see `S3CopyObjectRequest.tagging`).
    public var tags: [S3Tag]?
    public var storageClass: String?
    /// `AES256`, `aws:kms`, `aws:kms:dsse`.
    public var serverSideEncryption: String?
    /// A KMS key ID or ARN (with `serverSideEncryption: "aws:kms"`); use the ARN cross-account.
    public var sseKMSKeyId: String?
    public var bucketKeyEnabled: Bool?
    public var objectLockMode: String?
    public var objectLockRetainUntil: Date?
    /// `ON` or `OFF`.
    public var objectLockLegalHold: String?
    /// A canned ACL (`bucket-owner-full-control`, …); buckets with BucketOwnerEnforced accept
    /// only that one or none.
    public var acl: String?
    /// Explicit grants (`x-amz-grant-*`), exclusive with `acl`: the new object's ACL is exactly
    /// these. CopyObject never carries the source's ACL, so a copy that must keep grants sends
    /// them here (AWS-NOTES-2 [ACL-3]).
    public var grants: [S3Grant]? = nil

    public init(
        contentType: String? = nil, cacheControl: String? = nil, contentDisposition: String? = nil,
        contentEncoding: String? = nil, contentLanguage: String? = nil, expires: String? = nil,
        websiteRedirectLocation: String? = nil, userMetadata: [String: String] = [:], tags: [S3Tag]? = nil,
        storageClass: String? = nil, serverSideEncryption: String? = nil, sseKMSKeyId: String? = nil,
        bucketKeyEnabled: Bool? = nil, objectLockMode: String? = nil, objectLockRetainUntil: Date? = nil,
        objectLockLegalHold: String? = nil, acl: String? = nil
    ) {
        self.contentType = contentType
        self.cacheControl = cacheControl
        self.contentDisposition = contentDisposition
        self.contentEncoding = contentEncoding
        self.contentLanguage = contentLanguage
        self.expires = expires
        self.websiteRedirectLocation = websiteRedirectLocation
        self.userMetadata = userMetadata
        self.tags = tags
        self.storageClass = storageClass
        self.serverSideEncryption = serverSideEncryption
        self.sseKMSKeyId = sseKMSKeyId
        self.bucketKeyEnabled = bucketKeyEnabled
        self.objectLockMode = objectLockMode
        self.objectLockRetainUntil = objectLockRetainUntil
        self.objectLockLegalHold = objectLockLegalHold
        self.acl = acl
    }

    /// The options that reproduce `metadata` on a new object: content headers, user metadata,
    /// storage class, encryption and Object Lock settings (tags are not in HeadObject's answer).
    public init(preserving metadata: S3ObjectMetadata) {
        self.init(
            contentType: metadata.contentType, cacheControl: metadata.cacheControl,
            contentDisposition: metadata.contentDisposition, contentEncoding: metadata.contentEncoding,
            contentLanguage: metadata.contentLanguage, expires: metadata.expires,
            websiteRedirectLocation: metadata.websiteRedirectLocation, userMetadata: metadata.userMetadata,
            storageClass: metadata.storageClass, serverSideEncryption: metadata.serverSideEncryption,
            sseKMSKeyId: metadata.sseKMSKeyId, bucketKeyEnabled: metadata.bucketKeyEnabled ? true : nil,
            objectLockMode: metadata.objectLockMode, objectLockRetainUntil: metadata.objectLockRetainUntil,
            objectLockLegalHold: metadata.objectLockLegalHold)
    }

    /// Adds the headers for the set fields. `content: false` leaves out the content and user
    /// metadata headers (a copy with `MetadataDirective=COPY` must not send them).
    func apply(to headers: inout HTTPHeaders, content: Bool = true) {
        if content {
            if let contentType { headers.set("Content-Type", contentType) }
            if let cacheControl { headers.set("Cache-Control", cacheControl) }
            if let contentDisposition { headers.set("Content-Disposition", contentDisposition) }
            if let contentEncoding { headers.set("Content-Encoding", contentEncoding) }
            if let contentLanguage { headers.set("Content-Language", contentLanguage) }
            if let expires { headers.set("Expires", expires) }
            for (name, value) in userMetadata.sorted(by: { $0.key < $1.key }) { headers.set("x-amz-meta-\(name)", value) }
        }
        if let websiteRedirectLocation { headers.set("x-amz-website-redirect-location", websiteRedirectLocation) }
        if let tags { headers.set("x-amz-tagging", S3Tag.headerValue(tags)) }
        if let storageClass { headers.set("x-amz-storage-class", storageClass) }
        if let serverSideEncryption { headers.set("x-amz-server-side-encryption", serverSideEncryption) }
        if let sseKMSKeyId { headers.set("x-amz-server-side-encryption-aws-kms-key-id", sseKMSKeyId) }
        if let bucketKeyEnabled { headers.set("x-amz-server-side-encryption-bucket-key-enabled", bucketKeyEnabled ? "true" : "false") }
        if let objectLockMode { headers.set("x-amz-object-lock-mode", objectLockMode) }
        if let objectLockRetainUntil { headers.set("x-amz-object-lock-retain-until-date", S3Decoding.iso8601(objectLockRetainUntil)) }
        if let objectLockLegalHold { headers.set("x-amz-object-lock-legal-hold", objectLockLegalHold) }
        if let acl { headers.set("x-amz-acl", acl) }
        if let grants { for (name, value) in S3Grant.headers(grants) { headers.set(name, value) } }
    }
}
