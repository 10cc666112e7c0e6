import Foundation

/// Writes Query-protocol XML (RDS, and EC2's variant of it): elements in order, text escaped,
/// timestamps in ISO 8601 UTC with milliseconds as RDS sends them.
struct QueryXMLWriter {
    private(set) var text = ""

    mutating func raw(_ xml: String) { text += xml }
    mutating func open(_ name: String) { text += "<\(name)>" }
    mutating func close(_ name: String) { text += "</\(name)>" }

    mutating func element(_ name: String, _ body: (inout QueryXMLWriter) -> Void) {
        open(name)
        body(&self)
        close(name)
    }

    mutating func leaf(_ name: String, _ value: String?) {
        guard let value else { return }
        text += "<\(name)>\(Self.escape(value))</\(name)>"
    }
    mutating func leaf(_ name: String, _ value: Bool?) { leaf(name, value.map { $0 ? "true" : "false" }) }
    mutating func leaf(_ name: String, _ value: Int?) { leaf(name, value.map(String.init)) }
    mutating func leaf(_ name: String, _ value: Date?) { leaf(name, value.map(Self.timestamp)) }

    /// `<Name><member>v</member>…</Name>` with the member name the shape declares.
    mutating func list(_ name: String, member: String, _ values: [String]) {
        element(name) { w in for v in values { w.leaf(member, v) } }
    }

    mutating func tags(_ tags: [String: String]) {
        element("TagList") { w in
            for (key, value) in tags.sorted(by: { $0.key < $1.key }) {
                w.element("Tag") { t in
                    t.leaf("Key", key)
                    t.leaf("Value", value)
                }
            }
        }
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    static func escape(_ s: String) -> String {
        guard s.contains(where: { "&<>\"'".contains($0) }) else { return s }
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(c)
            }
        }
        return out
    }
}
