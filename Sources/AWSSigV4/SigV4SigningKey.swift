/// A derived SigV4 signing key (`kSigning`): HMAC chain of the secret over date, region, service
/// and `aws4_request`. It is valid for one day, region and service, and is as sensitive as the
/// secret for that scope, so it is never printed.
public struct SigV4SigningKey: Sendable, Equatable {
    let bytes: SigV4Digest.Bytes32
    /// HMAC's pad blocks under `bytes`, hashed once when the key is derived: a cached key signs
    /// every request with two SHA-256 blocks fewer (issue 19). Immutable, so it is shared across
    /// threads as freely as the key.
    let hmacState: SigV4Digest.HMACState

    init(bytes: SigV4Digest.Bytes32) {
        self.bytes = bytes
        self.hmacState = SigV4Digest.hmacState(key: bytes)
    }

    /// Derives the key from the secret access key and the scope.
    ///
    /// - Parameter dateStamp: `yyyyMMdd` in UTC, the first 8 characters of `X-Amz-Date`.
    public init(secretAccessKey: String, dateStamp: String, region: String, service: String) {
        var secretBytes = Array("AWS4".utf8)
        secretBytes.append(contentsOf: secretAccessKey.utf8)
        var dateKey = SigV4Digest.zero32
        var date = dateStamp
        secretBytes.withUnsafeBytes { key in
            date.withUTF8 { dateKey = SigV4Digest.hmac(key: key, message: UnsafeRawBufferPointer($0)) }
        }
        let regionKey = SigV4Digest.hmac(key: dateKey, message: region)
        let serviceKey = SigV4Digest.hmac(key: regionKey, message: service)
        self.init(bytes: SigV4Digest.hmac(key: serviceKey, message: "aws4_request"))
    }

    public static func == (lhs: SigV4SigningKey, rhs: SigV4SigningKey) -> Bool {
        withUnsafeBytes(of: lhs.bytes) { left in withUnsafeBytes(of: rhs.bytes) { right in left.elementsEqual(right) } }
    }

    /// Lower-case hex HMAC-SHA256 of `message` under this key: the final SigV4 step.
    func signatureHex(of message: UnsafeRawBufferPointer) -> String {
        SigV4Digest.hex(signature(of: message))
    }

    /// HMAC-SHA256 of `message` under this key, as bytes.
    func signature(of message: UnsafeRawBufferPointer) -> SigV4Digest.Bytes32 {
        SigV4Digest.hmac(state: hmacState, message: message)
    }

    /// Hex of the key itself, for tests against published intermediate values.
    var hexForTesting: String { SigV4Digest.hex(bytes) }
}

extension SigV4SigningKey: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "SigV4SigningKey(redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
