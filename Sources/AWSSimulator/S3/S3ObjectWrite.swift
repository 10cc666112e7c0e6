import Foundation

/// One tag of an object or bucket, in the order S3 keeps it.
public struct S3TagPair: Sendable, Hashable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// What a write sets on a new object version besides its bytes: content headers, user metadata,
/// tags, storage class, encryption and Object Lock. PutObject, CreateMultipartUpload and
/// CopyObject (with REPLACE) read it from the same request headers.
public struct S3ObjectWrite: Sendable, Equatable {
    public var contentType: String?
    public var cacheControl: String?
    public var contentDisposition: String?
    public var contentEncoding: String?
    public var contentLanguage: String?
    /// The raw `Expires` header.
    public var expires: String?
    public var websiteRedirectLocation: String?
    /// `x-amz-meta-*`, names lower-cased without the prefix (S3 lower-cases them).
    public var metadata: [String: String]
    public var tags: [S3TagPair]
    public var storageClass: String
    /// `AES256`, `aws:kms`, `aws:kms:dsse`.
    public var serverSideEncryption: String?
    public var sseKMSKeyId: String?
    public var bucketKeyEnabled: Bool
    /// `GOVERNANCE` or `COMPLIANCE`.
    public var lockMode: String?
    public var retainUntil: Date?
    public var legalHold: Bool
    /// The object ACL the write set (`x-amz-acl`, `x-amz-grant-*`, PutObjectAcl); nil is S3's
    /// default, the owner's full control. Never carried by a copy ([ACL-3]).
    public var grants: [S3ObjectGrant]? = nil

    public init(
        contentType: String? = nil, cacheControl: String? = nil, contentDisposition: String? = nil,
        contentEncoding: String? = nil, contentLanguage: String? = nil, expires: String? = nil,
        websiteRedirectLocation: String? = nil, metadata: [String: String] = [:], tags: [S3TagPair] = [],
        storageClass: String = "STANDARD", serverSideEncryption: String? = nil, sseKMSKeyId: String? = nil,
        bucketKeyEnabled: Bool = false, lockMode: String? = nil, retainUntil: Date? = nil, legalHold: Bool = false
    ) {
        self.contentType = contentType
        self.cacheControl = cacheControl
        self.contentDisposition = contentDisposition
        self.contentEncoding = contentEncoding
        self.contentLanguage = contentLanguage
        self.expires = expires
        self.websiteRedirectLocation = websiteRedirectLocation
        self.metadata = metadata
        self.tags = tags
        self.storageClass = storageClass
        self.serverSideEncryption = serverSideEncryption
        self.sseKMSKeyId = sseKMSKeyId
        self.bucketKeyEnabled = bucketKeyEnabled
        self.lockMode = lockMode
        self.retainUntil = retainUntil
        self.legalHold = legalHold
    }

    static let storageClasses: Set<String> = [
        "STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER",
        "DEEP_ARCHIVE", "OUTPOSTS", "GLACIER_IR", "SNOW", "EXPRESS_ONEZONE", "FSX_OPENZFS", "FSX_ONTAP",
    ]

    /// Reads the write headers of a request. `content: false` skips content headers and user
    /// metadata (a copy with `x-amz-metadata-directive: COPY` takes them from the source).
    init(headers request: SimRequest, content: Bool = true) throws(SimError) {
        self.init()
        if content {
            contentType = request.header("Content-Type")
            cacheControl = request.header("Cache-Control")
            contentDisposition = request.header("Content-Disposition")
            contentEncoding = request.header("Content-Encoding").flatMap(Self.withoutAWSChunked)
            contentLanguage = request.header("Content-Language")
            expires = request.header("Expires")
            for (name, value) in request.headers {
                let lower = name.lowercased()
                if lower.hasPrefix("x-amz-meta-") { metadata[String(lower.dropFirst("x-amz-meta-".count))] = value }
            }
        }
        websiteRedirectLocation = request.header("x-amz-website-redirect-location")
        if let tagging = request.header("x-amz-tagging") { tags = try Self.parseTagHeader(tagging) }
        if let storage = request.header("x-amz-storage-class") {
            guard Self.storageClasses.contains(storage) else {
                throw SimError("InvalidStorageClass", "The storage class you specified is not valid", status: 400)
            }
            storageClass = storage
        }
        serverSideEncryption = request.header("x-amz-server-side-encryption")
        if let sse = serverSideEncryption, !["AES256", "aws:kms", "aws:kms:dsse"].contains(sse) {
            throw SimError("InvalidArgument", "Server Side Encryption with \(sse) is not supported.", status: 400)
        }
        sseKMSKeyId = request.header("x-amz-server-side-encryption-aws-kms-key-id")
        bucketKeyEnabled = request.header("x-amz-server-side-encryption-bucket-key-enabled")?.lowercased() == "true"
        lockMode = request.header("x-amz-object-lock-mode")
        if let until = request.header("x-amz-object-lock-retain-until-date") {
            guard let date = S3Time.parseISO8601(until) else {
                throw SimError("InvalidArgument", "The retain until date must be provided in ISO 8601 format", status: 400)
            }
            retainUntil = date
        }
        if let mode = lockMode, mode != "GOVERNANCE", mode != "COMPLIANCE" {
            throw SimError("InvalidArgument", "Unknown wormMode directive.", status: 400)
        }
        if (lockMode == nil) != (retainUntil == nil) {
            throw SimError(
                "InvalidArgument",
                "x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied", status: 400)
        }
        switch request.header("x-amz-object-lock-legal-hold") {
        case nil, "OFF": legalHold = false
        case "ON": legalHold = true
        default: throw SimError("InvalidArgument", "Legal Hold must be either of 'ON' or 'OFF'", status: 400)
        }
    }

    /// True when the write asks for Object Lock settings (only valid on a lock-enabled bucket).
    var setsObjectLock: Bool { lockMode != nil || legalHold }

    /// `aws-chunked` is transfer framing, not the object's encoding: S3 drops it.
    private static func withoutAWSChunked(_ value: String) -> String? {
        let kept = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0 != "aws-chunked" && !$0.isEmpty }
        return kept.isEmpty ? nil : kept.joined(separator: ",")
    }

    /// `x-amz-tagging: k1=v1&k2=v2` (URL query encoding). S3 allows at most 10 tags per object.
    static func parseTagHeader(_ value: String) throws(SimError) -> [S3TagPair] {
        var tags: [S3TagPair] = []
        for pair in value.split(separator: "&", omittingEmptySubsequences: true) {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String { SimPercent.decode(s.replacingOccurrences(of: "+", with: " ")) }
            tags.append(S3TagPair(key: decode(kv[0]), value: kv.count > 1 ? decode(kv[1]) : ""))
        }
        try validate(tags)
        return tags
    }

    static func validate(_ tags: [S3TagPair]) throws(SimError) {
        if tags.count > 10 { throw SimError("BadRequest", "Object tags cannot be greater than 10", status: 400) }
        if Set(tags.map(\.key)).count != tags.count {
            throw SimError("InvalidTag", "Cannot provide multiple Tags with the same key", status: 400)
        }
        for tag in tags where tag.key.isEmpty || tag.key.count > 128 || tag.value.count > 256 {
            throw SimError("InvalidTag", "The TagKey or TagValue you have provided is invalid", status: 400)
        }
    }
}
