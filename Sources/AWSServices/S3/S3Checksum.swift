import CCrypto
import Foundation

/// The request checksums S3 asks for, computed locally.
///
/// S3 requires an integrity header on DeleteObjects and on most bucket sub-resource PUTs
/// (`httpChecksum.requestChecksumRequired` in botocore's model). Current botocore no longer sends
/// `Content-MD5` for them: it sends `x-amz-checksum-crc32` with `x-amz-sdk-checksum-algorithm:
/// CRC32` (botocore `httpchecksum.py`, `DEFAULT_CHECKSUM_ALGORITHM`). We do the same.
enum S3Checksum {
    /// The headers botocore sends for a body whose checksum S3 requires.
    static func requiredHeaders(for body: Data) -> [(name: String, value: String)] {
        [("x-amz-sdk-checksum-algorithm", "CRC32"), ("x-amz-checksum-crc32", crc32Base64(body))]
    }

    /// CRC-32 (IEEE 802.3, as zlib), big-endian, base64: the `x-amz-checksum-crc32` value.
    static func crc32Base64(_ data: Data) -> String {
        let value = crc32(data)
        let bytes: [UInt8] = [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
        return Data(bytes).base64EncodedString()
    }

    static func crc32(_ data: Data) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        return crc ^ 0xFFFF_FFFF
    }

    private static let crcTable: [UInt32] = (0..<256).map { index in
        var c = UInt32(index)
        for _ in 0..<8 { c = (c & 1) != 0 ? (0xEDB8_8320 ^ (c >> 1)) : (c >> 1) }
        return c
    }

    /// SHA-256 of `data`, base64: the `x-amz-checksum-sha256` value.
    static func sha256Base64(_ data: Data) -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        data.withUnsafeBytes { buffer in
            // libcrypto's EVP_Digest fails only when allocation fails; there is nothing to recover.
            _ = cutover_sha256(buffer.baseAddress, buffer.count, &digest)
        }
        return Data(digest).base64EncodedString()
    }
}
