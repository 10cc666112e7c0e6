import Foundation

/// Builds the XML request bodies of S3's REST-XML API, escaping text and attribute values.
public struct XMLWriter: Sendable {
    private var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    private var open: [String] = []

    public init() {}

    /// Opens `<name xmlns=…>`; pair with `end()`.
    public mutating func start(_ name: String, namespace: String? = nil) {
        out += "<\(name)"
        if let namespace { out += " xmlns=\"\(Self.escape(namespace))\"" }
        out += ">"
        open.append(name)
    }

    public mutating func end() {
        guard let name = open.popLast() else { return }
        out += "</\(name)>"
    }

    /// Writes `<name>text</name>`.
    public mutating func element(_ name: String, _ text: String) {
        out += "<\(name)>\(Self.escape(text))</\(name)>"
    }

    /// Writes `<name>text</name>` only when `text` is non-nil.
    public mutating func optional(_ name: String, _ text: String?) {
        if let text { element(name, text) }
    }

    /// Writes an element with nested content.
    public mutating func element(_ name: String, _ body: (inout XMLWriter) -> Void) {
        start(name)
        body(&self)
        end()
    }

    /// Inserts already well-formed XML (for example a sub-resource captured verbatim).
    public mutating func raw(_ xml: String) { out += xml }

    public var document: String {
        var copy = self
        while !copy.open.isEmpty { copy.end() }
        return copy.out
    }

    public var data: Data { Data(document.utf8) }

    public static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for ch in text.unicodeScalars {
            switch ch {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\r": result += "&#13;"
            default: result.unicodeScalars.append(ch)
            }
        }
        return result
    }
}
