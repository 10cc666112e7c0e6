import Foundation
import Testing

@testable import AWSSigV4

/// A cached signing key keeps HMAC's two pad blocks hashed and signs by resuming SHA-256 from the
/// saved states (issue 19). These check that shortcut against published HMAC-SHA256 values and
/// against the plain HMAC at every message length where SHA-256's padding changes shape.
@Suite struct PreparedHMACTests {
    static func hex(_ digest: SigV4Digest.Bytes32) -> String { SigV4Digest.hex(digest) }

    static func prepared(key: [UInt8], message: [UInt8]) -> SigV4Digest.Bytes32 {
        let state = key.withUnsafeBytes { SigV4Digest.hmacState(key: $0) }
        return message.withUnsafeBytes { SigV4Digest.hmac(state: state, message: $0) }
    }

    static func plain(key: [UInt8], message: [UInt8]) -> SigV4Digest.Bytes32 {
        key.withUnsafeBytes { key in message.withUnsafeBytes { SigV4Digest.hmac(key: key, message: $0) } }
    }

    /// RFC 4231 test cases 1, 2 and 6 (a 20-byte key, a 4-byte key, a 131-byte key that is
    /// hashed first).
    @Test func rfc4231Vectors() {
        let cases: [(key: [UInt8], message: String, mac: String)] = [
            ([UInt8](repeating: 0x0B, count: 20), "Hi There", "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
            (Array("Jefe".utf8), "what do ya want for nothing?", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
            (
                [UInt8](repeating: 0xAA, count: 131), "Test Using Larger Than Block-Size Key - Hash Key First",
                "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
            ),
        ]
        for item in cases {
            #expect(Self.hex(Self.prepared(key: item.key, message: Array(item.message.utf8))) == item.mac)
            #expect(Self.hex(Self.plain(key: item.key, message: Array(item.message.utf8))) == item.mac)
        }
    }

    /// Every length from 0 to 200 bytes (the padding spills into a second block from 56 bytes
    /// past a block boundary) and a few long ones, under a 32-byte key like a signing key.
    @Test func sameMACAsPlainHMACAtEveryLength() {
        let key = (0..<32).map { UInt8(truncatingIfNeeded: $0 &* 73 &+ 19) }
        let long = (0..<5000).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 13) }
        for length in Array(0...200) + [447, 448, 511, 512, 1000, 4096, 5000] {
            let message = Array(long.prefix(length))
            let prepared = Self.hex(Self.prepared(key: key, message: message))
            #expect(prepared == Self.hex(Self.plain(key: key, message: message)), "length \(length)")
        }
    }

    /// A derived key signs through its saved state; the result is the HMAC under its bytes.
    @Test func signingKeySignsWithItsPreparedState() {
        let key = SigV4SigningKey(
            secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", dateStamp: "20120215", region: "us-east-1",
            service: "iam")
        let message = Array("AWS4-HMAC-SHA256\n20120215T000000Z\n20120215/us-east-1/iam/aws4_request\n".utf8)
        let viaKey = message.withUnsafeBytes { key.signature(of: $0) }
        let plain = withUnsafeBytes(of: key.bytes) { keyBytes in
            message.withUnsafeBytes { SigV4Digest.hmac(key: keyBytes, message: $0) }
        }
        #expect(Self.hex(viaKey) == Self.hex(plain))
    }
}
