import AWSClient
import Foundation

/// What the daemon knows about the services `aws.call` and `aws.wait` may call: for each, its wire
/// protocol and addressing, its operations, and the shapes of their inputs (to check a runbook's
/// parameter names at plan time and serialise them as botocore does) and, for the XML protocols,
/// of their answers (to know which elements are lists, so a path reads as in the AWS CLI's JSON).
///
/// Generated from botocore's service models by `scripts/gen-aws-catalog` into
/// `AWSModelCatalog+Data.swift`; decoded once, on first use.
public struct AWSModelCatalog: Sendable {
    /// The botocore version the catalog was generated from.
    public let botocoreVersion: String
    public let services: [String: AWSServiceModel]

    /// The catalog compiled into this binary.
    public static let shared: AWSModelCatalog = {
        do {
            return try AWSModelCatalog(json: Data(compactJSON.utf8))
        } catch {
            // The text is generated and committed; a test decodes it. Never reached in a release.
            preconditionFailure("the generated AWS catalog does not decode: \(error)")
        }
    }()

    /// The generated catalog's JSON text (for tests and measurements).
    public static var generatedJSON: Data { Data(compactJSON.utf8) }

    public init(json: Data) throws {
        let raw = try JSONDecoder().decode(RawCatalog.self, from: json)
        botocoreVersion = raw.botocore
        services = Dictionary(uniqueKeysWithValues: raw.services.map { ($0.key, AWSServiceModel(name: $0.key, raw: $0.value)) })
    }

    /// Service names in order, for hints.
    public var serviceNames: [String] { services.keys.sorted() }

    public func service(_ name: String) -> AWSServiceModel? { services[name] }
}

/// One service of the catalog.
public struct AWSServiceModel: Sendable {
    public enum ProtocolKind: String, Sendable {
        case query, ec2, json
    }

    /// The catalog's name (botocore's: `ec2`, `elbv2`, `cloudwatch`).
    public let name: String
    public let protocolKind: ProtocolKind
    public let apiVersion: String
    public let signingName: String
    public let endpointPrefix: String
    public let serviceId: String
    /// JSON only: `X-Amz-Target` is `<targetPrefix>.<Operation>`.
    public let targetPrefix: String?
    public let jsonVersion: String?
    /// JSON services that also speak Query (SQS): botocore sends `x-amzn-query-mode: true`.
    public let queryCompatible: Bool
    public let operations: [String: AWSOperationModel]
    let shapes: [AWSShape]

    init(name: String, raw: RawService) {
        self.name = name
        protocolKind = ProtocolKind(rawValue: raw.p) ?? .query
        apiVersion = raw.v
        signingName = raw.s
        endpointPrefix = raw.e
        serviceId = raw.id
        targetPrefix = raw.t
        jsonVersion = raw.j
        queryCompatible = raw.qc == 1
        operations = raw.ops.mapValues { entry in
            AWSOperationModel(
                input: entry.first?.shapeIndex, output: entry.count > 1 ? entry[1].shapeIndex : nil,
                resultWrapper: entry.count > 2 ? entry[2].wrapper : nil)
        }
        shapes = raw.sh.map(AWSShape.init(raw:))
    }

    public var operationNames: [String] { operations.keys.sorted() }

    /// How the AWS client addresses, signs and decodes errors of this service. EC2 errors are
    /// decoded like Query's (`<Response><Errors><Error>`, which the decoder reads too).
    public var clientService: AWSService {
        let wire: AWSService.WireProtocol
        switch protocolKind {
        case .query, .ec2: wire = .query(apiVersion: apiVersion)
        case .json: wire = .json(targetPrefix: targetPrefix ?? "", jsonVersion: jsonVersion ?? "1.0")
        }
        return AWSService(signingName: signingName, endpointPrefix: endpointPrefix, serviceId: serviceId, wireProtocol: wire)
    }

    func shape(_ index: Int) -> AWSShape? { shapes.indices.contains(index) ? shapes[index] : nil }

    /// The shape `ref` points at; nil for a scalar.
    public func shape(of ref: AWSShapeRef) -> AWSShape? {
        guard case .shape(let index) = ref else { return nil }
        return shape(index)
    }

    /// The structure members of `ref`, when it is a structure.
    public func members(of ref: AWSShapeRef?) -> [AWSMember]? {
        guard case .shape(let index)? = ref, case .structure(let members)? = shape(index) else { return nil }
        return members
    }
}

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

    init(raw: RawShape) {
        if raw.d == 1 {
            self = .document
        } else if let members = raw.m {
            self = .structure(members.map { entry in
                let name = entry.first?.name ?? ""
                let target = entry.count > 1 ? entry[1].ref : .scalar(.string)
                // Generator shorthand: 1 = the lower-camel name (location) / capitalised location (query).
                var location: String?
                switch entry.count > 2 ? entry[2] : nil {
                case .text(let text)?: location = text
                case .number(1)?: location = name.prefix(1).lowercased() + name.dropFirst()
                default: location = nil
                }
                var query: String?
                switch entry.count > 3 ? entry[3] : nil {
                case .text(let text)?: query = text
                case .number(1)?: query = location.map { $0.prefix(1).uppercased() + $0.dropFirst() } ?? name
                default: query = nil
                }
                let flattened = entry.count > 4 && entry[4] == .number(1)
                return AWSMember(name: name, target: target, locationName: location, queryName: query, flattened: flattened)
            })
        } else if let item = raw.l {
            self = .list(item.ref, memberName: raw.n, flattened: raw.f == 1)
        } else if let key = raw.k, let value = raw.v {
            self = .map(key: key.ref, value: value.ref, keyName: raw.kn, valueName: raw.vn, flattened: raw.f == 1)
        } else {
            self = .document
        }
    }
}

// MARK: The generated JSON's layout (scripts/gen-aws-catalog)

struct RawCatalog: Decodable {
    var botocore: String
    var services: [String: RawService]
}

struct RawService: Decodable {
    var p: String
    var v: String
    var s: String
    var e: String
    var id: String
    var t: String?
    var j: String?
    var qc: Int?
    var ops: [String: [RawAtom]]
    var sh: [RawShape]
}

struct RawShape: Decodable {
    var m: [[RawAtom]]?
    var l: RawAtom?
    var n: String?
    var f: Int?
    var k: RawAtom?
    var v: RawAtom?
    var kn: String?
    var vn: String?
    var d: Int?
}

/// A number or a string in the compact JSON.
enum RawAtom: Decodable, Equatable {
    case number(Int)
    case text(String)

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int.self) {
            self = .number(number)
        } else {
            self = .text(try container.decode(String.self))
        }
    }

    var name: String {
        if case .text(let text) = self { return text }
        return ""
    }

    var ref: AWSShapeRef {
        switch self {
        case .number(let index): return .shape(index)
        case .text(let letter): return .scalar(AWSScalarKind(rawValue: letter) ?? .string)
        }
    }

    /// An operation's input or output: a shape index, or -1 for none.
    var shapeIndex: AWSShapeRef? {
        if case .number(let n) = self, n >= 0 { return .shape(n) }
        return nil
    }

    var wrapper: String? {
        if case .text(let text) = self { return text }
        return nil
    }
}
