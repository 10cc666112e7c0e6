/// An object key, optionally one specific version of it.
public struct S3ObjectIdentifier: Sendable, Hashable {
    public var key: String
    public var versionId: String?

    public init(key: String, versionId: String? = nil) {
        self.key = key
        self.versionId = versionId
    }
}
