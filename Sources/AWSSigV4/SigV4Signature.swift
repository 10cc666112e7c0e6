/// The result of header signing: what to add to the request, plus the intermediate strings AWS
/// echoes back in `SignatureDoesNotMatch` errors, for diagnosis.
///
/// Cheap to make and to drop, as every AWS call makes one: the added headers are four stored
/// Strings, and the canonical request and string to sign stay bytes in the signer's block until
/// someone reads them (most signatures are sent, never inspected).
public struct SigV4Signature: Sendable {
    /// `X-Amz-Date`, `X-Amz-Security-Token` (with temporary credentials),
    /// `x-amz-content-sha256` (when the options ask for it) and `Authorization`, in that order.
    /// Set them on the request, replacing any header of the same name.
    public let headersToAdd: SigV4AddedHeaders
    /// Built from the signer's bytes when read.
    public var canonicalRequest: String { text.string(text.canonicalRequest) }
    public var stringToSign: String { text.string(text.stringToSign) }
    /// Lower-case hex HMAC-SHA256 of `stringToSign`: the last 64 characters of the
    /// `Authorization` value, which already carries it, so reading it copies nothing (a String of
    /// its own cost an allocation and a second hex encoding per read; issue 19).
    public var signature: Substring {
        let authorization = headersToAdd.authorization
        let utf8 = authorization.utf8
        return Substring(utf8[utf8.index(utf8.endIndex, offsetBy: -64)...])
    }

    private let text: SigV4SignedText

    init(headersToAdd: SigV4AddedHeaders, text: SigV4SignedText) {
        self.headersToAdd = headersToAdd
        self.text = text
    }
}

/// The canonical request and the string to sign as the signer wrote them: two byte ranges of
/// the block it wrote them in.
///
/// `@unchecked Sendable`: the signer is the block's only writer and is done with it before it
/// makes this; from then on the bytes are only read, so any number of threads may share them.
struct SigV4SignedText: @unchecked Sendable {
    let block: SigV4SigningBlock
    let canonicalRequest: Range<Int>
    let stringToSign: Range<Int>

    func string(_ range: Range<Int>) -> String {
        withExtendedLifetime(block) {
            String(
                decoding: UnsafeRawBufferPointer(start: block.bytes + range.lowerBound, count: range.count),
                as: UTF8.self)
        }
    }
}

extension SigV4Signature: CustomStringConvertible {
    /// Names the added headers and the signature; never values such as the session token.
    public var description: String {
        "SigV4Signature(signature: \(signature), headers: \(headersToAdd.map(\.name).joined(separator: ", ")))"
    }
}
