/// GetObjectAttributes: the integrity facts of an object without reading it.
public struct S3ObjectAttributes: Sendable, Equatable {
    /// One part of a multipart object.
    public struct Part: Sendable, Equatable {
        public var partNumber: Int
        public var size: Int64?
        public var checksums: [String: String]

        public init(partNumber: Int, size: Int64?, checksums: [String: String] = [:]) {
            self.partNumber = partNumber
            self.size = size
            self.checksums = checksums
        }
    }

    /// S3 returns it without quotes here (unlike HeadObject).
    public var eTag: String?
    /// Checksums by algorithm (`SHA256` → base64).
    public var checksums: [String: String]
    public var checksumType: String?
    public var objectSize: Int64?
    public var storageClass: String?
    public var totalPartsCount: Int?
    public var parts: [Part]
    public var partsAreTruncated: Bool
    public var versionId: String?

    public init(
        eTag: String? = nil, checksums: [String: String] = [:], checksumType: String? = nil, objectSize: Int64? = nil,
        storageClass: String? = nil, totalPartsCount: Int? = nil, parts: [Part] = [], partsAreTruncated: Bool = false,
        versionId: String? = nil
    ) {
        self.eTag = eTag
        self.checksums = checksums
        self.checksumType = checksumType
        self.objectSize = objectSize
        self.storageClass = storageClass
        self.totalPartsCount = totalPartsCount
        self.parts = parts
        self.partsAreTruncated = partsAreTruncated
        self.versionId = versionId
    }

    /// `<ChecksumSHA256>` etc. → `["SHA256": …]`.
    static func checksums(in node: XMLNode?) -> [String: String] {
        var result: [String: String] = [:]
        for child in node?.children ?? [] where child.localName.hasPrefix("Checksum") && child.localName != "ChecksumType" {
            result[String(child.localName.dropFirst("Checksum".count))] = child.trimmedText
        }
        return result
    }

    /// Decodes `<GetObjectAttributesResponse>` (AWS's documented root; the model calls it
    /// `GetObjectAttributesOutput`, which is accepted too).
    init(xml root: XMLNode, versionId: String?) throws {
        guard ["GetObjectAttributesResponse", "GetObjectAttributesOutput"].contains(root.localName) else {
            throw XMLDecodeError(message: "expected <GetObjectAttributesResponse>, got <\(root.name)>")
        }
        let partsNode = root.child("ObjectParts")
        self.init(
            eTag: root.string("ETag"), checksums: Self.checksums(in: root.child("Checksum")),
            checksumType: root.path("Checksum", "ChecksumType")?.trimmedText,
            objectSize: try S3Decoding.optionalInt(root, "ObjectSize").map(Int64.init),
            storageClass: root.string("StorageClass"),
            totalPartsCount: try partsNode.flatMap { try S3Decoding.optionalInt($0, "TotalPartsCount") },
            parts: try (partsNode?.children("Part") ?? []).map {
                Part(
                    partNumber: try S3Decoding.int(try $0.require("PartNumber"), "<PartNumber>"),
                    size: try S3Decoding.optionalInt($0, "Size").map(Int64.init), checksums: Self.checksums(in: $0))
            },
            partsAreTruncated: try partsNode.flatMap { try S3Decoding.optionalBool($0, "IsTruncated") } ?? false,
            versionId: versionId)
    }
}
