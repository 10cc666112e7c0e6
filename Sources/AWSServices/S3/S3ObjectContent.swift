import Foundation

/// A whole object read by GetObject: its bytes and the metadata in the answer's headers.
public struct S3ObjectContent: Sendable, Equatable {
    public var metadata: S3ObjectMetadata
    public var body: Data

    public init(metadata: S3ObjectMetadata, body: Data) {
        self.metadata = metadata
        self.body = body
    }
}
