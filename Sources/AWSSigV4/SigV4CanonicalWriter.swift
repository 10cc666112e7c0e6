/// Writes the canonical request and the string to sign as bytes into one buffer, for header
/// signing, the hot path (every AWS call). Byte for byte the same text as `SigV4Canonicalizer`,
/// which the stage functions and presigning keep using, but without a `String` per header,
/// query pair or line: names are lower-cased and values trimmed straight into a scratch buffer,
/// and entries are sorted as byte ranges of it.
struct SigV4CanonicalWriter {
    /// Where a header name or value, or an encoded query name or value, sits in `scratch`.
    private struct Entry {
        var name: Range<Int>
        var value: Range<Int>
    }

    private(set) var out: [UInt8] = []
    private var scratch: [UInt8] = []
    private var entries: [Entry] = []

    init(capacity: Int) {
        out.reserveCapacity(capacity)
        scratch.reserveCapacity(capacity)
        entries.reserveCapacity(12)
    }

    mutating func append(_ string: String) { Self.appendUTF8(string, to: &out) }

    /// Appends a string's UTF-8 bytes with one copy of its contiguous storage: `append(contentsOf:
    /// string.utf8)` went element by element through the generic sequence path, the largest
    /// single cost left in the signer's profile (issue 19).
    @inline(__always)
    static func appendUTF8(_ string: String, to bytes: inout [UInt8]) {
        let copied: Void? = string.utf8.withContiguousStorageIfAvailable { bytes.append(contentsOf: $0) }
        if copied == nil { bytes.append(contentsOf: string.utf8) }
    }
    mutating func append(_ byte: UInt8) { out.append(byte) }
    mutating func append(_ bytes: ArraySlice<UInt8>) { out.append(contentsOf: bytes) }
    var count: Int { out.count }

    /// Appends a copy of bytes already written.
    mutating func appendCopy(of range: Range<Int>) {
        precondition(range.upperBound <= out.count)
        let end = out.count
        out.append(contentsOf: repeatElement(0, count: range.count))
        out.withUnsafeMutableBufferPointer { bytes in
            // The source lies before `end`, so the two regions never overlap.
            (bytes.baseAddress! + end).update(from: bytes.baseAddress! + range.lowerBound, count: range.count)
        }
    }

    /// Appends 64 lower-case hex digits of a digest.
    mutating func appendHex(_ digest: SigV4Digest.Bytes32) {
        var text = SigV4Digest.zero32
        var text2 = SigV4Digest.zero32
        withUnsafeBytes(of: digest) { bytes in
            withUnsafeMutableBytes(of: &text) { high in
                withUnsafeMutableBytes(of: &text2) { low in
                    for index in 0..<16 {
                        high[index &* 2] = Self.lowerHex[Int(bytes[index] >> 4)]
                        high[index &* 2 &+ 1] = Self.lowerHex[Int(bytes[index] & 0x0F)]
                        low[index &* 2] = Self.lowerHex[Int(bytes[index &+ 16] >> 4)]
                        low[index &* 2 &+ 1] = Self.lowerHex[Int(bytes[index &+ 16] & 0x0F)]
                    }
                }
            }
        }
        withUnsafeBytes(of: text) { out.append(contentsOf: $0) }
        withUnsafeBytes(of: text2) { out.append(contentsOf: $0) }
    }

    /// The bytes in `range` of the output as a String.
    func string(_ range: Range<Int>) -> String { String(decoding: out[range], as: UTF8.self) }

