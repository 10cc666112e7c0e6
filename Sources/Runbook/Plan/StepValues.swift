import Foundation

/// Typed step contracts: a primitive's inputs and outputs as Codable types instead of hand-read
/// JSON members. The definition encodes its `Inputs` into the primitive's `inputs` (what the plan
/// journals and `plan --output json` shows); the executor decodes the same type; outputs are
/// encoded from an `Outputs` type into the journal's `[String: String]`, so every timestamp a step
/// hands on has the one format `RunbookTimestamp` writes (RFC 3339 in UTC, milliseconds when any) and
/// every number its plain decimal form.
public enum StepValues {
    /// `inputs` as the JSON a primitive carries. Dates become RFC 3339 text.
    public static func encode(_ inputs: some Encodable) throws -> JSONValue {
        let encoder = encoder()
        let placed = OrderedJSONPath.Placed()
        encoder.userInfo[placedKey] = placed
        return placed.restore(into: try JSONDecoder().decode(JSONValue.self, from: encoder.encode(inputs)))
    }

    /// `inputs` as a definition plans them for `step`: encoding plain values cannot fail, but if it
    /// did the plan would say so at the step instead of carrying inputs no executor can read.
    public static func encode(_ inputs: some Encodable, of step: StepSpec) throws(RunbookDiagnostics) -> JSONValue {
        do {
            return try encode(inputs)
        } catch {
            throw RunbookDiagnostics([
                RunbookDiagnostic(code: "internal", message: "cannot encode the inputs of `\(step.id)`: \(error)", location: step.location)
            ])
        }
    }

    /// A primitive's `inputs` as `type`; the error names the first member that does not fit.
    public static func decode<T: Decodable>(_ type: T.Type, from inputs: JSONValue) throws -> T {
        let decoder = decoder()
        decoder.userInfo[sourceKey] = inputs
        return try decoder.decode(type, from: JSONEncoder().encode(inputs))
    }

    /// `outputs` as the journal keeps them: strings by name. Text stays text, whole numbers lose
    /// their fraction, dates are RFC 3339, absent optionals are left out, anything nested is JSON.
    public static func outputs(_ outputs: some Encodable) throws -> [String: String] {
        guard case let .object(members) = try encode(outputs) else { return [:] }
        var result: [String: String] = [:]
        for (name, value) in members {
            switch value {
            case .null: continue
            case .string(let text): result[name] = text
            case .bool(let flag): result[name] = flag ? "true" : "false"
            case .number(let number):
                // Whole numbers up to 2^53 (every integer a Double holds exactly: byte counts of any bucket).
                result[name] = number.rounded() == number && abs(number) <= 9_007_199_254_740_992 ? String(Int64(number)) : String(number)
            case .array, .object:
                result[name] = String(decoding: try encoder().encode(value), as: UTF8.self)
            }
        }
        return result
    }

    /// A description of a decoding failure an operator can act on: which input, what was wrong.
    public static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map(\.stringValue).joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = path(context)
            return "input `\(parent.isEmpty ? key.stringValue : parent + "." + key.stringValue)` is missing"
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            return "input `\(path(context))` is not a \(type): \(context.debugDescription)"
        case .dataCorrupted(let context):
            return "input `\(path(context))`: \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    /// Where `OrderedJSON` finds the plan's own value (decoding) and records what it placed (encoding).
    static let sourceKey = CodingUserInfoKey(rawValue: "cutover.stepValues.source")!
    static let placedKey = CodingUserInfoKey(rawValue: "cutover.stepValues.placed")!

    private static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(RunbookTimestamp.format(date))
        }
        return encoder
    }

    private static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = RunbookTimestamp.parse(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "`\(text)` is not a timestamp (\(RunbookTimestamp.acceptedForms))")
            }
            return date
        }
        return decoder
    }
}
