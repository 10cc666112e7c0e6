import Foundation

/// Writes the canonical request and the string to sign as bytes into one buffer, for header
/// signing, the hot path (every AWS call). Byte for byte the same text as `SigV4Canonicalizer`,
/// which the stage functions and presigning keep using, but without a `String` per header,
/// query pair or line: names are lower-cased and values trimmed straight into a scratch buffer,
/// and entries are sorted as byte ranges of it.
///
/// The scratch bytes, the entry table and the output share one block sized from the request up
/// front, so a signature allocates it once; the signature then keeps it as its text
/// (`SigV4SigningBlock`). It is a heap block, not `withUnsafeTemporaryAllocation` memory:
/// handing the request, credentials and signer into that function's closure copied them (a
/// retain and a release per string and array, about a tenth of the signer's own work), and
/// above 1 KiB the runtime asks the kernel whether the stack has room. The session token, the
/// one value that runs to a kilobyte, never enters the scratch: it is written straight from its
/// own storage (issue 19).
struct SigV4CanonicalWriter {
    /// Where a header name or value, or an encoded query name or value, sits in `scratch`.
    /// A value range starting at `Entry.sessionTokenValue` stands for the session token.
    struct Entry {
        var name: Range<Int>
        var value: Range<Int>

        static let sessionTokenValue = -1
    }

    /// The output: raw memory with a cursor, not an `[UInt8]`, whose every `append` checked
    /// uniqueness and capacity (issue 19: the appends were the largest share of the signer's own
    /// instructions). It starts at the end of `block`; should the estimate ever fall short it
    /// moves to a larger allocation of its own (`outputIsSeparate`).
    private var output: UnsafeMutablePointer<UInt8>
    private var outputCapacity: Int
    private var outputCount = 0
    private var outputIsSeparate = false
    /// Where the output starts in `block` (while it is not separate).
    private let outputOffset: Int
    private let block: SigV4SigningBlock
    private let scratch: UnsafeMutablePointer<UInt8>
    private let scratchCapacity: Int
    private var scratchCount = 0
    private let entries: UnsafeMutablePointer<Entry>
    private let entryCapacity: Int
    private var entryCount = 0
    /// The session token, written from here when its header comes up in sorted order.
    private var sessionToken = ""

    /// A writer whose output has room for `capacity` bytes (more if needed), and whose scratch holds
    /// `scratchBytes` bytes and `entryCount` entries: enough for the largest of the query (each
    /// byte encoded to at most three) and the headers (trimming never lengthens). The caller
    /// must call `deallocateScratch()` once done.
    init(capacity: Int, scratchBytes: Int, entryCount: Int) {
        let entryCapacity = max(1, entryCount)
        let entryBytes = entryCapacity &* MemoryLayout<Entry>.stride
        let scratchCapacity = max(1, scratchBytes)
        let outputCapacity = max(64, capacity)
        block = SigV4SigningBlock.allocate(byteCount: entryBytes &+ scratchCapacity &+ outputCapacity)
        // The pointers stay valid while `block` is alive: the writer holds it, and so does the
        // signature `finish` makes.
        let base = block.bytes
        entries = base.bindMemory(to: Entry.self, capacity: entryCapacity)
        scratch = (base + entryBytes).bindMemory(to: UInt8.self, capacity: scratchCapacity)
        outputOffset = entryBytes &+ scratchCapacity
        output = (base + outputOffset).bindMemory(to: UInt8.self, capacity: outputCapacity)
        self.scratchCapacity = scratchCapacity
        self.entryCapacity = entryCapacity
        self.outputCapacity = outputCapacity
    }

    /// Frees a grown output (`finish` has copied what it keeps); the block goes with the last
    /// reference to it.
    func deallocateScratch() {
        if outputIsSeparate { output.deallocate() }
    }

    /// Makes room for `count` more output bytes.
    @inline(__always)
    private mutating func reserve(_ count: Int) {
        if outputCount &+ count > outputCapacity { grow(toFit: count) }
    }

    /// Moves the output to a larger allocation of its own: the capacity estimate was short.
    @inline(never)
    private mutating func grow(toFit count: Int) {
        let newCapacity = max(outputCapacity &* 2, outputCount &+ count)
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        grown.update(from: output, count: outputCount)
        if outputIsSeparate { output.deallocate() }
        output = grown
        outputCapacity = newCapacity
        outputIsSeparate = true
    }

    @inline(__always)
    private mutating func put(_ bytes: UnsafeBufferPointer<UInt8>) {
        reserve(bytes.count)
        if let base = bytes.baseAddress { (output + outputCount).update(from: base, count: bytes.count) }
        outputCount &+= bytes.count
    }

    @inline(__always)
    private mutating func put(_ byte: UInt8) {
        reserve(1)
        output[outputCount] = byte
        outputCount &+= 1
    }

