/// A bucket's Block Public Access settings.
public struct S3PublicAccessBlock: Sendable, Equatable {
    public var blockPublicAcls: Bool
    public var ignorePublicAcls: Bool
    public var blockPublicPolicy: Bool
    public var restrictPublicBuckets: Bool

    public init(
        blockPublicAcls: Bool = true, ignorePublicAcls: Bool = true, blockPublicPolicy: Bool = true, restrictPublicBuckets: Bool = true
    ) {
        self.blockPublicAcls = blockPublicAcls
        self.ignorePublicAcls = ignorePublicAcls
        self.blockPublicPolicy = blockPublicPolicy
        self.restrictPublicBuckets = restrictPublicBuckets
    }

    /// Absent flags read as false, as S3 treats them.
    init(xml root: XMLNode) throws {
        try S3Decoding.expectRoot(root, "PublicAccessBlockConfiguration")
        self.init(
            blockPublicAcls: try S3Decoding.optionalBool(root, "BlockPublicAcls") ?? false,
            ignorePublicAcls: try S3Decoding.optionalBool(root, "IgnorePublicAcls") ?? false,
            blockPublicPolicy: try S3Decoding.optionalBool(root, "BlockPublicPolicy") ?? false,
            restrictPublicBuckets: try S3Decoding.optionalBool(root, "RestrictPublicBuckets") ?? false)
    }

    var document: String {
        var xml = XMLWriter()
        xml.start("PublicAccessBlockConfiguration", namespace: S3Client.namespace)
        xml.element("BlockPublicAcls", String(blockPublicAcls))
        xml.element("IgnorePublicAcls", String(ignorePublicAcls))
        xml.element("BlockPublicPolicy", String(blockPublicPolicy))
        xml.element("RestrictPublicBuckets", String(restrictPublicBuckets))
        xml.end()
        return xml.document
    }
}
