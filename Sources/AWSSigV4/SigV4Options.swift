/// The per-service differences in SigV4 canonicalisation.
///
/// Most services normalise the path and URI-encode it a second time; S3 does neither and adds
/// `x-amz-content-sha256` (botocore `S3SigV4Auth`). Pick `.standard` or `.s3`; the individual
/// switches exist for the official test suite's variants.
public struct SigV4Options: Sendable, Equatable {
    /// Apply RFC 3986 `remove_dot_segments` and collapse empty segments before encoding
    /// (botocore `normalize_url_path`). S3 keys like `a//b/./c` are real names, so `false` there.
    public var normalizePath: Bool
    /// Canonical URI = `encode(path, encodeSlash: false)` of the (normalised) wire path, so `%20`
    /// on the wire becomes `%2520`. `false` uses the wire path as-is (S3).
    public var doubleEncodePath: Bool
    /// Add and sign `x-amz-content-sha256` with the payload hash (S3 always; the suite's
    /// `sign_body`). Header signing only: presigned URLs never carry it.
    public var addContentSHA256Header: Bool
    /// Sign `X-Amz-Security-Token`. `false` reproduces services that want the token added after
    /// signing (the suite's `omit_session_token`); the token is still returned to be sent.
    public var signSessionToken: Bool
    /// Presigned URLs hash the payload as `UNSIGNED-PAYLOAD` (S3, botocore `S3SigV4QueryAuth`)
    /// instead of hashing the body (botocore `SigV4QueryAuth`).
    public var presignUnsignedPayload: Bool

    /// Every service except S3: normalise, double-encode, no content header.
    public static let standard = SigV4Options()
    /// S3: wire path as-is, `x-amz-content-sha256` signed, presigned URLs with `UNSIGNED-PAYLOAD`.
    public static let s3 = SigV4Options(
        normalizePath: false, doubleEncodePath: false, addContentSHA256Header: true,
        presignUnsignedPayload: true)

    public init(
        normalizePath: Bool = true, doubleEncodePath: Bool = true, addContentSHA256Header: Bool = false,
        signSessionToken: Bool = true, presignUnsignedPayload: Bool = false
    ) {
        self.normalizePath = normalizePath
        self.doubleEncodePath = doubleEncodePath
        self.addContentSHA256Header = addContentSHA256Header
        self.signSessionToken = signSessionToken
        self.presignUnsignedPayload = presignUnsignedPayload
    }
}
