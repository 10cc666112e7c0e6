import Foundation

/// A multipart upload between CreateMultipartUpload and Complete/Abort.
public struct S3PendingUpload: Sendable, Equatable {
    public struct Part: Sendable, Equatable {
        public var partNumber: Int
        public var body: S3ObjectBody
        /// Quoted MD5 of the part's bytes.
        public var eTag: String
        public var lastModified: Date
        public var checksumSHA256: String?
        /// The MD5 behind the ETag, for the multipart ETag (MD5 of the parts' MD5s).
        var md5: [UInt8]
    }

    public var uploadId: String
    public var key: String
    public var initiated: Date
    public var initiatorAccount: String
    public var write: S3ObjectWrite
    /// `x-amz-checksum-algorithm` given at creation.
    public var checksumAlgorithm: String?
    public var parts: [Int: Part]
}
