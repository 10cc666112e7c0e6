/// One operation: its input and output shapes.
public struct AWSOperationModel: Sendable {
    public let input: AWSShapeRef?
    /// Query and EC2 only (JSON answers describe themselves).
    public let output: AWSShapeRef?
    /// Query: the element inside `<OpResponse>` that holds the answer (`DescribeAlarmsResult`).
    public let resultWrapper: String?
}

/// A reference to a shape: a scalar kind, or an index into the service's shape table.
public enum AWSShapeRef: Sendable, Hashable {
    case scalar(AWSScalarKind)
    case shape(Int)
}

public enum AWSScalarKind: String, Sendable, Hashable {
    case string = "s", integer = "i", boolean = "b", timestamp = "t", float = "f", blob = "B"

    public var label: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .boolean: "true or false"
        case .timestamp: "a timestamp"
        case .float: "a number"
        case .blob: "a string (sent base64-encoded)"
        }
    }
}

/// A structure member with its names on the wire.
public struct AWSMember: Sendable, Hashable {
    public let name: String
    public let target: AWSShapeRef
    /// `locationName` when it differs from `name` (EC2's `vpcSet`, a Query list's element name).
    public let locationName: String?
    /// EC2's `queryName` (the request name) when given.
    public let queryName: String?
    public let flattened: Bool
}

/// The part of a botocore shape that serialising and list-awareness need.
public enum AWSShape: Sendable {
    case structure([AWSMember])
    /// `memberName`: the element name of each item (`member`, `item`, `Tag`).
    case list(AWSShapeRef, memberName: String?, flattened: Bool)
    case map(key: AWSShapeRef, value: AWSShapeRef, keyName: String?, valueName: String?, flattened: Bool)
    /// A free-form JSON document.
    case document

    init(compact raw: [String: Any], service: String) throws {
        if (raw["d"] as? Int) == 1 {
            self = .document
        } else if let members = raw["m"] as? [[Any]] {
            self = .structure(
                try members.map { entry in
                    guard let name = entry.first as? String, entry.count > 1 else {
                        throw CatalogDecodeError(message: "\(service): a structure member without a name or target")
                    }
                    let target = Compact.ref(entry[1])
                    // Generator shorthand: 1 = the lower-camel name (location) / capitalised location (query).
                    var location: String?
                    if entry.count > 2 {
                        if let text = entry[2] as? String {
                            location = text
                        } else if (entry[2] as? Int) == 1 {
                            location = name.prefix(1).lowercased() + name.dropFirst()
                        }
                    }
                    var query: String?
                    if entry.count > 3 {
                        if let text = entry[3] as? String {
                            query = text
                        } else if (entry[3] as? Int) == 1 {
                            query = location.map { $0.prefix(1).uppercased() + $0.dropFirst() } ?? name
                        }
                    }
                    let flattened = entry.count > 4 && (entry[4] as? Int) == 1
                    return AWSMember(name: name, target: target, locationName: location, queryName: query, flattened: flattened)
                })
        } else if let item = raw["l"] {
            self = .list(Compact.ref(item), memberName: raw["n"] as? String, flattened: (raw["f"] as? Int) == 1)
        } else if let key = raw["k"], let value = raw["v"] {
            self = .map(
                key: Compact.ref(key), value: Compact.ref(value), keyName: raw["kn"] as? String,
                valueName: raw["vn"] as? String, flattened: (raw["f"] as? Int) == 1)
        } else {
            throw CatalogDecodeError(message: "\(service): a shape that is neither structure, list, map nor document")
        }
    }
}

/// The generator's compact atoms: a shape index, or a scalar's one-letter kind.
enum Compact {
    static func ref(_ atom: Any) -> AWSShapeRef {
        if let index = atom as? Int { return .shape(index) }
        return .scalar(AWSScalarKind(rawValue: atom as? String ?? "s") ?? .string)
    }

    /// An operation's input or output: a shape index, or -1 for none.
    static func shapeIndex(_ atom: Any?) -> AWSShapeRef? {
        guard let index = atom as? Int, index >= 0 else { return nil }
        return .shape(index)
    }
}
