import Foundation

/// An AWS answer as a tree, whichever protocol it came in: a JSON answer as parsed, an XML answer
/// read with its output shape so lists are lists (`LoadBalancers` is a list even with one item)
/// and members carry their API names (`Vpcs`, not EC2's `vpcSet`) — the same tree the AWS CLI
/// prints as JSON, so a path from the AWS docs or `aws … --output json` works as written.
public indirect enum AWSDocument: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number as the answer wrote it.
    case number(String)
    case string(String)
    case list([AWSDocument])
    case object([String: AWSDocument])

    /// A scalar as text (what an output holds); a list or object as compact JSON with sorted keys.
    public var text: String {
        switch self {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let text): return text
        case .string(let text): return text
        case .list, .object: return json
        }
    }

    public var json: String {
        switch self {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let text): return text
        case .string(let text): return JSONText.quote(text)
        case .list(let items): return "[" + items.map(\.json).joined(separator: ",") + "]"
        case .object(let members):
            return "{" + members.keys.sorted().map { JSONText.quote($0) + ":" + members[$0]!.json }.joined(separator: ",") + "}"
        }
    }

    /// Parses a JSON answer; nil when it is not JSON.
    public static func parseJSON(_ data: Data) -> AWSDocument? {
        if data.isEmpty { return .object([:]) }
        return try? JSONDecoder().decode(AWSDocument.self, from: data)
    }
}

extension AWSDocument: Decodable {
    public init(from decoder: any Decoder) throws {
        if let container = try? decoder.container(keyedBy: AnyKey.self) {
            var members: [String: AWSDocument] = [:]
            for key in container.allKeys { members[key.stringValue] = try container.decode(AWSDocument.self, forKey: key) }
            self = .object(members)
        } else if var container = try? decoder.unkeyedContainer() {
            var items: [AWSDocument] = []
            while !container.isAtEnd { items.append(try container.decode(AWSDocument.self)) }
            self = .list(items)
        } else {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .null
            } else if let flag = try? container.decode(Bool.self) {
                self = .bool(flag)
            } else if let text = try? container.decode(String.self) {
                self = .string(text)
            } else if let integer = try? container.decode(Int64.self) {
                self = .number(String(integer))
            } else {
                let number = try container.decode(Double.self)
                self = .number(number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number))
            }
        }
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
