/// What DeleteObjects reports per key: a 200 answer can still carry per-key failures.
public struct S3DeleteResult: Sendable, Equatable {
    /// One key that was deleted (missing keys count as deleted).
    public struct Deleted: Sendable, Equatable {
        public var key: String
        public var versionId: String?
        /// The delete created (or removed) a delete marker.
        public var deleteMarker: Bool
        public var deleteMarkerVersionId: String?

        public init(key: String, versionId: String? = nil, deleteMarker: Bool = false, deleteMarkerVersionId: String? = nil) {
            self.key = key
            self.versionId = versionId
            self.deleteMarker = deleteMarker
            self.deleteMarkerVersionId = deleteMarkerVersionId
        }
    }

    /// One key S3 could not delete (`AccessDenied` for a locked version, …).
    public struct Failure: Sendable, Equatable {
        public var key: String
        public var versionId: String?
        public var code: String
        public var message: String

        public init(key: String, versionId: String? = nil, code: String, message: String) {
            self.key = key
            self.versionId = versionId
            self.code = code
            self.message = message
        }
    }

    public var deleted: [Deleted]
    public var errors: [Failure]
    public var requestId: String?

    public init(deleted: [Deleted], errors: [Failure], requestId: String? = nil) {
        self.deleted = deleted
        self.errors = errors
        self.requestId = requestId
    }

    /// Decodes `<DeleteResult>`.
    init(xml root: XMLNode, requestId: String?) throws {
        try S3Decoding.expectRoot(root, "DeleteResult")
        self.init(
            deleted: try root.children("Deleted").map {
                Deleted(
                    key: try $0.require("Key"), versionId: $0.string("VersionId"),
                    deleteMarker: try S3Decoding.optionalBool($0, "DeleteMarker") ?? false,
                    deleteMarkerVersionId: $0.string("DeleteMarkerVersionId"))
            },
            errors: try root.children("Error").map {
                Failure(
                    key: try $0.require("Key"), versionId: $0.string("VersionId"), code: try $0.require("Code"),
                    message: $0.string("Message") ?? "")
            },
            requestId: requestId)
    }

    /// The `<Delete>` request document.
    static func deleteDocument(_ objects: [S3ObjectIdentifier], quiet: Bool) -> XMLWriter {
        var xml = XMLWriter()
        xml.start("Delete", namespace: S3Client.namespace)
        for object in objects {
            xml.start("Object")
            xml.element("Key", object.key)
            xml.optional("VersionId", object.versionId)
            xml.end()
        }
        if quiet { xml.element("Quiet", "true") }
        xml.end()
        return xml
    }
}
