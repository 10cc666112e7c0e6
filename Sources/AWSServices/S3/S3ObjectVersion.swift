import Foundation

/// One entry of ListObjectVersions: an object version or a delete marker.
///
/// Emptying a versioned bucket means deleting every one of these by key and version ID; a delete
/// without a version ID only adds another delete marker.
public struct S3ObjectVersion: Sendable, Equatable {
    public var key: String
    /// `null` for objects written while versioning was never enabled or suspended.
    public var versionId: String
    public var isLatest: Bool
    public var lastModified: Date
    /// True for a delete marker (which has no ETag, size or storage class).
    public var isDeleteMarker: Bool
    public var eTag: String?
    public var size: Int64?
    public var storageClass: String?
    public var checksumAlgorithms: [String]
    public var owner: S3Owner?

    public init(
        key: String, versionId: String, isLatest: Bool, lastModified: Date, isDeleteMarker: Bool = false,
        eTag: String? = nil, size: Int64? = nil, storageClass: String? = nil, checksumAlgorithms: [String] = [],
        owner: S3Owner? = nil
    ) {
        self.key = key
        self.versionId = versionId
        self.isLatest = isLatest
        self.lastModified = lastModified
        self.isDeleteMarker = isDeleteMarker
        self.eTag = eTag
        self.size = size
        self.storageClass = storageClass
        self.checksumAlgorithms = checksumAlgorithms
        self.owner = owner
    }

    /// The identifier DeleteObjects needs to remove exactly this version.
    public var identifier: S3ObjectIdentifier { S3ObjectIdentifier(key: key, versionId: versionId) }

    init(_ node: XMLNode, urlEncoded: Bool) throws {
        let isMarker = node.localName == "DeleteMarker"
        guard let key = S3Decoding.urlDecoded(try node.require("Key"), urlEncoded) else {
            throw XMLDecodeError(message: "element <Key> missing in <\(node.name)>")
        }
        self.init(
            key: key, versionId: try node.require("VersionId"),
            isLatest: try S3Decoding.bool(try node.require("IsLatest"), "<IsLatest>"),
            lastModified: try S3Decoding.timestamp(try node.require("LastModified"), "<LastModified>"),
            isDeleteMarker: isMarker, eTag: node.string("ETag"),
            size: try S3Decoding.optionalInt(node, "Size").map(Int64.init),
            storageClass: node.string("StorageClass"),
            checksumAlgorithms: node.children("ChecksumAlgorithm").map(\.trimmedText),
            owner: S3Owner(node.child("Owner")))
    }
}
