/// One page of ListObjectsV2.
public struct S3ObjectListing: Sendable, Equatable {
    public var objects: [S3ObjectSummary]
    /// Key prefixes rolled up by the delimiter.
    public var commonPrefixes: [String]
    public var isTruncated: Bool
    /// Pass to the next call; set exactly when `isTruncated`.
    public var nextContinuationToken: String?
    public var keyCount: Int?

    public init(
        objects: [S3ObjectSummary], commonPrefixes: [String] = [], isTruncated: Bool = false,
        nextContinuationToken: String? = nil, keyCount: Int? = nil
    ) {
        self.objects = objects
        self.commonPrefixes = commonPrefixes
        self.isTruncated = isTruncated
        self.nextContinuationToken = nextContinuationToken
        self.keyCount = keyCount
    }

    /// Decodes `<ListBucketResult>`; keys are URL-decoded when the answer says `EncodingType=url`.
    init(xml root: XMLNode) throws {
        try S3Decoding.expectRoot(root, "ListBucketResult")
        let encoded = root.string("EncodingType") == "url"
        let truncated = try S3Decoding.optionalBool(root, "IsTruncated") ?? false
        let token = root.string("NextContinuationToken").flatMap { $0.isEmpty ? nil : $0 }
        if truncated && token == nil {
            throw XMLDecodeError(message: "<IsTruncated> is true but <NextContinuationToken> is missing")
        }
        self.init(
            objects: try root.children("Contents").map { try S3ObjectSummary($0, urlEncoded: encoded) },
            commonPrefixes: root.children("CommonPrefixes").compactMap { S3Decoding.urlDecoded($0.string("Prefix"), encoded) },
            isTruncated: truncated, nextContinuationToken: truncated ? token : nil,
            keyCount: try S3Decoding.optionalInt(root, "KeyCount"))
    }
}
