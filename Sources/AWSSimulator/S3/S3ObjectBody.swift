import CCrypto
import Foundation

/// An object's (or part's) content. Real bytes for everything a test reads back; `synthetic` for
/// objects that only need a size (a 6 GiB source proving the 5 GB CopyObject limit) without
/// holding the bytes. Synthetic content reads as zero bytes.
public enum S3ObjectBody: Sendable, Equatable {
    case bytes(Data)
    case synthetic(size: Int64)

    public var size: Int64 {
        switch self {
        case .bytes(let data): Int64(data.count)
        case .synthetic(let size): size
        }
    }

    /// The bytes `range` (inclusive offsets, already validated against `size`).
    func slice(_ range: ClosedRange<Int64>) -> S3ObjectBody {
        switch self {
        case .bytes(let data):
            let start = data.startIndex + Int(range.lowerBound)
            return .bytes(Data(data[start...(start + Int(range.upperBound - range.lowerBound))]))
        case .synthetic:
            return .synthetic(size: range.upperBound - range.lowerBound + 1)
        }
    }

    /// Parts joined in order; synthetic when any part is.
    static func joined(_ parts: [S3ObjectBody]) -> S3ObjectBody {
        var data = Data()
        var total: Int64 = 0
        var synthetic = false
        for part in parts {
            total += part.size
            switch part {
            case .bytes(let bytes) where !synthetic: data.append(bytes)
            default: synthetic = true
            }
        }
        return synthetic ? .synthetic(size: total) : .bytes(data)
    }

    /// The content as bytes, when it can be held in memory (synthetic content up to `limit`
    /// bytes reads as zeros).
    func materialized(limit: Int64 = 64 << 20) -> Data? {
        switch self {
        case .bytes(let data): data
        case .synthetic(let size): size <= limit ? Data(count: Int(size)) : nil
        }
    }
}

/// MD5 and SHA-256 over libcrypto, and the encodings S3 shows them in.
enum S3Digest {
    static func md5(_ data: Data) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 16)
        data.withUnsafeBytes { raw in _ = cutover_md5(raw.baseAddress, raw.count, &out) }
        return out
    }

    static func sha256(_ data: Data) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        data.withUnsafeBytes { raw in _ = cutover_sha256(raw.baseAddress, raw.count, &out) }
        return out
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A stand-in digest for synthetic content, stable for the same size and label.
    static func syntheticMD5(size: Int64, label: String) -> [UInt8] {
        md5(Data("synthetic:\(size):\(label)".utf8))
    }

    /// The quoted ETag of a single-part body: `"<md5 hex>"`.
    static func eTag(of body: S3ObjectBody, label: String) -> String {
        switch body {
        case .bytes(let data): "\"\(hex(md5(data)))\""
        case .synthetic(let size): "\"\(hex(syntheticMD5(size: size, label: label)))\""
        }
    }
}
