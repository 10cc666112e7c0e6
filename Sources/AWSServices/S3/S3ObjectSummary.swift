import Foundation

/// One object in a ListObjectsV2 page.
public struct S3ObjectSummary: Sendable, Equatable {
    public var key: String
    public var lastModified: Date
    /// The ETag as S3 sends it, quotes included.
    public var eTag: String?
    public var size: Int64
    /// `STANDARD` when S3 names none.
    public var storageClass: String
    /// The checksum algorithms the object carries (`SHA256`, `CRC32`, …).
    public var checksumAlgorithms: [String]
    /// `FULL_OBJECT` or `COMPOSITE`.
    public var checksumType: String?
    /// Only with `fetchOwner: true`.
    public var owner: S3Owner?

    public init(
        key: String, lastModified: Date, eTag: String?, size: Int64, storageClass: String = "STANDARD",
        checksumAlgorithms: [String] = [], checksumType: String? = nil, owner: S3Owner? = nil
    ) {
        self.key = key
        self.lastModified = lastModified
        self.eTag = eTag
        self.size = size
        self.storageClass = storageClass
        self.checksumAlgorithms = checksumAlgorithms
        self.checksumType = checksumType
        self.owner = owner
    }

    init(_ node: XMLNode, urlEncoded: Bool) throws {
        guard let key = S3Decoding.urlDecoded(try node.require("Key"), urlEncoded) else {
            throw XMLDecodeError(message: "element <Key> missing in <Contents>")
        }
        self.init(
            key: key,
            lastModified: try S3Decoding.timestamp(try node.require("LastModified"), "<LastModified>"),
            eTag: node.string("ETag"),
            size: Int64(try S3Decoding.int(try node.require("Size"), "<Size>")),
            storageClass: node.string("StorageClass") ?? "STANDARD",
            // One pass and one array (none when there is no checksum), per listed object.
            checksumAlgorithms: node.children.compactMap { $0.localName == "ChecksumAlgorithm" ? $0.trimmedText : nil },
            checksumType: node.string("ChecksumType"),
            owner: S3Owner(node.child("Owner")))
    }
}
