/// The headers header signing adds to a request, in order: `X-Amz-Date`,
/// `X-Amz-Security-Token` (with temporary credentials), `x-amz-content-sha256` (when the options
/// ask for it) and `Authorization`.
///
/// A collection over four stored values rather than an array of pairs: an array of
/// `(String, String)` tuples was allocated for every signature and destroyed element by element
/// through the runtime's generic tuple destroy, about a tenth of the signer's own work (issue
/// 19). The values are the same Strings either way, built when the request is signed.
public struct SigV4AddedHeaders: RandomAccessCollection, Sendable {
    public typealias Element = (name: String, value: String)
    public typealias Index = Int
    public typealias Indices = Range<Int>

    /// `yyyyMMdd'T'HHmmss'Z'`.
    let amzDate: String
    let sessionToken: String?
    let contentSHA256: String?
    /// `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`.
    let authorization: String

    public var startIndex: Int { 0 }
    public var endIndex: Int { (sessionToken == nil ? 2 : 3) &+ (contentSHA256 == nil ? 0 : 1) }

    public subscript(position: Int) -> Element {
        precondition(position >= 0 && position < endIndex, "SigV4AddedHeaders index out of range")
        if position == 0 { return ("X-Amz-Date", amzDate) }
        if position == endIndex &- 1 { return ("Authorization", authorization) }
        if position == 1, let sessionToken { return ("X-Amz-Security-Token", sessionToken) }
        // The only one left between the token (if any) and Authorization.
        return ("x-amz-content-sha256", contentSHA256 ?? "")
    }
}
