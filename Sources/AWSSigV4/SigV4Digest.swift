import CCrypto
import Foundation

/// SHA-256, HMAC-SHA256 and lower-case hex over libcrypto, without intermediate allocations.
enum SigV4Digest {
    typealias Bytes32 = (
        UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
        UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
    )

    static let zero32: Bytes32 = (
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
    )

    /// SHA-256 of raw memory.
    static func sha256(_ buffer: UnsafeRawBufferPointer) -> Bytes32 {
        var digest = zero32
        withUnsafeMutableBytes(of: &digest) { out in
            // libcrypto's EVP_Digest only fails on allocation failure; there is no useful recovery.
            _ = cutover_sha256(buffer.baseAddress, buffer.count, out.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        return digest
    }

    /// SHA-256 of raw memory as lower-case hex.
    static func sha256Hex(_ buffer: UnsafeRawBufferPointer) -> String {
        hex(sha256(buffer))
    }

    static func sha256Hex(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { sha256Hex($0) }
    }

    static func sha256Hex(_ data: Data) -> String {
        data.withUnsafeBytes { sha256Hex($0) }
    }

    static func sha256Hex(_ string: String) -> String {
        var string = string
        return string.withUTF8 { sha256Hex(UnsafeRawBufferPointer($0)) }
    }

    /// HMAC-SHA256 of `message` under `key`.
    static func hmac(key: UnsafeRawBufferPointer, message: UnsafeRawBufferPointer) -> Bytes32 {
        var digest = zero32
        withUnsafeMutableBytes(of: &digest) { out in
            _ = cutover_hmac_sha256(
                key.baseAddress, key.count, message.baseAddress, message.count,
                out.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        return digest
    }

    /// SHA-256 chaining values after HMAC's inner and outer pad blocks of one key (eight words
    /// each): as secret as the key itself.
    typealias HMACState = (
        UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32,
        UInt32, UInt32
    )

    /// Hashes `key`'s two HMAC pad blocks once, so every message under it costs two blocks fewer
    /// (`hmac(state:message:)`). Any key length, as HMAC allows.
    static func hmacState(key: UnsafeRawBufferPointer) -> HMACState {
        var state: HMACState = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &state) { out in
            // Only fails on allocation failure, as for EVP_Digest; the state is then zero and the
            // signature wrong, which AWS rejects (SignatureDoesNotMatch) rather than accepts.
            _ = cutover_hmac_sha256_prepare(
                key.baseAddress, key.count, out.baseAddress!.assumingMemoryBound(to: UInt32.self))
        }
        return state
    }

    static func hmacState(key: Bytes32) -> HMACState {
        withUnsafeBytes(of: key) { hmacState(key: $0) }
    }

    /// HMAC-SHA256 of `message` under the key `state` was prepared from: the same MAC as
    /// `hmac(key:message:)`.
    static func hmac(state: HMACState, message: UnsafeRawBufferPointer) -> Bytes32 {
        var state = state
        var digest = zero32
        withUnsafeBytes(of: &state) { stateBytes in
            withUnsafeMutableBytes(of: &digest) { out in
                _ = cutover_hmac_sha256_prepared(
                    stateBytes.baseAddress!.assumingMemoryBound(to: UInt32.self), message.baseAddress, message.count,
                    out.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
        }
        return digest
    }

    static func hmac(key: Bytes32, message: String) -> Bytes32 {
        var key = key
        var message = message
        return withUnsafeBytes(of: &key) { keyBytes in
            message.withUTF8 { hmac(key: keyBytes, message: UnsafeRawBufferPointer($0)) }
        }
    }

    /// The lower-case hex digit for a value 0...15 (arithmetic, not a table: a global table costs
    /// a `swift_once` check on every use).
    @inline(__always)
    static func lowerHexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") &+ value : UInt8(ascii: "a") &+ (value &- 10)
    }

    /// Writes two lower-case hex digits per byte of `bytes` at `out`.
    @inline(__always)
    static func writeLowerHex(_ bytes: UnsafeRawBufferPointer, to out: UnsafeMutablePointer<UInt8>) {
        for index in 0..<bytes.count {
            let byte = bytes[index]
            out[index &* 2] = lowerHexDigit(byte >> 4)
            out[index &* 2 &+ 1] = lowerHexDigit(byte & 0x0F)
        }
    }

    /// Lower-case hex of a 32-byte digest.
    static func hex(_ digest: Bytes32) -> String {
        withUnsafeBytes(of: digest) { bytes in
            String(unsafeUninitializedCapacity: 64) { out in
                writeLowerHex(bytes, to: out.baseAddress!)
                return 64
            }
        }
    }
}