    /// The output written so far, valid until the next append.
    private var written: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: output, count: outputCount) }

    /// The scratch bytes written so far.
    private var scratchBuffer: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: scratch, count: scratchCount)
    }

    /// Appends bytes to `scratch`; the size computed up front makes overflow a bug, not input.
    @inline(__always)
    private mutating func scratchAppend(_ bytes: UnsafeBufferPointer<UInt8>) {
        precondition(scratchCount &+ bytes.count <= scratchCapacity, "SigV4 scratch sized too small")
        if let base = bytes.baseAddress { (scratch + scratchCount).update(from: base, count: bytes.count) }
        scratchCount &+= bytes.count
    }

    @inline(__always)
    private mutating func scratchAppend(_ byte: UInt8) {
        precondition(scratchCount < scratchCapacity, "SigV4 scratch sized too small")
        scratch[scratchCount] = byte
        scratchCount &+= 1
    }

    private mutating func scratchAppend(_ string: String) {
        let copied: Void? = string.utf8.withContiguousStorageIfAvailable { scratchAppend($0) }
        if copied == nil {
            for byte in string.utf8 { scratchAppend(byte) }
        }
    }

    private mutating func appendEntry(_ entry: Entry) {
        precondition(entryCount < entryCapacity, "SigV4 entry table sized too small")
        entries[entryCount] = entry
        entryCount &+= 1
    }

    /// Appends the scratch bytes in `range` to the output.
    @inline(__always)
    private mutating func appendScratch(_ range: Range<Int>) {
        put(UnsafeBufferPointer(start: scratch + range.lowerBound, count: range.count))
    }

    mutating func append(_ string: String) {
        let copied: Void? = string.utf8.withContiguousStorageIfAvailable { put($0) }
        if copied == nil {
            for byte in string.utf8 { put(byte) }
        }
    }

    @inline(__always)
    mutating func appendLiteral(_ literal: StaticString) {
        put(UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// Appends a string's UTF-8 bytes with one copy of its contiguous storage: `append(contentsOf:
    /// string.utf8)` went element by element through the generic sequence path, the largest
    /// single cost left in the signer's profile (issue 19).
    @inline(__always)
    static func appendUTF8(_ string: String, to bytes: inout [UInt8]) {
        let copied: Void? = string.utf8.withContiguousStorageIfAvailable { bytes.append(contentsOf: $0) }
        if copied == nil { bytes.append(contentsOf: string.utf8) }
    }
    mutating func append(_ byte: UInt8) { put(byte) }
    var count: Int { outputCount }

    /// Appends a copy of bytes already written.
    mutating func appendCopy(of range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= outputCount)
        reserve(range.count)
        // The source lies before the end, so the two regions never overlap.
        (output + outputCount).update(from: output + range.lowerBound, count: range.count)
        outputCount &+= range.count
    }

    /// Appends 64 lower-case hex digits of a digest.
    mutating func appendHex(_ digest: SigV4Digest.Bytes32) {
        reserve(64)
        let start = output + outputCount
        withUnsafeBytes(of: digest) { bytes in SigV4Digest.writeLowerHex(bytes, to: start) }
        outputCount &+= 64
    }

    /// The bytes in `range` of the output as a String.
    func string(_ range: Range<Int>) -> String {
        precondition(range.lowerBound >= 0 && range.upperBound <= outputCount)
        return String(decoding: UnsafeBufferPointer(rebasing: written[range]), as: UTF8.self)
    }

    func withOutput<R>(_ range: Range<Int>, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        precondition(range.lowerBound >= 0 && range.upperBound <= outputCount)
        return body(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: written[range])))
    }

    /// The canonical request and the string to sign (ranges of the output) as text that outlives
    /// the writer: the block itself, or, if the output had to grow out of it, a copy.
    func finish(canonicalRequest: Range<Int>, stringToSign: Range<Int>) -> SigV4SignedText {
        let end = max(canonicalRequest.upperBound, stringToSign.upperBound)
        precondition(canonicalRequest.lowerBound >= 0 && stringToSign.lowerBound >= 0 && end <= outputCount)
        var kept = block
        var offset = outputOffset
        if outputIsSeparate {
            kept = SigV4SigningBlock.allocate(byteCount: end)
            kept.bytes.copyMemory(from: output, byteCount: end)
            offset = 0
        }
        return SigV4SignedText(
            block: kept, canonicalRequest: (canonicalRequest.lowerBound &+ offset)..<(canonicalRequest.upperBound &+ offset),
            stringToSign: (stringToSign.lowerBound &+ offset)..<(stringToSign.upperBound &+ offset))
    }

    // MARK: - Query

    /// Encoded `name=value` pairs sorted by encoded name, then encoded value, joined with `&`.
    mutating func appendCanonicalQuery(_ query: [(name: String, value: String)]) {
        if query.isEmpty { return }
        scratchCount = 0
        entryCount = 0
        for index in query.indices {
            let nameStart = scratchCount
            appendEncoded(query[index].name)
            let valueStart = scratchCount
            appendEncoded(query[index].value)
            appendEntry(Entry(name: nameStart..<valueStart, value: valueStart..<scratchCount))
        }
        sortEntries(byValueToo: true)
        for index in 0..<entryCount {
            if index > 0 { put(UInt8(ascii: "&")) }
            appendScratch(entries[index].name)
            put(UInt8(ascii: "="))
            appendScratch(entries[index].value)
        }
    }

    /// `SigV4URIEncoding.appendEncoded` (slash encoded) into `scratch`.
    private mutating func appendEncoded(_ string: String) {
        // Read in place: `withUTF8` needs a `var` copy of the string, a retain and a release.
        let done: Void? = string.utf8.withContiguousStorageIfAvailable { appendEncoded(bytes: $0) }
        if done == nil { appendEncoded(bytes: Array(string.utf8)) }
    }

    private mutating func appendEncoded(bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { appendEncoded(bytes: $0) }
    }

    private mutating func appendEncoded(bytes: UnsafeBufferPointer<UInt8>) {
        if bytes.allSatisfy({ SigV4URIEncoding.isKept($0, encodeSlash: true) }) {
            scratchAppend(bytes)
            return
        }
        precondition(scratchCount &+ bytes.count &* 3 <= scratchCapacity, "SigV4 scratch sized too small")
        for byte in bytes {
            if SigV4URIEncoding.isKept(byte, encodeSlash: true) {
                scratch[scratchCount] = byte
                scratchCount &+= 1
            } else {
                scratch[scratchCount] = UInt8(ascii: "%")
                scratch[scratchCount &+ 1] = SigV4URIEncoding.upperHexDigit(byte >> 4)
                scratch[scratchCount &+ 2] = SigV4URIEncoding.upperHexDigit(byte & 0x0F)
                scratchCount &+= 3
            }
        }
    }

    // MARK: - Path

    /// The canonical URI: the path itself when it needs neither normalising nor encoding (every
    /// S3 path, and most others), else `SigV4Canonicalizer.canonicalURI`'s String. The common case
    /// makes no String: passing one back and forth was a retain and a release (issue 19).
    mutating func appendCanonicalURI(_ path: String, options: SigV4Options) {
        let asIs = (!options.normalizePath && !options.doubleEncodePath) || Self.needsNoCanonicalizing(path)
        if asIs && !path.isEmpty {
            append(path)
        } else {
            append(SigV4Canonicalizer.canonicalURI(path: path, options: options))
        }
    }

    /// True when normalising leaves `path` as it is (absolute, no `.` and no empty segment, as
    /// `SigV4Canonicalizer.normalizedPath`'s own fast path) and encoding it again changes nothing.
    private static func needsNoCanonicalizing(_ path: String) -> Bool {
        var previousWasSlash = false
        var first = true
        for byte in path.utf8 {
            let isSlash = byte == UInt8(ascii: "/")
            if first && !isSlash { return false }
            if byte == UInt8(ascii: ".") || (isSlash && previousWasSlash) { return false }
            if !SigV4URIEncoding.isKept(byte, encodeSlash: false) { return false }
            previousWasSlash = isSlash
            first = false
        }
        return !first
    }

    // MARK: - Headers

    /// Starts collecting headers for `appendCanonicalHeaders`.
    mutating func beginHeaders() {
        scratchCount = 0
        entryCount = 0
    }

    /// Adds a header as the caller gave it: the name lower-cased (ASCII), the value trimmed
    /// (SigV4 Trimall). Unsigned names, and the ones the signer sets itself (`signerSets`), are
    /// left out.
    mutating func addHeader(name: String, value: String, signerSets: SignerHeaders) {
        let nameStart = scratchCount
        scratchAppend(name)
        let nameRange = nameStart..<scratchCount
        for index in nameRange where scratch[index] >= UInt8(ascii: "A") && scratch[index] <= UInt8(ascii: "Z") {
            scratch[index] |= 0x20
        }
        if isLeftOut(nameRange, signerSets: signerSets) {
            scratchCount = nameStart
            return
        }
        appendTrimmed(value)
        appendEntry(Entry(name: nameRange, value: nameRange.upperBound..<scratchCount))
    }

    /// Adds a header the signer sets; `name` is already lower-case.
    mutating func addOwnHeader(name: StaticString, value: String) {
        let nameStart = scratchCount
        scratchAppend(UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        let valueStart = scratchCount
        appendTrimmed(value)
        appendEntry(Entry(name: nameStart..<valueStart, value: valueStart..<scratchCount))
    }

    /// Adds `x-amz-security-token`. Its value stays in the token's own storage (it runs to a
    /// kilobyte with STS) and is trimmed on its way to the output.
    mutating func addSessionTokenHeader(_ token: String) {
        let nameStart = scratchCount
        let name: StaticString = "x-amz-security-token"
        scratchAppend(UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        sessionToken = token
        let marker = Entry.sessionTokenValue
        appendEntry(Entry(name: nameStart..<scratchCount, value: marker..<marker))
    }

    /// Appends a header value: scratch bytes, or the session token trimmed.
    @inline(__always)
    private mutating func appendValue(_ range: Range<Int>) {
        if range.lowerBound == Entry.sessionTokenValue {
            appendTrimmedToken()
        } else {
            appendScratch(range)
        }
    }

    private mutating func appendTrimmedToken() {
        if SigV4Canonicalizer.isTrimmed(sessionToken) {
            append(sessionToken)
            return
        }
        let start = outputCount
        var pendingSpace = false
        for byte in sessionToken.utf8 {
            // space, \t, \n, \v, \f, \r
            if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
                pendingSpace = outputCount > start
            } else {
                if pendingSpace { put(UInt8(ascii: " ")) }
                pendingSpace = false
                put(byte)
            }
        }
    }

    /// Writes `name:value\n` per header (values of a repeated name joined with `,` in order of
    /// appearance), the blank line, then `name1;name2;…`; returns where the signed-header list is.
    mutating func appendCanonicalHeaders() -> Range<Int> {
        sortEntries(byValueToo: false)
        var index = 0
        while index < entryCount {
            let name = entries[index].name
            appendScratch(name)
            put(UInt8(ascii: ":"))
            appendValue(entries[index].value)
            index += 1
            while index < entryCount, scratchEqual(entries[index].name, name) {
                put(UInt8(ascii: ","))
                appendValue(entries[index].value)
                index += 1
            }
            put(UInt8(ascii: "\n"))
        }
        put(UInt8(ascii: "\n"))
        let signedStart = outputCount
        var previous: Range<Int>?
        for index in 0..<entryCount {
            let name = entries[index].name
            if let previous, scratchEqual(previous, name) { continue }
            if previous != nil { put(UInt8(ascii: ";")) }
            appendScratch(name)
            previous = name
        }
        return signedStart..<outputCount
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
        return memcmp(scratch + range.lowerBound, literal.utf8Start, range.count) == 0
    }

    // MARK: - Helpers

    /// SigV4 "Trimall" into `scratch`: no leading or trailing whitespace, each inner run of it
    /// (line breaks of folded values included) one space.
    private mutating func appendTrimmed(_ value: String) {
        if SigV4Canonicalizer.isTrimmed(value) {
            scratchAppend(value)
            return
        }
        let start = scratchCount
        var pendingSpace = false
        for byte in value.utf8 {
            // space, \t, \n, \v, \f, \r
            if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
                pendingSpace = scratchCount > start
            } else {
                if pendingSpace { scratchAppend(UInt8(ascii: " ")) }
                pendingSpace = false
                scratchAppend(byte)
            }
        }
    }

    private func scratchEqual(_ left: Range<Int>, _ right: Range<Int>) -> Bool {
        left.count == right.count
            && Self.compare(scratch + left.lowerBound, scratch + right.lowerBound, left.count) == 0
    }

    /// `memcmp`'s sign, eight bytes at a time in line: header names and query pairs are short,
    /// and sorting them compares a few dozen times per signature, where the call into libc
    /// cost more than the comparing.
    @inline(__always)
    private static func compare(_ left: UnsafePointer<UInt8>, _ right: UnsafePointer<UInt8>, _ count: Int) -> Int {
        var index = 0
        while index &+ 8 <= count {
            let a = UnsafeRawPointer(left + index).loadUnaligned(as: UInt64.self)
            let b = UnsafeRawPointer(right + index).loadUnaligned(as: UInt64.self)
            if a != b {
                // Big-endian order of the bytes is their order in memory.
                return a.bigEndian < b.bigEndian ? -1 : 1
            }
            index &+= 8
        }
        while index < count {
            if left[index] != right[index] { return left[index] < right[index] ? -1 : 1 }
            index &+= 1
        }
        return 0
    }

    /// Byte-wise (UTF-8) order, which is what AWS sorts by.
    private func precedes(_ left: Range<Int>, _ right: Range<Int>) -> Bool {
        let common = Self.compare(scratch + left.lowerBound, scratch + right.lowerBound, min(left.count, right.count))
        return common < 0 || (common == 0 && left.count < right.count)
    }

    /// Insertion sort (a request has a handful of headers or query pairs), which is stable, so
    /// repeated header names keep their order of appearance.
    private mutating func sortEntries(byValueToo: Bool) {
        var index = 1
        while index < entryCount {
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
}
