import Foundation

/// Serialises parameters for the Query and EC2 protocols exactly as botocore's `QuerySerializer`
/// and `EC2Serializer` (botocore/serialize.py) do, so the same YAML sends the same form the AWS
/// CLI would. Tested differentially against botocore (Tests/AWSServicesTests/Generic).
///
/// - Query: a structure member is named by its `locationName` (else its name); a list is
///   `Name.member.N` (or `Name.<locationName>.N`), a flattened list `Name.N` (with the member's
///   name replacing the last part when it has one), an empty list `Name=`; a map is
///   `Name.entry.N.key`/`.value` (flattened: `Name.N.key`).
/// - EC2: a member is named by its `queryName`, else its `locationName` with the first letter
///   upper-cased, else its name; every list is `Name.N` and an empty list sends nothing.
public struct AWSQuerySerializer: Sendable {
    public let model: AWSServiceModel

    public init(model: AWSServiceModel) { self.model = model }

    private var isEC2: Bool { model.protocolKind == .ec2 }

    /// `Action`, `Version` and the parameters, in botocore's order.
    public func pairs(operation: String, parameters: AWSParameterValue) throws(AWSParameterError) -> [(String, String)] {
        guard let op = model.operations[operation] else {
            throw AWSParameterError(path: "", message: "\(model.name) has no operation \(operation)", candidates: model.operationNames)
        }
        var out: [(String, String)] = [("Action", operation), ("Version", model.apiVersion)]
        if let input = op.input {
            if case .null = parameters {} else { try serialize(parameters, ref: input, prefix: "", path: "", into: &out) }
        } else if case .map(let entries) = parameters, !entries.isEmpty {
            throw AWSParameterError(path: "", message: "\(operation) takes no parameters")
        }
        return out
    }

    private func serialize(
        _ value: AWSParameterValue, ref: AWSShapeRef, prefix: String, path: String, into out: inout [(String, String)]
    ) throws(AWSParameterError) {
        if case .null = value { return }
        switch ref {
        case .scalar(let kind):
            out.append((prefix, try AWSScalarText.query(value, kind: kind, path: path)))
        case .shape(let index):
            guard let shape = model.shape(index) else { throw AWSParameterError(path: path, message: "the model has no shape \(index)") }
            switch shape {
            case .structure(let members):
                guard case .map(let entries) = value else {
                    throw AWSParameterError(
                        path: path, message: "must be a mapping of \(Self.names(members))", candidates: members.map(\.name))
                }
                for entry in entries {
                    guard let member = members.first(where: { $0.name == entry.key }) else {
                        throw AWSParameterError(
                            path: Self.join(path, entry.key), message: "is not a parameter here", candidates: members.map(\.name))
                    }
                    let name = serializedName(member)
                    try serialize(
                        entry.value, ref: member.target, prefix: prefix.isEmpty ? name : "\(prefix).\(name)",
                        path: Self.join(path, entry.key), into: &out)
                }
            case .list(let item, let memberName, let flattened):
                guard case .list(let items) = value else { throw AWSParameterError(path: path, message: "must be a list") }
                if isEC2 {
                    for (i, element) in items.enumerated() {
                        try serialize(element, ref: item, prefix: "\(prefix).\(i + 1)", path: "\(path)[\(i)]", into: &out)
                    }
                    return
                }
                if items.isEmpty {
                    out.append((prefix, ""))
                    return
                }
                var listPrefix: String
                if flattened {
                    listPrefix = prefix
                    if let memberName {
                        var parts = prefix.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
                        parts.removeLast()
                        parts.append(memberName)
                        listPrefix = parts.joined(separator: ".")
                    }
                } else {
                    listPrefix = "\(prefix).\(memberName ?? "member")"
                }
                for (i, element) in items.enumerated() {
                    try serialize(element, ref: item, prefix: "\(listPrefix).\(i + 1)", path: "\(path)[\(i)]", into: &out)
                }
            case .map(let key, let valueRef, let keyName, let valueName, let flattened):
                guard case .map(let entries) = value else { throw AWSParameterError(path: path, message: "must be a mapping") }
                let base = flattened ? prefix : "\(prefix).entry"
                let keySuffix = wireName(keyName) ?? "key"
                let valueSuffix = wireName(valueName) ?? "value"
                for (i, entry) in entries.enumerated() {
                    try serialize(.scalar(entry.key), ref: key, prefix: "\(base).\(i + 1).\(keySuffix)", path: path, into: &out)
                    try serialize(
                        entry.value, ref: valueRef, prefix: "\(base).\(i + 1).\(valueSuffix)",
                        path: Self.join(path, entry.key), into: &out)
                }
            case .document:
                throw AWSParameterError(path: path, message: "a document cannot be sent by the Query protocol")
            }
        }
    }

