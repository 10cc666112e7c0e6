/// Percent-encoding exactly as SigV4 canonicalisation requires (RFC 3986 "unreserved" kept).
///
/// AWS compares the canonical request byte for byte, so this is deliberately stricter than
/// Foundation's URL encoders: only `A-Z a-z 0-9 - _ . ~` survive, every other byte of the UTF-8
/// form becomes `%XX` with upper-case hex. The same function builds wire query strings, so what
/// is sent and what is signed cannot drift apart.
public enum SigV4URIEncoding {
    /// Encodes `s` for a canonical URI or query component.
    ///
    /// - Parameter encodeSlash: `false` keeps `/` (paths), `true` encodes it as `%2F` (query
    ///   names and values, S3 key segments).
    public static func encode(_ s: String, encodeSlash: Bool) -> String {
        var needsWork = false
        for byte in s.utf8 where !isKept(byte, encodeSlash: encodeSlash) {
            needsWork = true
            break
        }
        if !needsWork { return s }
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count * 3)
        appendEncoded(s, encodeSlash: encodeSlash, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Percent-decodes `s`. Malformed escapes (`%`, `%4`, `%zz`) are kept literally, and byte
    /// sequences that are not UTF-8 decode to U+FFFD, so any wire string yields some value.
    /// `+` is not a space here: SigV4 query strings never use form encoding.
    public static func decode(_ s: String) -> String {
        guard s.utf8.contains(UInt8(ascii: "%")) else { return s }
        let bytes = Array(s.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            if byte == UInt8(ascii: "%"), i + 2 < bytes.count, let hi = hexValue(bytes[i + 1]),
                let lo = hexValue(bytes[i + 2])
            {
                out.append(hi << 4 | lo)
                i += 3
            } else {
                out.append(byte)
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: - Byte-level helpers shared with the canonicaliser

    /// True for bytes that stay literal.
    @inline(__always)
    static func isKept(_ byte: UInt8, encodeSlash: Bool) -> Bool {
        // A 256-bit set as four words of literals: a global table costs a `swift_once` check
        // per byte. Bits: `-` `.` `0-9` in word 0; `A-Z` `_` `a-z` `~` in word 1.
        let word: UInt64 = byte < 64 ? 0x03FF_6000_0000_0000 : (byte < 128 ? 0x47FF_FFFE_87FF_FFFE : 0)
        if (word >> UInt64(byte & 63)) & 1 == 1 { return true }
        return !encodeSlash && byte == UInt8(ascii: "/")
    }

    /// Appends the encoded form of `s` to `out` without an intermediate String.
    static func appendEncoded(_ s: String, encodeSlash: Bool, to out: inout [UInt8]) {
        if s.utf8.allSatisfy({ isKept($0, encodeSlash: encodeSlash) }) {
            SigV4CanonicalWriter.appendUTF8(s, to: &out)
            return
        }
        for byte in s.utf8 {
            if isKept(byte, encodeSlash: encodeSlash) {
                out.append(byte)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(upperHexDigits[Int(byte >> 4)])
                out.append(upperHexDigits[Int(byte & 0x0F)])
            }
        }
    }

    private static let upperHexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// The upper-case hex digit for a value 0...15.
    @inline(__always)
    static func upperHexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") &+ value : UInt8(ascii: "A") &+ (value &- 10)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
