/// The result of query (presigned URL) signing.
public struct SigV4Presigned: Sendable {
    /// Decoded `X-Amz-Algorithm`, `-Credential`, `-Date`, `-Expires`, `-SignedHeaders`,
    /// `-Security-Token` (with temporary credentials) and, last, `-Signature`. Append them to the
    /// request's own query pairs and encode all with `SigV4URIEncoding.encode(_:encodeSlash: true)`.
    public var queryToAdd: [(name: String, value: String)]
    public var canonicalRequest: String
    public var stringToSign: String
    /// Lower-case hex HMAC-SHA256 of `stringToSign`.
    public var signature: String

    public init(
        queryToAdd: [(name: String, value: String)], canonicalRequest: String, stringToSign: String,
        signature: String
    ) {
        self.queryToAdd = queryToAdd
        self.canonicalRequest = canonicalRequest
        self.stringToSign = stringToSign
        self.signature = signature
    }
}

extension SigV4Presigned: CustomStringConvertible {
    /// Names the added parameters and the signature; never the session token.
    public var description: String {
        "SigV4Presigned(signature: \(signature), parameters: \(queryToAdd.map(\.name).joined(separator: ", ")))"
    }
}
