/// An AWS error as a service would return it. Each service renders it in its own wire format
/// (S3 `<Error>`, Query `<ErrorResponse>`, JSON `__type`).
public struct SimError: Error, Sendable, Equatable {
    public var code: String
    public var message: String
    public var status: Int
    /// The resource named in S3 error bodies (`<BucketName>`, `<Key>`), when relevant.
    public var resource: String?

    public init(_ code: String, _ message: String, status: Int, resource: String? = nil) {
        self.code = code
        self.message = message
        self.status = status
        self.resource = resource
    }
}