    /// One scalar as the Query protocol sends it; throws when `text` is not of `kind` (the
    /// planner checks runbook values with it).
    public static func scalarText(_ text: String, kind: AWSScalarKind, path: String) throws(AWSParameterError) -> String {
        try AWSScalarText.query(.scalar(text), kind: kind, path: path)
    }

    /// The name a member has on the wire.
    func serializedName(_ member: AWSMember) -> String {
        if isEC2 {
            if let query = member.queryName { return query }
            if let location = member.locationName { return location.prefix(1).uppercased() + location.dropFirst() }
            return member.name
        }
        return member.locationName ?? member.name
    }

    private func wireName(_ name: String?) -> String? {
        guard let name else { return nil }
        return isEC2 ? name.prefix(1).uppercased() + name.dropFirst() : name
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    static func names(_ members: [AWSMember]) -> String {
        let names = members.map(\.name)
        return names.count > 8 ? names.prefix(8).joined(separator: ", ") + ", …" : names.joined(separator: ", ")
    }
}

/// One scalar, typed by the model, as botocore writes it.
enum AWSScalarText {
    static func query(_ value: AWSParameterValue, kind: AWSScalarKind, path: String) throws(AWSParameterError) -> String {
        guard case .scalar(let text) = value else {
            throw AWSParameterError(path: path, message: "must be \(kind.label), not a list or mapping")
        }
        switch kind {
        case .string: return text
        case .integer:
            guard let number = Int64(text) else { throw AWSParameterError(path: path, message: "must be an integer, not `\(text)`") }
            return String(number)
        case .float:
            guard Double(text) != nil else { throw AWSParameterError(path: path, message: "must be a number, not `\(text)`") }
            return text
        case .boolean:
            guard let flag = boolean(text) else { throw AWSParameterError(path: path, message: "must be true or false, not `\(text)`") }
            return flag ? "true" : "false"
        case .timestamp:
            guard let date = timestamp(text) else {
                throw AWSParameterError(path: path, message: "must be a timestamp such as 2026-12-01T01:00:00Z, not `\(text)`")
            }
            return iso8601(date)
        case .blob:
            return Data(text.utf8).base64EncodedString()
        }
    }

    static func boolean(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true": true
        case "false": false
        default: nil
        }
    }

    /// An RFC 3339 instant (with its offset) or epoch seconds.
    static func timestamp(_ text: String) -> Date? {
        if let seconds = Double(text) { return Date(timeIntervalSince1970: seconds) }
        let plain = ISO8601DateFormatter()
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }

    /// botocore's `_timestamp_iso8601`: `%Y-%m-%dT%H:%M:%SZ`, with `.%f` when there are microseconds.
    static func iso8601(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        let whole = seconds.rounded(.down)
        let micros = Int(((seconds - whole) * 1_000_000).rounded())
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        let base = formatter.string(from: Date(timeIntervalSince1970: whole))
        return micros == 0 ? base + "Z" : base + String(format: ".%06dZ", micros)
    }
}
