import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A small, read-only XML element tree: what AWS's REST-XML and Query responses decode into.
///
/// AWS responses are small, namespace-qualified documents; a tree with name lookups that ignore the
/// namespace is all the decoders need. Parsing never traps: malformed input throws `XMLDecodeError`.
public final class XMLNode: Sendable {
    public let name: String
    public let attributes: [String: String]
    public let children: [XMLNode]
    /// The element's own text (concatenated, untrimmed).
    public let text: String

    /// The name without a namespace prefix (computed once: every lookup by name compares it).
    public let localName: String

    public init(name: String, attributes: [String: String] = [:], children: [XMLNode] = [], text: String = "") {
        self.name = name
        // Looked for byte-wise: `String.contains(_:)` went through Foundation's CFStringFind for every
        // element of every response (issue 19's profile of the copy).
        self.localName = name.utf8.contains(UInt8(ascii: ":")) ? name.split(separator: ":").last.map(String.init) ?? name : name
        self.attributes = attributes
        self.children = children
        self.text = text
    }

    /// Parses a whole document and returns its root element.
    ///
    /// Plain ASCII documents (most AWS answers) are read by `XMLFlatScanner`, which builds the
    /// same tree; anything it does not take goes through FoundationXML.
    public static func parse(_ data: Data) throws -> XMLNode {
        if let root = XMLFlatScanner.parse(data) { return root }
        return try parseWithFoundation(data)
    }

    /// The full parser (FoundationXML), for every document.
    static func parseWithFoundation(_ data: Data) throws -> XMLNode {
        // AWS sends UTF-8. Bytes that are not UTF-8 must not reach FoundationXML: libxml2 passes
        // them through in element names, and Foundation's callback then traps decoding the name
        // (found by fuzzing; Tests/Fuzz/regressions/aws-xml).
        guard String(validating: data, as: UTF8.self) != nil else {
            throw XMLDecodeError(message: "malformed XML: the body is not UTF-8 (\(data.count) bytes)")
        }
        if let markup = unsupportedMarkup(in: data) {
            throw XMLDecodeError(message: "malformed XML: \(markup), which no AWS response contains")
        }
        let delegate = TreeBuilder()
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = false
        parser.shouldResolveExternalEntities = false
        parser.delegate = delegate
        let ok = parser.parse()
        if let failure = delegate.failure { throw failure }
        guard ok, let root = delegate.root else {
            let reason = parser.parserError.map { "\($0)" } ?? "no root element"
            throw XMLDecodeError(message: "malformed XML: \(reason)")
        }
        return root
    }

    /// Markup AWS never sends and FoundationXML cannot be trusted with: a processing instruction
    /// (other than the leading XML declaration), whose callback reads a null pointer when the
    /// instruction has no data (`<?x?>`, found by fuzzing), and a document type declaration,
    /// whose entities could expand without bound. Nil when there is none.
    static func unsupportedMarkup(in data: Data) -> String? {
        let bytes = [UInt8](data)
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        // `<?xml` then whitespace: the declaration, skipped up to its `?>`.
        let declaration = Array("<?xml".utf8)
        if bytes[start...].starts(with: declaration), bytes.count > start + declaration.count,
            [0x20, 0x09, 0x0A, 0x0D].contains(bytes[start + declaration.count])
        {
            var index = start + declaration.count
            while index + 1 < bytes.count, !(bytes[index] == UInt8(ascii: "?") && bytes[index + 1] == UInt8(ascii: ">")) {
                index += 1
            }
            start = index
        }
        let doctype = Array("<!DOCTYPE".utf8)
        var index = start
        while index + 1 < bytes.count {
            if bytes[index] == UInt8(ascii: "<") {
                if bytes[index + 1] == UInt8(ascii: "?") { return "a processing instruction at byte \(index)" }
                if bytes[index...].starts(with: doctype) { return "a document type declaration at byte \(index)" }
            }
            index += 1
        }
        return nil
    }

    /// The first child element named `name` (ignoring any namespace prefix).
    public func child(_ name: String) -> XMLNode? { children.first { $0.localName == name } }
    /// Every child element named `name`.
    public func children(_ name: String) -> [XMLNode] { children.filter { $0.localName == name } }
    /// The trimmed text of the first child named `name`, or nil when absent.
    public func string(_ name: String) -> String? { child(name)?.trimmedText }
    /// The element's text with surrounding whitespace removed.
    public var trimmedText: String {
        // Almost every AWS value starts and ends with a printable ASCII character: then there is
        // nothing to trim, and Foundation's trimming (through NSString) is skipped.
        let utf8 = text.utf8
        if let first = utf8.first, let last = utf8.last, (0x21...0x7E).contains(first), (0x21...0x7E).contains(last) { return text }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Follows a path of child names: `node.path("Error", "Code")`.
    public func path(_ names: String...) -> XMLNode? {
        var node: XMLNode? = self
        for name in names { node = node?.child(name) }
        return node
    }

    /// Required text: throws a decode error naming the element when it is missing.
    public func require(_ name: String) throws -> String {
        guard let value = string(name) else {
            throw XMLDecodeError(message: "element <\(name)> missing in <\(self.name)>")
        }
        return value
    }
}

/// A response body that is not the XML it should be.
public struct XMLDecodeError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}

private final class TreeBuilder: NSObject, XMLParserDelegate {
    private final class Pending {
        let name: String
        let attributes: [String: String]
        var children: [XMLNode] = []
        var text = ""
        init(name: String, attributes: [String: String]) {
            self.name = name
            self.attributes = attributes
        }
    }

    private var stack: [Pending] = []
    var root: XMLNode?
    var failure: XMLDecodeError?
    /// A hostile or broken document must not exhaust the stack.
    private let maxDepth = 256

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        guard stack.count < maxDepth else {
            failure = XMLDecodeError(message: "XML nested deeper than \(maxDepth) elements")
            parser.abortParsing()
            return
        }
        stack.append(Pending(name: elementName, attributes: attributes))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        stack.last?.text += string
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        stack.last?.text += String(decoding: CDATABlock, as: UTF8.self)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        guard let done = stack.popLast() else { return }
        let node = XMLNode(name: done.name, attributes: done.attributes, children: done.children, text: done.text)
        if let parent = stack.last { parent.children.append(node) } else { root = node }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
        if failure == nil { failure = XMLDecodeError(message: "malformed XML: \(parseError)") }
    }
}
