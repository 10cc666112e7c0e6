import Foundation

/// What CopyObject (`<CopyObjectResult>`) or UploadPartCopy (`<CopyPartResult>`) reports.
public struct S3CopyResult: Sendable, Equatable {
    /// The ETag as S3 sends it, quotes included. For UploadPartCopy, what CompleteMultipartUpload needs.
    public var eTag: String
    public var lastModified: Date?
    /// Checksums of the new object or part, by algorithm.
    public var checksums: [String: String]
    /// `x-amz-version-id` of the new object (CopyObject on a versioned bucket).
    public var versionId: String?
    /// `x-amz-copy-source-version-id`: which source version was read.
    public var sourceVersionId: String?
    public var requestId: String?
    /// Attempts the client retried because S3 throttled them (`SlowDown`, 503) before this answer.
    public var throttledAttempts: Int = 0

    public init(
        eTag: String, lastModified: Date? = nil, checksums: [String: String] = [:], versionId: String? = nil,
        sourceVersionId: String? = nil, requestId: String? = nil
    ) {
        self.eTag = eTag
        self.lastModified = lastModified
        self.checksums = checksums
        self.versionId = versionId
        self.sourceVersionId = sourceVersionId
        self.requestId = requestId
    }

    /// Decodes the result document; `root` names the element expected.
    init(xml node: XMLNode, root: String, headers: HTTPHeaders, requestId: String?) throws {
        try S3Decoding.expectRoot(node, root)
        self.init(
            eTag: try node.require("ETag"), lastModified: try S3Decoding.optionalTimestamp(node, "LastModified"),
            checksums: S3ObjectAttributes.checksums(in: node),
            versionId: headers["x-amz-version-id"].flatMap { $0 == "null" ? nil : $0 },
            sourceVersionId: headers["x-amz-copy-source-version-id"], requestId: requestId)
    }
}
