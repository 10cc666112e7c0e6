import Foundation

/// A small scanner for the plain documents most AWS answers are, such as CopyObject's
/// `<CopyObjectResult><ETag>…</ETag>…</CopyObjectResult>`. It builds the same `XMLNode` tree as
/// `XMLNode.parse`'s FoundationXML path, without a libxml2 parser context, an `NSObject`
/// delegate and a `String` per callback for a 200-byte body (issue 19: the XML parse was about
/// 4 % of the copy's CPU per object, plus its allocations).
///
/// It takes only what it is sure to read exactly as FoundationXML does, and returns nil for
/// anything else, which then goes the full way: ASCII only; an optional `<?xml …?>`
/// declaration; elements with attributes; text with the five predefined entities. Comments,
/// CDATA, processing instructions, document types, character references, carriage returns,
/// control characters, non-ASCII bytes, attribute values with line breaks or tabs (which XML
/// normalises), and anything malformed all return nil. `XMLFlatScannerTests` holds it to the
/// full parser over the AWS XML corpus.
enum XMLFlatScanner {
    /// The document's root element, or nil when the document is not one this scanner takes.
    static func parse(_ data: Data) -> XMLNode? {
        data.withUnsafeBytes { raw -> XMLNode? in
            guard let base = raw.baseAddress, !raw.isEmpty else { return nil }
            var scanner = Scanner(bytes: UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: raw.count))
            return scanner.document()
        }
    }

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0
        var depth = 0
        static let maxDepth = 256
        static let declarations: [StaticString] = [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "<?xml version=\"1.0\" encoding=\"utf-8\"?>",
            "<?xml version=\"1.0\"?>", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>",
        ]

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        mutating func document() -> XMLNode? {
            // Everything ASCII, printable or \t \n: else the full parser (with its UTF-8 check).
            for byte in bytes where byte >= 0x80 || (byte < 0x20 && byte != 0x09 && byte != 0x0A) { return nil }
            if starts(with: "<?") {
                // Only the declarations AWS sends, exactly: libxml2 checks the rest, so the rest
                // goes to it.
                guard let declaration = Self.declarations.first(where: { starts(with: $0) }) else { return nil }
                index += declaration.utf8CodeUnitCount
            }
            skipSpace()
            guard let root = element() else { return nil }
            skipSpace()
            return index == bytes.count ? root : nil
        }

        /// An element starting at `<`, through its end tag.
        mutating func element() -> XMLNode? {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "<"), depth < Self.maxDepth else { return nil }
            depth += 1
            defer { depth -= 1 }
            index += 1
            guard let name = self.name() else { return nil }
            var attributes: [String: String] = [:]
            while true {
                let hadSpace = skipSpace()
                guard index < bytes.count else { return nil }
                if bytes[index] == UInt8(ascii: ">") {
                    index += 1
                    break
                }
                if bytes[index] == UInt8(ascii: "/") {
                    guard index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: ">") else { return nil }
                    index += 2
                    return XMLNode(name: name, attributes: attributes)
                }
                guard hadSpace, let attribute = self.name() else { return nil }
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else { return nil }
                index += 1
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") else { return nil }
                let quote = bytes[index]
                index += 1
                let start = index
                while index < bytes.count, bytes[index] != quote {
                    // `<` is not allowed; tabs and line breaks are normalised by XML; entities: rare.
                    let byte = bytes[index]
                    if byte == UInt8(ascii: "<") || byte == UInt8(ascii: "&") || byte == 0x09 || byte == 0x0A { return nil }
                    index += 1
                }
                guard index < bytes.count, attributes[attribute] == nil else { return nil }
                attributes[attribute] = string(start..<index)
                index += 1
            }
            var children: [XMLNode] = []
            // The text, while it is one plain run, stays where it is in the document: most
            // elements have exactly one (`<Key>…</Key>`), and an array per element was a third of
            // the scanner's allocations. A second run or an entity copies it into `text`.
            var onlyRun: Range<Int>?
            var text: [UInt8] = []
            while true {
                guard index < bytes.count else { return nil }
                let byte = bytes[index]
                if byte == UInt8(ascii: "<") {
                    guard index + 1 < bytes.count else { return nil }
                    let next = bytes[index + 1]
                    if next == UInt8(ascii: "/") {
                        index += 2
                        guard let closing = nameRange(),
                            UTF8Bytes.equal(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[closing])), name)
                        else { return nil }
                        skipSpace()
                        guard index < bytes.count, bytes[index] == UInt8(ascii: ">") else { return nil }
                        index += 1
                        return XMLNode(
                            name: name, attributes: attributes, children: children,
                            text: onlyRun.map(string) ?? String(decoding: text, as: UTF8.self))
                    }
                    // Comments, CDATA, declarations and instructions: the full parser.
                    if next == UInt8(ascii: "!") || next == UInt8(ascii: "?") { return nil }
                    guard let child = element() else { return nil }
                    // One allocation for a typical parent (`<Contents>` has six children), not
                    // one per doubling.
                    if children.isEmpty { children.reserveCapacity(8) }
                    children.append(child)
                } else if byte == UInt8(ascii: "&") {
                    guard let decoded = entity() else { return nil }
                    if let run = onlyRun {
                        text.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run]))
                        onlyRun = nil
                    }
                    text.append(decoded)
                } else if byte == UInt8(ascii: ">") && index >= 2 && bytes[index - 1] == UInt8(ascii: "]")
                    && bytes[index - 2] == UInt8(ascii: "]")
                {
                    return nil  // `]]>` is not allowed in text
                } else {
                    // A run of plain text, appended at once: byte by byte, the array's growth
                    // checks were most of the scanner's time on a CopyObject answer.
                    let start = index
                    index += 1
                    while index < bytes.count {
                        let next = bytes[index]
                        if next == UInt8(ascii: "<") || next == UInt8(ascii: "&") || next == UInt8(ascii: ">") { break }
                        index += 1
                    }
                    if text.isEmpty, onlyRun == nil {
                        onlyRun = start..<index
                    } else {
                        if let run = onlyRun {
                            text.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run]))
                            onlyRun = nil
                        }
                        text.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
                    }
                }
            }
        }

        /// One of the five predefined entities at `&`; nil for any other reference.
        mutating func entity() -> UInt8? {
            let table: [(StaticString, UInt8)] = [
                ("&amp;", UInt8(ascii: "&")), ("&lt;", UInt8(ascii: "<")), ("&gt;", UInt8(ascii: ">")),
                ("&quot;", UInt8(ascii: "\"")), ("&apos;", UInt8(ascii: "'")),
            ]
            for (literal, value) in table where starts(with: literal) {
                index += literal.utf8CodeUnitCount
                return value
            }
            return nil
        }

        /// An element or attribute name without a prefix: a letter or `_` first, then letters,
        /// digits, `_`, `.`, `-`.
        mutating func name() -> String? {
            nameRange().map(string)
        }

        /// Where the name at `index` is (see `name()`), moving past it; nil if there is none.
        mutating func nameRange() -> Range<Int>? {
            let start = index
            while index < bytes.count {
                let byte = bytes[index]
                let letter = (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
                let other = byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":")  // refused below
                let later =
                    (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: ".")
                    || byte == UInt8(ascii: "-")
                if letter || other || (index > start && later) {
                    index += 1
                } else {
                    break
                }
            }
            guard index > start else { return nil }
            // Prefixed names (`xsi:type`, `xmlns:xsi`) depend on namespace declarations: the full parser.
            if bytes[start..<index].contains(UInt8(ascii: ":")) { return nil }
            return start..<index
        }

        @discardableResult
        mutating func skipSpace() -> Bool {
            let start = index
            while index < bytes.count, isSpace(bytes[index]) { index += 1 }
            return index > start
        }

        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A }

        func starts(with literal: StaticString) -> Bool {
            let count = literal.utf8CodeUnitCount
            guard index + count <= bytes.count else { return false }
            return memcmp(bytes.baseAddress! + index, literal.utf8Start, count) == 0
        }

        func string(_ range: Range<Int>) -> String {
            String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        }
    }
}
