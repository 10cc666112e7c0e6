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

    static func hmac(key: Bytes32, message: String) -> Bytes32 {
        var key = key
        var message = message
        return withUnsafeBytes(of: &key) { keyBytes in
            message.withUTF8 { hmac(key: keyBytes, message: UnsafeRawBufferPointer($0)) }
        }
    }

    private static let lowerHexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Lower-case hex of a 32-byte digest, through a lookup table.
    static func hex(_ digest: Bytes32) -> String {
        var digest = digest
        return withUnsafeBytes(of: &digest) { bytes in
            lowerHexDigits.withUnsafeBufferPointer { table in
                String(unsafeUninitializedCapacity: 64) { out in
                    for (index, byte) in bytes.enumerated() {
                        out[index &* 2] = table[Int(byte >> 4)]
                        out[index &* 2 &+ 1] = table[Int(byte & 0x0F)]
                    }
                    return 64
                }
            }
        }
    }
}
