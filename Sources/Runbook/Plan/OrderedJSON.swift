import Foundation
import Synchronization

/// A member of a typed step contract whose JSON must keep its member order: the parameters of an
/// `aws.call`/`aws.wait` (AWS Query and JSON bodies are sent in the order the runbook wrote
/// them). Foundation's coders do not keep object member order (`JSONValue+Codable.swift`), so
/// through `StepValues` this member is not re-coded: `decode` hands it the plan's own value found
/// at its coding path, and `encode` puts the value back, member order and all, where it belongs.
/// Outside `StepValues` it codes as plain `JSONValue` (member names sorted).
public struct OrderedJSON: Codable, Sendable, Hashable {
    public var value: JSONValue

    public init(_ value: JSONValue) { self.value = value }

    public init(from decoder: any Decoder) throws {
        if let source = decoder.userInfo[StepValues.sourceKey] as? JSONValue,
            let found = source.member(at: decoder.codingPath.map(OrderedJSONPath.Step.init))
        {
            value = found
        } else {
            value = try JSONValue(from: decoder)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        try value.encode(to: encoder)
        (encoder.userInfo[StepValues.placedKey] as? OrderedJSONPath.Placed)?.append(
            encoder.codingPath.map(OrderedJSONPath.Step.init), value)
    }
}

/// Where an `OrderedJSON` sits in the encoded inputs, for `StepValues` to put it back.
enum OrderedJSONPath {
    enum Step: Equatable {
        case member(String)
        case index(Int)

        init(_ key: any CodingKey) {
            self = key.intValue.map(Step.index) ?? .member(key.stringValue)
        }
    }

    /// The values placed during one `encode`, by path.
    final class Placed: Sendable {
        private let entries = Mutex<[([Step], JSONValue)]>([])

        func append(_ path: [Step], _ value: JSONValue) { entries.withLock { $0.append((path, value)) } }

        /// `encoded` with every placed value put back as it was given.
        func restore(into encoded: JSONValue) -> JSONValue {
            entries.withLock { $0 }.reduce(encoded) { result, entry in result.replacing(at: entry.0[...], with: entry.1) }
        }
    }
}

extension JSONValue {
    fileprivate func member(at path: [OrderedJSONPath.Step]) -> JSONValue? {
        var current = self
        for step in path {
            switch (step, current) {
            case (.member(let name), .object(let members)):
                guard let found = members.first(where: { $0.0 == name }) else { return nil }
                current = found.1
            case (.index(let index), .array(let items)):
                guard items.indices.contains(index) else { return nil }
                current = items[index]
            default: return nil
            }
        }
        return current
    }

    fileprivate func replacing(at path: ArraySlice<OrderedJSONPath.Step>, with value: JSONValue) -> JSONValue {
        guard let step = path.first else { return value }
        switch (step, self) {
        case (.member(let name), .object(let members)):
            return .object(members.map { $0.0 == name ? ($0.0, $0.1.replacing(at: path.dropFirst(), with: value)) : $0 })
        case (.index(let index), .array(var items)) where items.indices.contains(index):
            items[index] = items[index].replacing(at: path.dropFirst(), with: value)
            return .array(items)
        default:
            return self
        }
    }
}
