import CCrypto
import Foundation

/// SHA-256 of downloaded bytes, base64 as S3 writes `x-amz-checksum-sha256`, for objects whose
/// stored checksum is missing or covers parts rather than the whole object.
enum S3ContentHash {
    static func sha256Base64(_ data: Data) -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        data.withUnsafeBytes { buffer in
            _ = digest.withUnsafeMutableBufferPointer { cutover_sha256(buffer.baseAddress, buffer.count, $0.baseAddress) }
        }
        return Data(digest).base64EncodedString()
    }
}
