/// The result of header signing: what to add to the request, plus the intermediate strings AWS
/// echoes back in `SignatureDoesNotMatch` errors, for diagnosis.
public struct SigV4Signature: Sendable {
    /// `X-Amz-Date`, `X-Amz-Security-Token` (with temporary credentials),
    /// `x-amz-content-sha256` (when the options ask for it) and `Authorization`, in that order.
    /// Set them on the request, replacing any header of the same name.
    public var headersToAdd: [(name: String, value: String)]
    /// Built from the signer's bytes when first read: most signatures are sent, never inspected.
    public var canonicalRequest: String {
        get { canonicalRequestText ?? text.string(text.canonicalRequest) }
        set { canonicalRequestText = newValue }
    }
    public var stringToSign: String {
        get { stringToSignText ?? text.string(text.stringToSign) }
        set { stringToSignText = newValue }
    }
    /// Lower-case hex HMAC-SHA256 of `stringToSign`; built from the digest when first read, as
    /// the `Authorization` header already carries it.
    public var signature: String {
        get { signatureText ?? SigV4Digest.hex(signatureDigest) }
        set { signatureText = newValue }
    }

    private var signatureDigest: SigV4Digest.Bytes32
    private var signatureText: String?
    private var text: SigV4SignedText
    private var canonicalRequestText: String?
    private var stringToSignText: String?

    public init(
        headersToAdd: [(name: String, value: String)], canonicalRequest: String, stringToSign: String,
        signature: String
    ) {
        self.headersToAdd = headersToAdd
        self.text = .empty
        self.canonicalRequestText = canonicalRequest
        self.stringToSignText = stringToSign
        self.signatureDigest = SigV4Digest.zero32
        self.signatureText = signature
    }

    init(headersToAdd: [(name: String, value: String)], text: SigV4SignedText, signatureDigest: SigV4Digest.Bytes32) {
        self.headersToAdd = headersToAdd
        self.text = text
        self.signatureDigest = signatureDigest
    }
}

/// The canonical request and the string to sign as the signer wrote them: one buffer, two ranges.
struct SigV4SignedText: Sendable {
    static let empty = SigV4SignedText(bytes: [], canonicalRequest: 0..<0, stringToSign: 0..<0)

    var bytes: [UInt8]
    var canonicalRequest: Range<Int>
    var stringToSign: Range<Int>

    func string(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
}

extension SigV4Signature: CustomStringConvertible {
    /// Names the added headers and the signature; never values such as the session token.
    public var description: String {
        "SigV4Signature(signature: \(signature), headers: \(headersToAdd.map(\.name).joined(separator: ", ")))"
    }
}
