/// The result of header signing: what to add to the request, plus the intermediate strings AWS
/// echoes back in `SignatureDoesNotMatch` errors, for diagnosis.
public struct SigV4Signature: Sendable {
    /// `X-Amz-Date`, `X-Amz-Security-Token` (with temporary credentials),
    /// `x-amz-content-sha256` (when the options ask for it) and `Authorization`, in that order.
    /// Set them on the request, replacing any header of the same name.
    public var headersToAdd: [(name: String, value: String)]
    public var canonicalRequest: String
    public var stringToSign: String
    /// Lower-case hex HMAC-SHA256 of `stringToSign`.
    public var signature: String

    public init(
        headersToAdd: [(name: String, value: String)], canonicalRequest: String, stringToSign: String,
        signature: String
    ) {
        self.headersToAdd = headersToAdd
        self.canonicalRequest = canonicalRequest
        self.stringToSign = stringToSign
        self.signature = signature
    }
}

extension SigV4Signature: CustomStringConvertible {
    /// Names the added headers and the signature; never values such as the session token.
    public var description: String {
        "SigV4Signature(signature: \(signature), headers: \(headersToAdd.map(\.name).joined(separator: ", ")))"
    }
}
