import AWSSigV4

/// One tag of a bucket or object. Tag sets are kept as ordered arrays, as S3 returns them.
public struct S3Tag: Sendable, Hashable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }

    /// The `<Tagging><TagSet>` document for PutBucketTagging / PutObjectTagging.
    static func taggingDocument(_ tags: [S3Tag]) -> XMLWriter {
        var xml = XMLWriter()
        xml.start("Tagging", namespace: S3Client.namespace)
        xml.start("TagSet")
        for tag in tags {
            xml.start("Tag")
            xml.element("Key", tag.key)
            xml.element("Value", tag.value)
            xml.end()
        }
        xml.end()
        xml.end()
        return xml
    }

    /// Decodes `<Tagging><TagSet>`.
    static func decodeTagging(_ root: XMLNode) throws -> [S3Tag] {
        try S3Decoding.expectRoot(root, "Tagging")
        guard let set = root.child("TagSet") else { throw XMLDecodeError(message: "element <TagSet> missing in <Tagging>") }
        return try set.children("Tag").map { S3Tag(key: try $0.require("Key"), value: $0.string("Value") ?? "") }
    }

    /// The `x-amz-tagging` header form: URL query encoding, `k1=v1&k2=v2`.
    static func headerValue(_ tags: [S3Tag]) -> String {
        tags.map { SigV4URIEncoding.encode($0.key, encodeSlash: true) + "=" + SigV4URIEncoding.encode($0.value, encodeSlash: true) }
            .joined(separator: "&")
    }
}
