/// One page of ListMultipartUploads.
public struct S3UploadListing: Sendable, Equatable {
    public var uploads: [S3MultipartUpload]
    public var isTruncated: Bool
    public var nextKeyMarker: String?
    public var nextUploadIdMarker: String?

    public init(uploads: [S3MultipartUpload], isTruncated: Bool = false, nextKeyMarker: String? = nil, nextUploadIdMarker: String? = nil) {
        self.uploads = uploads
        self.isTruncated = isTruncated
        self.nextKeyMarker = nextKeyMarker
        self.nextUploadIdMarker = nextUploadIdMarker
    }

    /// Decodes `<ListMultipartUploadsResult>`.
    init(xml root: XMLNode) throws {
        try S3Decoding.expectRoot(root, "ListMultipartUploadsResult")
        let encoded = root.string("EncodingType") == "url"
        let truncated = try S3Decoding.optionalBool(root, "IsTruncated") ?? false
        let keyMarker = S3Decoding.urlDecoded(root.string("NextKeyMarker"), encoded).flatMap { $0.isEmpty ? nil : $0 }
        if truncated && keyMarker == nil {
            throw XMLDecodeError(message: "<IsTruncated> is true but <NextKeyMarker> is missing")
        }
        self.init(
            uploads: try root.children("Upload").map { try S3MultipartUpload($0, urlEncoded: encoded) },
            isTruncated: truncated, nextKeyMarker: truncated ? keyMarker : nil,
            nextUploadIdMarker: truncated ? root.string("NextUploadIdMarker").flatMap { $0.isEmpty ? nil : $0 } : nil)
    }
}
