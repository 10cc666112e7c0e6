import Foundation

/// Serialises parameters for the JSON protocol as botocore's `JSONSerializer` does: members under
/// their `locationName` (else their name), integers and floats as numbers, booleans as booleans,
/// timestamps as epoch seconds, blobs base64-encoded, documents as written.
public struct AWSJSONSerializer: Sendable {
    public let model: AWSServiceModel

    public init(model: AWSServiceModel) { self.model = model }

    /// The request body: a JSON object, `{}` when there are no parameters.
    public func body(operation: String, parameters: AWSParameterValue) throws(AWSParameterError) -> Data {
        guard let op = model.operations[operation] else {
            throw AWSParameterError(path: "", message: "\(model.name) has no operation \(operation)", candidates: model.operationNames)
        }
        var text = ""
        if let input = op.input, case .map = parameters {
            try write(parameters, ref: input, path: "", into: &text)
        } else {
            text = "{}"
        }
        return Data(text.utf8)
    }

    private func write(_ value: AWSParameterValue, ref: AWSShapeRef, path: String, into out: inout String) throws(AWSParameterError) {
        switch ref {
        case .scalar(let kind):
            guard case .scalar(let text) = value else {
                throw AWSParameterError(path: path, message: "must be \(kind.label), not a list or mapping")
            }
            switch kind {
            case .string: out += JSONText.quote(text)
            case .blob: out += JSONText.quote(Data(text.utf8).base64EncodedString())
            case .integer:
                guard let number = Int64(text) else { throw AWSParameterError(path: path, message: "must be an integer, not `\(text)`") }
                out += String(number)
            case .float:
                guard let number = Double(text), number.isFinite else {
                    throw AWSParameterError(path: path, message: "must be a number, not `\(text)`")
                }
                out += text.contains(".") || text.lowercased().contains("e") ? text : String(number)
            case .boolean:
                guard let flag = AWSScalarText.boolean(text) else {
                    throw AWSParameterError(path: path, message: "must be true or false, not `\(text)`")
                }
                out += flag ? "true" : "false"
            case .timestamp:
                guard let date = AWSScalarText.timestamp(text) else {
                    throw AWSParameterError(path: path, message: "must be a timestamp such as 2026-12-01T01:00:00Z, not `\(text)`")
                }
                let seconds = date.timeIntervalSince1970
                out += seconds == seconds.rounded() ? String(Int64(seconds)) : String(seconds)
            }
        case .shape(let index):
            guard let shape = model.shape(index) else { throw AWSParameterError(path: path, message: "the model has no shape \(index)") }
            switch shape {
            case .structure(let members):
                guard case .map(let entries) = value else {
                    throw AWSParameterError(path: path, message: "must be a mapping", candidates: members.map(\.name))
                }
                out += "{"
                var first = true
                for entry in entries {
                    guard let member = members.first(where: { $0.name == entry.key }) else {
                        throw AWSParameterError(
                            path: AWSQuerySerializer.join(path, entry.key), message: "is not a parameter here",
                            candidates: members.map(\.name))
                    }
                    if case .null = entry.value { continue }
                    if !first { out += "," }
                    first = false
                    out += JSONText.quote(member.locationName ?? member.name) + ":"
                    try write(entry.value, ref: member.target, path: AWSQuerySerializer.join(path, entry.key), into: &out)
                }
                out += "}"
            case .list(let item, _, _):
                guard case .list(let items) = value else { throw AWSParameterError(path: path, message: "must be a list") }
                out += "["
                for (i, element) in items.enumerated() {
                    if i > 0 { out += "," }
                    try write(element, ref: item, path: "\(path)[\(i)]", into: &out)
                }
                out += "]"
            case .map(_, let valueRef, _, _, _):
                guard case .map(let entries) = value else { throw AWSParameterError(path: path, message: "must be a mapping") }
                out += "{"
                for (i, entry) in entries.enumerated() {
                    if i > 0 { out += "," }
                    out += JSONText.quote(entry.key) + ":"
                    try write(entry.value, ref: valueRef, path: AWSQuerySerializer.join(path, entry.key), into: &out)
                }
                out += "}"
            case .document:
                out += JSONText.document(value)
            }
        }
    }
}

/// JSON text for the request writer.
enum JSONText {
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// A free-form document: YAML's scalars read as JSON would (numbers, booleans, null, text).
    static func document(_ value: AWSParameterValue) -> String {
        switch value {
        case .null: return "null"
        case .scalar(let text):
            if text == "true" || text == "false" { return text }
            if let number = Double(text), number.isFinite, text.first != "+" { return text }
            return quote(text)
        case .list(let items): return "[" + items.map(document).joined(separator: ",") + "]"
        case .map(let entries): return "{" + entries.map { quote($0.key) + ":" + document($0.value) }.joined(separator: ",") + "}"
        }
    }
}
