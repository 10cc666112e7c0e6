/// A request S3Client refuses to send because S3 would reject it or it cannot mean what was asked
/// (more than 1,000 keys in one DeleteObjects, removing versioning from a bucket, …).
///
/// Distinct from `AWSError`: nothing went on the wire, so there is no status or request ID; the
/// fix is in the caller's input.
public struct S3RequestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable codes callers can match on.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// DeleteObjects with more than 1,000 keys (S3's limit per request).
        public static let tooManyKeys = Code(rawValue: "TooManyKeys")
        /// The operation does not exist for this sub-resource (S3 has no way to undo it).
        public static let notDeletable = Code(rawValue: "NotDeletable")
        /// A parameter value S3 would reject (an empty key list, a bad byte range, …).
        public static let invalidArgument = Code(rawValue: "InvalidArgument")
    }

    public var code: Code
    public var message: String
    public var operation: String
    public var resource: String?

    public init(code: Code, message: String, operation: String, resource: String? = nil) {
        self.code = code
        self.message = message
        self.operation = operation
        self.resource = resource
    }

    public var description: String {
        "s3:\(operation) not sent: \(code): \(message)" + (resource.map { " [resource \($0)]" } ?? "")
    }
}
