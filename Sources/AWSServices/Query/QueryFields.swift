import Foundation

/// Typed reads from one element of a Query-protocol (RDS, STS) result, for the response decoders.
///
/// An absent optional field reads as `nil`; a field that is present but unreadable (`<MultiAZ>yes`,
/// a timestamp that is not ISO 8601) and a missing required field throw `XMLDecodeError`, which the
/// clients turn into `AWSError` `.malformedResponse` naming the operation — never a silent default.
struct QueryFields {
    let node: XMLNode

    init(_ node: XMLNode) { self.node = node }

    func string(_ name: String) -> String? { node.string(name) }

    func required(_ name: String) throws -> String {
        guard let value = node.string(name), !value.isEmpty else {
            throw XMLDecodeError(message: "required element <\(name)> missing or empty in <\(node.localName)>")
        }
        return value
    }

    func bool(_ name: String) throws -> Bool? {
        guard let text = node.string(name) else { return nil }
        switch text.lowercased() {
        case "true": return true
        case "false": return false
        default: throw XMLDecodeError(message: "<\(name)> in <\(node.localName)> is not a boolean: \(text)")
        }
    }

    func int(_ name: String) throws -> Int? {
        guard let text = node.string(name) else { return nil }
        guard let value = Int(text) else {
            throw XMLDecodeError(message: "<\(name)> in <\(node.localName)> is not an integer: \(text)")
        }
        return value
    }

    func date(_ name: String) throws -> Date? {
        guard let text = node.string(name) else { return nil }
        guard let value = Self.parseTimestamp(text) else {
            throw XMLDecodeError(message: "<\(name)> in <\(node.localName)> is not an ISO 8601 timestamp: \(text)")
        }
        return value
    }

    func requiredDate(_ name: String) throws -> Date {
        guard let value = try date(name) else {
            throw XMLDecodeError(message: "required element <\(name)> missing in <\(node.localName)>")
        }
        return value
    }

    /// The texts of a list: `<VpcSecurityGroupIds><VpcSecurityGroupId>…` and the like.
    func strings(_ name: String, member: String) -> [String] {
        node.list(name, member: member).map(\.trimmedText)
    }

    /// A nested structure, when present.
    func nested(_ name: String) -> QueryFields? { node.child(name).map(QueryFields.init) }

    /// The items of a list of structures, each decoded.
    func items<T>(_ name: String, member: String, _ decode: (QueryFields) throws -> T) rethrows -> [T] {
        try node.list(name, member: member).map { try decode(QueryFields($0)) }
    }

    /// `<TagList><Tag><Key>…</Key><Value>…</Value></Tag>…`; a tag without a key is malformed.
    func tags(_ name: String = "TagList", member: String = "Tag") throws -> [String: String] {
        var tags: [String: String] = [:]
        for tag in node.list(name, member: member) {
            let fields = QueryFields(tag)
            tags[try fields.required("Key")] = fields.string("Value") ?? ""
        }
        return tags
    }

    /// ISO 8601 in UTC as AWS Query services send it, with or without fractional seconds (any
    /// number of digits: moto sends microseconds).
    static func parseTimestamp(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let date = try? Date(trimmed, strategy: Date.ISO8601FormatStyle()) { return date }
        if let date = try? Date(trimmed, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
        // Drop the fraction and retry, then add it back: formatters differ in how many digits they accept.
        guard let dot = trimmed.firstIndex(of: ".") else { return nil }
        let digitsEnd = trimmed[trimmed.index(after: dot)...].firstIndex { !$0.isNumber } ?? trimmed.endIndex
        let fraction = Double("0" + trimmed[dot..<digitsEnd]) ?? 0
        let whole = String(trimmed[..<dot]) + String(trimmed[digitsEnd...])
        guard let date = try? Date(whole, strategy: Date.ISO8601FormatStyle()) else { return nil }
        return date.addingTimeInterval(fraction)
    }
}

extension QueryParameters {
    /// Tags as `Name.<member>.N.Key/Value`, sorted by key so the request is deterministic.
    mutating func addTags(_ name: String, _ tags: [String: String]?, member: String) {
        guard let tags else { return }
        addTags(name, tags.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }, member: member)
    }
}
