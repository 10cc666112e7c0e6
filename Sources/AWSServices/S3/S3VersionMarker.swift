/// Where a version (or multipart-upload) listing continues: a key plus the version or upload ID
/// within it.
public struct S3VersionMarker: Sendable, Equatable {
    public var key: String
    /// The version ID marker (or, for upload listings, the upload ID marker).
    public var versionId: String?

    public init(key: String, versionId: String?) {
        self.key = key
        self.versionId = versionId
    }
}
