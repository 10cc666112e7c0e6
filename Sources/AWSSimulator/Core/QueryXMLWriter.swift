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

/// The two documents every Query service (RDS, ELBv2, CloudWatch) and Route 53's error answer
/// share, written once: the `<ActionResponse>` envelope and the `<ErrorResponse>` that
/// `AWSErrorDecoder` reads, as botocore's `query` protocol parser does (`Type` Sender for 4xx,
/// Receiver for 5xx).
enum QueryDocument {
    static func headers(_ requestId: String) -> [(name: String, value: String)] {
        [("Content-Type", "text/xml"), ("x-amzn-RequestId", requestId)]
    }

    /// `<{action}Response><{action}Result>…</…Result><ResponseMetadata><RequestId/>…`; no result
    /// element when `result` is nil (operations whose output shape is empty).
    static func response(_ action: String, result: String?, namespace: String, requestId: String) -> SimResponse {
        var body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<\(action)Response xmlns=\"\(namespace)\">"
        if let result { body += "<\(action)Result>\(result)</\(action)Result>" }
        body += "<ResponseMetadata><RequestId>\(requestId)</RequestId></ResponseMetadata></\(action)Response>"
        return SimResponse(status: 200, headers: headers(requestId), body: Data(body.utf8))
    }

    /// `<ErrorResponse><Error><Type>Sender|Receiver</Type><Code/><Message/></Error><RequestId/></ErrorResponse>`.
    static func error(_ error: SimError, namespace: String, requestId: String) -> SimResponse {
        var w = QueryXMLWriter()
        w.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ErrorResponse xmlns=\"\(namespace)\">")
        w.element("Error") { e in
            e.leaf("Type", error.status >= 500 ? "Receiver" : "Sender")
            e.leaf("Code", error.code)
            e.leaf("Message", error.message)
        }
        w.leaf("RequestId", requestId)
        w.close("ErrorResponse")
        return SimResponse(status: error.status, headers: headers(requestId), body: Data(w.text.utf8))
    }
}
