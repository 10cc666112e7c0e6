/// A bucket's versioning state (GetBucketVersioning / PutBucketVersioning).
public struct S3VersioningConfiguration: Sendable, Equatable {
    /// `Enabled` or `Suspended`; nil for a bucket that was never versioned.
    public var status: String?
    /// `Enabled` or `Disabled` when MFA delete was ever configured. An enabled MFA delete blocks
    /// any automated emptying of the bucket (every version delete needs the root's MFA code).
    public var mfaDelete: String?

    public init(status: String?, mfaDelete: String? = nil) {
        self.status = status
        self.mfaDelete = mfaDelete
    }

    public var isEnabled: Bool { status == "Enabled" }
    public var isMFADeleteEnabled: Bool { mfaDelete == "Enabled" }

    init(xml root: XMLNode) throws {
        // moto answers <GetBucketVersioningResponse>; AWS <VersioningConfiguration>.
        guard ["VersioningConfiguration", "GetBucketVersioningResponse", "GetBucketVersioningOutput"].contains(root.localName) else {
            throw XMLDecodeError(message: "expected <VersioningConfiguration>, got <\(root.name)>")
        }
        self.init(status: root.string("Status"), mfaDelete: root.string("MfaDelete"))
    }

    /// The PUT document. `MfaDelete` is written only when set (S3 then requires `x-amz-mfa`).
    var document: String {
        var xml = XMLWriter()
        xml.start("VersioningConfiguration", namespace: S3Client.namespace)
        xml.optional("MfaDelete", mfaDelete)
        xml.optional("Status", status)
        xml.end()
        return xml.document
    }
}
