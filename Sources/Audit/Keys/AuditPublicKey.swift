import CCrypto
import Foundation

/// An Ed25519 public key that checkpoint signatures are checked against: the key a bundle names,
/// or — what an auditor should do — a key pinned from the daemon's `audit key export` output.
///
/// Text forms accepted by `init(parsing:)`: 64 hex digits, base64 of the 32 raw bytes, a PEM
/// `PUBLIC KEY` (SubjectPublicKeyInfo, what `openssl pkey -pubout` prints), or base64 of that DER.
public struct AuditPublicKey: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The 32 raw bytes.
    public let rawValue: [UInt8]

    /// SubjectPublicKeyInfo prefix for Ed25519 (RFC 8410): SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING }.
    static let spkiPrefix: [UInt8] = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]

    public init(rawValue: [UInt8]) throws(AuditError) {
        guard rawValue.count == 32 else {
            throw AuditError(.badPublicKey, "an Ed25519 public key has 32 bytes, not \(rawValue.count)")
        }
        self.rawValue = rawValue
    }

    /// Parses any of the accepted text forms (surrounding whitespace ignored).
    public init(parsing text: String) throws(AuditError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.count == 64, let bytes = Hex.decode(trimmed) {
            try self.init(rawValue: bytes)
            return
        }
        var body = trimmed
        if trimmed.hasPrefix("-----BEGIN PUBLIC KEY-----") {
            body = PEM.body(of: trimmed, label: "PUBLIC KEY") ?? ""
        }
        guard let data = Data(base64Encoded: body.filter { !$0.isWhitespace }) else {
            throw AuditError(
                .badPublicKey,
                "not an Ed25519 public key: expected 64 hex digits, base64 of 32 bytes, or a PEM PUBLIC KEY (from `cutoverctl audit key export`)"
            )
        }
        let bytes = [UInt8](data)
        if bytes.count == 32 {
            try self.init(rawValue: bytes)
        } else if bytes.count == 44, Array(bytes.prefix(12)) == Self.spkiPrefix {
            try self.init(rawValue: Array(bytes.suffix(32)))
        } else {
            throw AuditError(
                .badPublicKey, "the key decodes to \(bytes.count) bytes, which is neither a raw Ed25519 key nor its PEM form")
        }
    }

    /// The short ID checkpoints carry: the first 8 bytes of the key's SHA-256, as 16 hex digits.
    /// Short enough to read out over a call, long enough that no two keys of one fleet collide.
    public var keyId: String { Hex.encode(Array(SHA256.digest(rawValue).prefix(8))) }

    /// The 32 bytes in standard base64: the form `audit key export` prints and `--key` takes.
    public var base64: String { Data(rawValue).base64EncodedString() }

    public var hex: String { Hex.encode(rawValue) }

    /// PEM `PUBLIC KEY`, readable by `openssl pkey -pubin`.
    public var pem: String { PEM.encode(Self.spkiPrefix + rawValue, label: "PUBLIC KEY") }

    /// Whether `signature` is this key's Ed25519 signature of `message`.
    public func isValidSignature(_ signature: [UInt8], of message: [UInt8]) -> Bool {
        guard signature.count == 64 else { return false }
        return rawValue.withUnsafeBufferPointer { key in
            message.withUnsafeBytes { data in
                signature.withUnsafeBufferPointer { sig in
                    cutover_ed25519_verify(key.baseAddress, data.baseAddress, data.count, sig.baseAddress) == 1
                }
            }
        }
    }

    public var description: String { "ed25519 \(keyId) \(base64)" }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(parsing: text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(base64)
    }
}

/// Lower-case hex, as the journal writes hashes.
enum Hex {
    static func encode(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        func value(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        var out = [UInt8]()
        out.reserveCapacity(chars.count / 2)
        var index = 0
        while index < chars.count {
            guard let high = value(chars[index]), let low = value(chars[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }
}

enum SHA256 {
    static func digest(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        let ok = bytes.withUnsafeBytes { input in
            digest.withUnsafeMutableBufferPointer { cutover_sha256(input.baseAddress, input.count, $0.baseAddress!) }
        }
        precondition(ok == 1, "libcrypto SHA-256 failed")
        return digest
    }
}

/// RFC 7468 text encoding.
enum PEM {
    static func encode(_ der: [UInt8], label: String) -> String {
        let base64 = Data(der).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN \(label)-----\n\(base64)\n-----END \(label)-----\n"
    }

    /// The base64 between the BEGIN and END lines of `label`, or nil.
    static func body(of text: String, label: String) -> String? {
        guard let begin = text.range(of: "-----BEGIN \(label)-----"),
            let end = text.range(of: "-----END \(label)-----", range: begin.upperBound..<text.endIndex)
        else { return nil }
        return String(text[begin.upperBound..<end.lowerBound])
    }
}
