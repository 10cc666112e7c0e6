import AWSSigV4

/// A server-side CopyObject (at most 5 GB; larger objects need a multipart copy).
public struct S3CopyObjectRequest: Sendable, Equatable {
    /// COPY keeps the source's value; REPLACE takes it from the request.
    public enum Directive: String, Sendable, Equatable {
        case copy = "COPY"
        case replace = "REPLACE"
    }

    public var sourceBucket: String
    public var sourceKey: String
    public var sourceVersionId: String?
    public var bucket: String
    public var key: String
    /// COPY (S3's default) keeps content headers and user metadata; REPLACE sends
    /// `options`' content headers and metadata instead — all of them, S3 keeps none.
    public var metadataDirective: Directive
    /// COPY keeps the source's tags; REPLACE sets `options.tags` (an empty list removes all).
    /// Cross-account copies may lose tags with COPY (moto does; see MOTO-NOTES §3): copy them
    /// explicitly with REPLACE.
    public var taggingDirective: Directive
    /// Storage class, encryption, Object Lock and (with REPLACE) content, metadata and tags.
    /// Storage class and SSE-KMS key are never carried over by S3: set them here.
    public var options: S3WriteOptions
    /// `x-amz-checksum-algorithm` (`SHA256`, `CRC32`, …) for the new object.
    public var checksumAlgorithm: String?
    /// `x-amz-source-expected-bucket-owner`: refuse to read a source bucket someone else owns.
    public var expectedSourceBucketOwner: String?
    /// `x-amz-expected-bucket-owner` for the destination (the client's default when nil).
    public var expectedBucketOwner: String?
    /// `x-amz-copy-source-if-match`: copy only this version of the content.
    public var sourceIfMatch: String?
    /// Never resent after an answer lost in transit (`AWSRequest.irreversible`): a copy into a
    /// versioned bucket adds a version each time it lands, so the caller looks before copying again.
    public var irreversible = false

    public init(
        sourceBucket: String, sourceKey: String, sourceVersionId: String? = nil, bucket: String, key: String,
        metadataDirective: Directive = .copy, taggingDirective: Directive = .copy, options: S3WriteOptions = S3WriteOptions(),
        checksumAlgorithm: String? = nil, expectedSourceBucketOwner: String? = nil, expectedBucketOwner: String? = nil,
        sourceIfMatch: String? = nil
    ) {
        self.sourceBucket = sourceBucket
        self.sourceKey = sourceKey
        self.sourceVersionId = sourceVersionId
        self.bucket = bucket
        self.key = key
        self.metadataDirective = metadataDirective
        self.taggingDirective = taggingDirective
        self.options = options
        self.checksumAlgorithm = checksumAlgorithm
        self.expectedSourceBucketOwner = expectedSourceBucketOwner
        self.expectedBucketOwner = expectedBucketOwner
        self.sourceIfMatch = sourceIfMatch
    }

    /// The `x-amz-copy-source` value: `bucket/key` percent-encoded (slashes kept), then
    /// `?versionId=` when a version is named.
    static func copySource(bucket: String, key: String, versionId: String?) -> String {
        var value = SigV4URIEncoding.encode(bucket + "/" + key, encodeSlash: false)
        if let versionId { value += "?versionId=" + SigV4URIEncoding.encode(versionId, encodeSlash: true) }
        return value
    }
}
