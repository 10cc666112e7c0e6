import Foundation

/// What the signature says about the body: its bytes (hashed here), a hash the caller already
/// computed (large or streamed bodies), or nothing at all.
public enum SigV4Payload: Sendable {
    /// The whole body; the signer hashes it with SHA-256.
    case bytes(Data)
    /// A lower-case hex SHA-256 (or a literal such as `STREAMING-AWS4-HMAC-SHA256-PAYLOAD`) used
    /// verbatim as the canonical request's payload hash.
    case precomputedHash(String)
    /// `UNSIGNED-PAYLOAD`: S3 over TLS accepts it, and presigned S3 URLs always use it.
    case unsigned
}

extension SigV4Payload {
    /// The literal AWS expects in place of a hash when the body is not signed.
    public static let unsignedPayloadLiteral = "UNSIGNED-PAYLOAD"

    /// SHA-256 of no bytes, the hash of every bodiless request.
    public static let emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// The payload hash as it goes into the canonical request.
    public var canonicalHash: String {
        switch self {
        case .bytes(let data): return data.isEmpty ? Self.emptySHA256 : SigV4Digest.sha256Hex(data)
        case .precomputedHash(let hash): return hash
        case .unsigned: return Self.unsignedPayloadLiteral
        }
    }
}
