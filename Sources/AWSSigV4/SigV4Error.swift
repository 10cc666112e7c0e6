/// A request that cannot be signed as asked, with a stable code and a message that says what to do.
public struct SigV4Error: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable identifiers callers can match on.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let rawValue: String
        /// A presigned URL's lifetime is outside 1...604800 seconds (SigV4's 7-day limit).
        public static let invalidExpiry = Code(rawValue: "invalidExpiry")
        public var description: String { rawValue }
    }

    public var code: Code
    public var message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "SigV4Error.\(code): \(message)" }

    static func invalidExpiry(_ seconds: Int) -> SigV4Error {
        SigV4Error(
            code: .invalidExpiry,
            message: "presigned URL expiry \(seconds) s is outside 1...604800 s (SigV4 allows at most 7 days); "
                + "choose a shorter expiry")
    }
}
