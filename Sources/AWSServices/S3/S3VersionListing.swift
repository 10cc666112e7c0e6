/// One page of ListObjectVersions.
public struct S3VersionListing: Sendable, Equatable {
    /// Object versions, in S3's order (by key, newest first within a key).
    public var versions: [S3ObjectVersion]
    /// Delete markers, in S3's order.
    public var deleteMarkers: [S3ObjectVersion]
    /// Versions and delete markers together in S3's order (by key, newest first within a key,
    /// markers between the versions they fall between): a key's history without merging by
    /// LastModified, whose ties would be ambiguous (AWS-NOTES-2 VER-2).
    public var entries: [S3ObjectVersion]
    public var commonPrefixes: [String]
    public var isTruncated: Bool
    /// Both set exactly when `isTruncated` (the version marker may be absent for `null` keys).
    public var nextKeyMarker: String?
    public var nextVersionIdMarker: String?

    public init(
        versions: [S3ObjectVersion], deleteMarkers: [S3ObjectVersion], commonPrefixes: [String] = [],
        isTruncated: Bool = false, nextKeyMarker: String? = nil, nextVersionIdMarker: String? = nil
    ) {
        self.versions = versions
        self.deleteMarkers = deleteMarkers
        self.entries = (versions + deleteMarkers).enumerated().sorted { a, b in
            if a.element.key != b.element.key { return a.element.key < b.element.key }
            if a.element.lastModified != b.element.lastModified { return a.element.lastModified > b.element.lastModified }
            return a.offset < b.offset
        }.map(\.element)
        self.commonPrefixes = commonPrefixes
        self.isTruncated = isTruncated
        self.nextKeyMarker = nextKeyMarker
        self.nextVersionIdMarker = nextVersionIdMarker
    }

    /// Versions and delete markers together, as DeleteObjects identifiers.
    public var identifiers: [S3ObjectIdentifier] { (versions + deleteMarkers).map(\.identifier) }

    /// Decodes `<ListVersionsResult>`.
    init(xml root: XMLNode) throws {
        try S3Decoding.expectRoot(root, "ListVersionsResult")
        let encoded = root.string("EncodingType") == "url"
        let truncated = try S3Decoding.optionalBool(root, "IsTruncated") ?? false
        let keyMarker = S3Decoding.urlDecoded(root.string("NextKeyMarker"), encoded).flatMap { $0.isEmpty ? nil : $0 }
        if truncated && keyMarker == nil {
            throw XMLDecodeError(message: "<IsTruncated> is true but <NextKeyMarker> is missing")
        }
        self.init(
            versions: try root.children("Version").map { try S3ObjectVersion($0, urlEncoded: encoded) },
            deleteMarkers: try root.children("DeleteMarker").map { try S3ObjectVersion($0, urlEncoded: encoded) },
            commonPrefixes: root.children("CommonPrefixes").compactMap { S3Decoding.urlDecoded($0.string("Prefix"), encoded) },
            isTruncated: truncated, nextKeyMarker: truncated ? keyMarker : nil,
            nextVersionIdMarker: truncated ? root.string("NextVersionIdMarker").flatMap { $0.isEmpty ? nil : $0 } : nil)
        entries = try root.children.filter { $0.localName == "Version" || $0.localName == "DeleteMarker" }
            .map { try S3ObjectVersion($0, urlEncoded: encoded) }
    }
}