    func withOutput<R>(_ range: Range<Int>, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        out.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[range])) }
    }

    /// Hands over the output buffer.
    consuming func finish() -> [UInt8] { out }

    // MARK: - Query

    /// Encoded `name=value` pairs sorted by encoded name, then encoded value, joined with `&`.
    mutating func appendCanonicalQuery(_ query: [(name: String, value: String)]) {
        if query.isEmpty { return }
        scratch.removeAll(keepingCapacity: true)
        entries.removeAll(keepingCapacity: true)
        for pair in query {
            let nameStart = scratch.count
            SigV4URIEncoding.appendEncoded(pair.name, encodeSlash: true, to: &scratch)
            let valueStart = scratch.count
            SigV4URIEncoding.appendEncoded(pair.value, encodeSlash: true, to: &scratch)
            entries.append(Entry(name: nameStart..<valueStart, value: valueStart..<scratch.count))
        }
        sortEntries(byValueToo: true)
        for (index, entry) in entries.enumerated() {
            if index > 0 { out.append(UInt8(ascii: "&")) }
            out.append(contentsOf: scratch[entry.name])
            out.append(UInt8(ascii: "="))
            out.append(contentsOf: scratch[entry.value])
        }
    }

    // MARK: - Headers

    /// Starts collecting headers for `appendCanonicalHeaders`.
    mutating func beginHeaders() {
        scratch.removeAll(keepingCapacity: true)
        entries.removeAll(keepingCapacity: true)
    }

    /// Adds a header as the caller gave it: the name lower-cased (ASCII), the value trimmed
    /// (SigV4 Trimall). Unsigned names, and the ones the signer sets itself (`signerSets`), are
    /// left out.
    mutating func addHeader(name: String, value: String, signerSets: SignerHeaders) {
        let nameStart = scratch.count
        Self.appendUTF8(name, to: &scratch)
        let nameRange = nameStart..<scratch.count
        scratch.withUnsafeMutableBufferPointer { bytes in
            for index in nameRange where bytes[index] >= UInt8(ascii: "A") && bytes[index] <= UInt8(ascii: "Z") {
                bytes[index] |= 0x20
            }
        }
        if isLeftOut(nameRange, signerSets: signerSets) {
            scratch.removeSubrange(nameRange)
            return
        }
        appendTrimmed(value)
        entries.append(Entry(name: nameRange, value: nameRange.upperBound..<scratch.count))
    }

    /// Adds a header the signer sets; `name` is already lower-case.
    mutating func addOwnHeader(name: StaticString, value: String) {
        let nameStart = scratch.count
        scratch.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        let valueStart = scratch.count
        appendTrimmed(value)
        entries.append(Entry(name: nameStart..<valueStart, value: valueStart..<scratch.count))
    }

    /// Writes `name:value\n` per header (values of a repeated name joined with `,` in order of
    /// appearance), the blank line, then `name1;name2;…`; returns where the signed-header list is.
    mutating func appendCanonicalHeaders() -> Range<Int> {
        sortEntries(byValueToo: false)
        var index = 0
        while index < entries.count {
            let name = entries[index].name
            out.append(contentsOf: scratch[name])
            out.append(UInt8(ascii: ":"))
            out.append(contentsOf: scratch[entries[index].value])
            index += 1
            while index < entries.count, scratchEqual(entries[index].name, name) {
                out.append(UInt8(ascii: ","))
                out.append(contentsOf: scratch[entries[index].value])
                index += 1
            }
            out.append(UInt8(ascii: "\n"))
        }
        out.append(UInt8(ascii: "\n"))
        let signedStart = out.count
        var previous: Range<Int>?
        for entry in entries {
            if let previous, scratchEqual(previous, entry.name) { continue }
            if previous != nil { out.append(UInt8(ascii: ";")) }
            out.append(contentsOf: scratch[entry.name])
            previous = entry.name
        }
        return signedStart..<out.count
    }

    /// Which of its own headers the signer sets for this request; callers' copies are stale.
    struct SignerHeaders {
        var sessionToken: Bool
        var contentSHA256: Bool
    }

    private func isLeftOut(_ name: Range<Int>, signerSets: SignerHeaders) -> Bool {
        switch name.count {
        case 2: return matches(name, "te")
        case 6: return matches(name, "expect")
        case 7: return matches(name, "trailer") || matches(name, "upgrade")
        case 10:
            return matches(name, "connection") || matches(name, "keep-alive") || matches(name, "user-agent")
                || matches(name, "x-amz-date")
        case 13: return matches(name, "authorization")
        case 15: return matches(name, "x-amzn-trace-id")
        case 17: return matches(name, "transfer-encoding")
        case 18: return matches(name, "proxy-authenticate")
        case 19: return matches(name, "proxy-authorization")
        case 20:
            return (signerSets.sessionToken && matches(name, "x-amz-security-token"))
                || (signerSets.contentSHA256 && matches(name, "x-amz-content-sha256"))
        default: return false
        }
    }

    private func matches(_ range: Range<Int>, _ literal: StaticString) -> Bool {
        guard range.count == literal.utf8CodeUnitCount else { return false }
        let literalBytes = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        return scratch[range].elementsEqual(literalBytes)
    }

    // MARK: - Helpers

    /// SigV4 "Trimall" into `scratch`: no leading or trailing whitespace, each inner run of it
    /// (line breaks of folded values included) one space.
    private mutating func appendTrimmed(_ value: String) {
        if SigV4Canonicalizer.isTrimmed(value) {
            Self.appendUTF8(value, to: &scratch)
            return
        }
        let start = scratch.count
        var pendingSpace = false
        for byte in value.utf8 {
            // space, \t, \n, \v, \f, \r
            if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
                pendingSpace = scratch.count > start
            } else {
                if pendingSpace { scratch.append(UInt8(ascii: " ")) }
                pendingSpace = false
                scratch.append(byte)
            }
        }
    }

    private func scratchEqual(_ left: Range<Int>, _ right: Range<Int>) -> Bool {
        left.count == right.count && scratch[left].elementsEqual(scratch[right])
    }

    /// Byte-wise (UTF-8) order, which is what AWS sorts by.
    private func precedes(_ left: Range<Int>, _ right: Range<Int>) -> Bool {
        scratch[left].lexicographicallyPrecedes(scratch[right])
    }

    /// Insertion sort (a request has a handful of headers or query pairs), which is stable, so
    /// repeated header names keep their order of appearance.
    private mutating func sortEntries(byValueToo: Bool) {
        var index = 1
        while index < entries.count {
            let entry = entries[index]
            var slot = index
            while slot > 0 {
                let before = entries[slot - 1]
                let less =
                    precedes(entry.name, before.name)
                    || (byValueToo && scratchEqual(entry.name, before.name) && precedes(entry.value, before.value))
                if !less { break }
                entries[slot] = before
                slot -= 1
            }
            entries[slot] = entry
            index += 1
        }
    }

    private static let lowerHex: [UInt8] = Array("0123456789abcdef".utf8)
}
