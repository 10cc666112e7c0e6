import CCrypto

/// SHA-256 as lowercase hex, for the runbook's source hash and the plan's hash.
enum SHA256Hex {
    static func digest(_ bytes: some Collection<UInt8>) -> String {
        var out = [UInt8](repeating: 0, count: 32)
        let input = Array(bytes)
        _ = input.withUnsafeBytes { raw in
            out.withUnsafeMutableBufferPointer { cutover_sha256(raw.baseAddress, raw.count, $0.baseAddress) }
        }
        return out.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    static func digest(_ text: String) -> String { digest(Array(text.utf8)) }
}
