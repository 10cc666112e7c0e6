/// One part of a multipart upload, as CompleteMultipartUpload needs it.
public struct S3CompletedPart: Sendable, Equatable {
    public var partNumber: Int
    /// The part's ETag from UploadPartCopy (quotes included, as S3 returned it).
    public var eTag: String
    /// The part's checksums when the upload was created with a checksum algorithm.
    public var checksums: [String: String]

    public init(partNumber: Int, eTag: String, checksums: [String: String] = [:]) {
        self.partNumber = partNumber
        self.eTag = eTag
        self.checksums = checksums
    }

    /// The `<CompleteMultipartUpload>` document; parts must be in ascending part-number order,
    /// so they are sorted here.
    static func completeDocument(_ parts: [S3CompletedPart]) -> XMLWriter {
        var xml = XMLWriter()
        xml.start("CompleteMultipartUpload", namespace: S3Client.namespace)
        for part in parts.sorted(by: { $0.partNumber < $1.partNumber }) {
            xml.start("Part")
            xml.element("PartNumber", String(part.partNumber))
            xml.element("ETag", part.eTag)
            for (algorithm, value) in part.checksums.sorted(by: { $0.key < $1.key }) {
                xml.element("Checksum\(algorithm)", value)
            }
            xml.end()
        }
        xml.end()
        return xml
    }
}
