/// What S3 reports for a new object (PutObject, CompleteMultipartUpload).
public struct S3WriteResult: Sendable, Equatable {
    /// The ETag as S3 sends it, quotes included.
    public var eTag: String?
    public var versionId: String?
    /// Checksums S3 stored, by algorithm (`SHA256` → base64).
    public var checksums: [String: String]
    public var requestId: String?

    public init(eTag: String?, versionId: String?, checksums: [String: String] = [:], requestId: String? = nil) {
        self.eTag = eTag
        self.versionId = versionId
        self.checksums = checksums
        self.requestId = requestId
    }
}
