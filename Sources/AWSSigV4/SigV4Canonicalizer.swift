/// Builds the pieces of the SigV4 canonical request. Internal: the public stage functions on
/// `SigV4Signer` wrap these, and signing uses them directly on byte buffers.
enum SigV4Canonicalizer {
    /// One header as it enters the canonical request: lower-cased name, trimmed value(s).
    struct HeaderEntry: Sendable {
        var name: String
        var value: String
    }

    /// Headers never signed: hop-by-hop headers a proxy may change or drop, and headers clients
    /// rewrite on retry. Same list as botocore's `SIGNED_HEADERS_BLACKLIST` [BC-AUTH].
    static let unsignedHeaderNames: Set<String> = [
        "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
        "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id",
    ]

    // MARK: - Headers

    /// Canonical header entries: names lower-cased, values trimmed with inner whitespace runs
    /// collapsed, unsigned and `excluded` names dropped, duplicates joined with `,` in order of
    /// appearance, sorted by name.
    static func headerEntries(
        _ headers: [(name: String, value: String)], excluding excluded: Set<String> = []
    ) -> [HeaderEntry] {
        var entries: [(entry: HeaderEntry, position: Int)] = []
        entries.reserveCapacity(headers.count)
        for (position, header) in headers.enumerated() {
            let name = asciiLowercased(header.name)
            if unsignedHeaderNames.contains(name) || (!excluded.isEmpty && excluded.contains(name)) { continue }
            entries.append((HeaderEntry(name: name, value: trimAll(header.value)), position))
        }
        // Sort by name, keeping the order of appearance among duplicates (explicitly, because
        // `sort` does not promise stability).
        entries.sort { left, right in
            if left.entry.name == right.entry.name { return left.position < right.position }
            return precedes(left.entry.name, right.entry.name)
        }
        var merged: [HeaderEntry] = []
        merged.reserveCapacity(entries.count)
        for (entry, _) in entries {
            if let last = merged.last, last.name == entry.name {
                merged[merged.count - 1].value += "," + entry.value
            } else {
                merged.append(entry)
            }
        }
        return merged
    }

    /// `name:value\n` for each entry.
    static func appendCanonicalHeaders(_ entries: [HeaderEntry], to out: inout [UInt8]) {
        for entry in entries {
            out.append(contentsOf: entry.name.utf8)
            out.append(UInt8(ascii: ":"))
            out.append(contentsOf: entry.value.utf8)
            out.append(UInt8(ascii: "\n"))
        }
    }

