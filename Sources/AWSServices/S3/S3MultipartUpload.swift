import Foundation

/// An incomplete multipart upload, as ListMultipartUploads reports it.
public struct S3MultipartUpload: Sendable, Equatable {
    public var key: String
    public var uploadId: String
    public var initiated: Date?
    public var storageClass: String?
    public var checksumAlgorithm: String?

    public init(key: String, uploadId: String, initiated: Date? = nil, storageClass: String? = nil, checksumAlgorithm: String? = nil) {
        self.key = key
        self.uploadId = uploadId
        self.initiated = initiated
        self.storageClass = storageClass
        self.checksumAlgorithm = checksumAlgorithm
    }

    init(_ node: XMLNode, urlEncoded: Bool) throws {
        guard let key = S3Decoding.urlDecoded(try node.require("Key"), urlEncoded) else {
            throw XMLDecodeError(message: "element <Key> missing in <Upload>")
        }
        self.init(
            key: key, uploadId: try node.require("UploadId"), initiated: try S3Decoding.optionalTimestamp(node, "Initiated"),
            storageClass: node.string("StorageClass"), checksumAlgorithm: node.string("ChecksumAlgorithm"))
    }
}
