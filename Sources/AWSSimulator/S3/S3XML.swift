import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The S3 XML namespace AWS writes on every response document.
let s3Namespace = "http://s3.amazonaws.com/doc/2006-03-01/"

/// Builds an S3 response document as text. Documents are small and flat, so a string builder
/// (escaping every text node) is all the simulator needs, and it is fast.
struct S3XMLBuilder {
    private(set) var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    private var open: [String] = []

    /// Starts the root element, carrying the S3 namespace.
    init(root: String) {
        text += "<\(root) xmlns=\"\(s3Namespace)\">"
        open.append(root)
    }

    mutating func start(_ name: String) {
        text += "<\(name)>"
        open.append(name)
    }

    mutating func end() {
        guard let name = open.popLast() else { return }
        text += "</\(name)>"
    }

    mutating func element(_ name: String, _ value: String) {
        text += "<\(name)>\(Self.escape(value))</\(name)>"
    }

    mutating func optional(_ name: String, _ value: String?) {
        if let value { element(name, value) }
    }

    /// Closes every open element and returns the document.
    mutating func finish() -> String {
        while !open.isEmpty { end() }
        return text
    }

    static func escape(_ value: String) -> String {
        guard value.contains(where: { "&<>\"'".contains($0) || $0.asciiValue.map { $0 < 0x20 && $0 != 0x0A && $0 != 0x09 } == true }) else {
            return value
        }
        var out = ""
        out.reserveCapacity(value.count + 16)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case _ where scalar.value < 0x20 && scalar != "\n" && scalar != "\t": out += "&#x\(String(scalar.value, radix: 16));"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

/// A parsed request document (CreateBucketConfiguration, Delete, CompleteMultipartUpload,
/// Tagging, VersioningConfiguration…). Names are compared without namespace prefixes.
struct S3XMLElement: Sendable {
    var name: String
    var children: [S3XMLElement]
    var text: String

    func child(_ name: String) -> S3XMLElement? { children.first { $0.name == name } }
    func children(_ name: String) -> [S3XMLElement] { children.filter { $0.name == name } }
    /// Trimmed text of the first child named `name`.
    func string(_ name: String) -> String? { child(name)?.trimmedText }
    var trimmedText: String { text.trimmingCharacters(in: .whitespacesAndNewlines) }

    /// Parses a whole document; nil when it is not well-formed XML (S3: `MalformedXML`).
    static func parse(_ data: Data) -> S3XMLElement? {
        let builder = S3XMLTreeBuilder()
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = false
        parser.shouldResolveExternalEntities = false
        parser.delegate = builder
        guard parser.parse(), !builder.failed else { return nil }
        return builder.root
    }
}

private final class S3XMLTreeBuilder: NSObject, XMLParserDelegate {
    private var stack: [S3XMLElement] = []
    var root: S3XMLElement?
    var failed = false

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        guard stack.count < 64 else {
            failed = true
            parser.abortParsing()
            return
        }
        let local = elementName.split(separator: ":").last.map(String.init) ?? elementName
        stack.append(S3XMLElement(name: local, children: [], text: ""))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if !stack.isEmpty { stack[stack.count - 1].text += string }
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        if !stack.isEmpty { stack[stack.count - 1].text += String(decoding: CDATABlock, as: UTF8.self) }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        guard let done = stack.popLast() else { return }
        if stack.isEmpty { root = done } else { stack[stack.count - 1].children.append(done) }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
        failed = true
    }
}