    /// `name1;name2;…`.
    static func signedHeaders(_ entries: [HeaderEntry]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(entries.count * 16)
        for (index, entry) in entries.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ";")) }
            out.append(contentsOf: entry.name.utf8)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// SigV4 "Trimall": strip leading and trailing whitespace and turn each inner run of
    /// whitespace (including the line breaks of folded, multi-line values) into one space.
    static func trimAll(_ value: String) -> String {
        if isTrimmed(value) { return value }

        var out: [UInt8] = []
        out.reserveCapacity(value.utf8.count)
        var pendingSpace = false
        for byte in value.utf8 {
            if isWhitespace(byte) {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(UInt8(ascii: " ")) }
                pendingSpace = false
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// True when `value` needs no trimming.
    static func isTrimmed(_ value: String) -> Bool {
        value.utf8.withContiguousStorageIfAvailable { isTrimmed($0) }
            ?? Array(value.utf8).withUnsafeBufferPointer { isTrimmed($0) }
    }

    /// True when `bytes` has no leading, trailing, doubled or non-space whitespace.
    private static func isTrimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var previousWasSpace = true  // so a leading space fails
        var index = 0
        // Eight bytes at a time while none is ≤ 0x20 (no whitespace can be among them): session
        // tokens run to hundreds of bytes. `(x − 0x21…) & ~x & 0x80…` is non-zero exactly when
        // some byte of x is below 0x21.
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            // First 32 bytes at a time, four words folded into one test: an STS token is about
            // a kilobyte, and header signing checks it on every request.
            while index &+ 32 <= bytes.count {
                let a = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                let b = raw.loadUnaligned(fromByteOffset: index &+ 8, as: UInt64.self)
                let c = raw.loadUnaligned(fromByteOffset: index &+ 16, as: UInt64.self)
                let d = raw.loadUnaligned(fromByteOffset: index &+ 24, as: UInt64.self)
                let low =
                    ((a &- 0x2121_2121_2121_2121) & ~a) | ((b &- 0x2121_2121_2121_2121) & ~b)
                    | ((c &- 0x2121_2121_2121_2121) & ~c) | ((d &- 0x2121_2121_2121_2121) & ~d)
                if low & 0x8080_8080_8080_8080 != 0 { break }
                previousWasSpace = false
                index &+= 32
            }
            while index &+ 8 <= bytes.count {
                let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                if (word &- 0x2121_2121_2121_2121) & ~word & 0x8080_8080_8080_8080 != 0 { break }
                previousWasSpace = false
                index &+= 8
            }
        }
        for byte in bytes[index...] {
            if byte > 0x20 {  // the common case: neither a space nor other whitespace
                previousWasSpace = false
                continue
            }
            if byte == UInt8(ascii: " ") {
                if previousWasSpace { return false }
                previousWasSpace = true
            } else if isWhitespace(byte) {
                return false
            } else {
                previousWasSpace = false
            }
        }
        return bytes.isEmpty || !previousWasSpace
    }

    @inline(__always)
    private static func isWhitespace(_ byte: UInt8) -> Bool {
        // space, \t, \n, \v, \f, \r
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }

    private static func asciiLowercased(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) else { return s }
        return String(
            decoding: s.utf8.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 | 0x20 : $0 },
            as: UTF8.self)
    }

    /// Byte-wise (UTF-8) ordering, which is what AWS sorts by; Swift's `<` on String is not.
    @inline(__always)
    static func precedes(_ left: String, _ right: String) -> Bool {
        left.utf8.lexicographicallyPrecedes(right.utf8)
    }

    // MARK: - Query

    /// Encoded `name=value` pairs sorted by encoded name, then encoded value, joined with `&`.
    static func appendCanonicalQuery(_ query: [(name: String, value: String)], to out: inout [UInt8]) {
        if query.isEmpty { return }
        var encoded: [(name: String, value: String)] = query.map {
            (SigV4URIEncoding.encode($0.name, encodeSlash: true), SigV4URIEncoding.encode($0.value, encodeSlash: true))
        }
        encoded.sort { left, right in
            if left.name == right.name { return precedes(left.value, right.value) }
            return precedes(left.name, right.name)
        }
        for (index, pair) in encoded.enumerated() {
            if index > 0 { out.append(UInt8(ascii: "&")) }
            out.append(contentsOf: pair.name.utf8)
            out.append(UInt8(ascii: "="))
            out.append(contentsOf: pair.value.utf8)
        }
    }

    // MARK: - Path

    /// The canonical URI for a wire path under `options`.
    static func canonicalURI(path: String, options: SigV4Options) -> String {
        var path = path.isEmpty ? "/" : path
        if options.normalizePath { path = normalizedPath(path) }
        return options.doubleEncodePath ? SigV4URIEncoding.encode(path, encodeSlash: false) : path
    }

    /// RFC 3986 §5.2.4 `remove_dot_segments`, also collapsing empty segments, as botocore's
    /// `normalize_url_path` does: `//a/./b/../c/` → `/a/c/`; a path that normalises to nothing
    /// is `/`.
    static func normalizedPath(_ path: String) -> String {
        if path.isEmpty { return "/" }
        let bytes = path.utf8
        // Fast path: absolute, no empty segment and no dot anywhere → nothing to remove.
        if bytes.first == UInt8(ascii: "/"), !bytes.contains(UInt8(ascii: ".")), !hasDoubleSlash(bytes) {
            return path
        }
        var output: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            if segment == "." { continue }
            if segment == ".." {
                if !output.isEmpty { output.removeLast() }
                continue
            }
            output.append(segment)
        }
        let first = path.hasPrefix("/") ? "/" : ""
        let last = path.hasSuffix("/") && !output.isEmpty ? "/" : ""
        return first + output.joined(separator: "/") + last
    }

    private static func hasDoubleSlash(_ bytes: String.UTF8View) -> Bool {
        var previousWasSlash = false
        for byte in bytes {
            let isSlash = byte == UInt8(ascii: "/")
            if isSlash && previousWasSlash { return true }
            previousWasSlash = isSlash
        }
        return false
    }

    // MARK: - Canonical request

    /// `METHOD\nURI\nQUERY\nHEADERS\n\nSIGNED\nPAYLOAD` as UTF-8 bytes.
    static func canonicalRequestBytes(
        method: String, canonicalURI: String, query: [(name: String, value: String)], headers: [HeaderEntry],
        signedHeaders: String, payloadHash: String
    ) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(
            256 + canonicalURI.utf8.count + query.count * 32 + headers.count * 48 + payloadHash.utf8.count)
        out.append(contentsOf: method.utf8)
        out.append(UInt8(ascii: "\n"))
        out.append(contentsOf: canonicalURI.utf8)
        out.append(UInt8(ascii: "\n"))
        appendCanonicalQuery(query, to: &out)
        out.append(UInt8(ascii: "\n"))
        appendCanonicalHeaders(headers, to: &out)
        out.append(UInt8(ascii: "\n"))
        out.append(contentsOf: signedHeaders.utf8)
        out.append(UInt8(ascii: "\n"))
        out.append(contentsOf: payloadHash.utf8)
        return out
    }
}
