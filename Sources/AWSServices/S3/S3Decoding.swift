import AWSSigV4
import Foundation

/// Value decoding shared by S3's XML documents and response headers. Every function throws
/// `XMLDecodeError` on bad input, which S3Client turns into `MalformedResponse`.
enum S3Decoding {
    /// Checks the document's root element, so an unrelated 2xx body is never taken for an answer.
    /// `alternates` are the `<OperationResponse>` names moto's generic serializer uses where AWS
    /// sends the documented root (botocore ignores the root name, so moto never noticed).
    static func expectRoot(_ node: XMLNode, _ name: String, alternates: String...) throws {
        guard node.localName == name || alternates.contains(node.localName) else {
            throw XMLDecodeError(message: "expected <\(name)>, got <\(node.name)>")
        }
    }

    static func int(_ text: String, _ what: String) throws -> Int {
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
            throw XMLDecodeError(message: "\(what) is not an integer: \"\(text)\"")
        }
        return value
    }

    static func optionalInt(_ node: XMLNode, _ name: String) throws -> Int? {
        try node.string(name).map { try int($0, "<\(name)>") }
    }

    static func bool(_ text: String, _ what: String) throws -> Bool {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "true": true
        case "false": false
        default: throw XMLDecodeError(message: "\(what) is not a boolean: \"\(text)\"")
        }
    }

    static func optionalBool(_ node: XMLNode, _ name: String) throws -> Bool? {
        try node.string(name).map { try bool($0, "<\(name)>") }
    }

    /// S3's timestamps in XML: ISO 8601 with or without fractional seconds.
    static func timestamp(_ text: String, _ what: String) throws -> Date {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        if let date = try? Date(text, strategy: fractional) { return date }
        throw XMLDecodeError(message: "\(what) is not an ISO 8601 timestamp: \"\(text)\"")
    }

    static func optionalTimestamp(_ node: XMLNode, _ name: String) throws -> Date? {
        try node.string(name).map { try timestamp($0, "<\(name)>") }
    }

    /// Decodes a value S3 sent with `encoding-type=url` (form encoding: `+` is a space).
    static func urlDecoded(_ text: String?, _ encoded: Bool) -> String? {
        guard let text, encoded else { return text }
        return SigV4URIEncoding.decode(text.replacingOccurrences(of: "+", with: " "))
    }

    /// The ISO 8601 form S3 accepts in headers such as `x-amz-object-lock-retain-until-date`.
    static func iso8601(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
