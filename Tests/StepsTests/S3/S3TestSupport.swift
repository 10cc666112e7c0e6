import CCrypto
import Foundation

/// Helpers for the S3 step tests.
enum S3TestSupport {
    /// SHA-256, base64, as S3's `x-amz-checksum-sha256`.
    static func sha256Base64(_ data: Data) -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        data.withUnsafeBytes { buffer in
            _ = digest.withUnsafeMutableBufferPointer { cutover_sha256(buffer.baseAddress, buffer.count, $0.baseAddress) }
        }
        return Data(digest).base64EncodedString()
    }
}
