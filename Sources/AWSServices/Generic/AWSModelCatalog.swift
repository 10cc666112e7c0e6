import AWSClient
import Foundation
import Synchronization

/// What the daemon knows about the services `aws.call` and `aws.wait` may call: for each, its wire
/// protocol and addressing, its operations, and the shapes of their inputs (to check a runbook's
/// parameter names at plan time and serialise them as botocore does) and, for the XML protocols,
/// of their answers (to know which elements are lists, so a path reads as in the AWS CLI's JSON).
///
/// Generated from botocore's service models by `scripts/gen-aws-catalog` into
/// `AWSModelCatalog+Data.swift`; each service is decoded the first time it is used.
public final class AWSModelCatalog: Sendable {
    private let texts: [String: String]
    private let decoded = Mutex<[String: AWSServiceModel]>([:])

    /// The catalog compiled into this binary.
    public static let shared = AWSModelCatalog(texts: compactServices)

    /// A catalog of compact service models (JSON text by service name, as the generator writes them).
    public init(texts: [String: String]) { self.texts = texts }

    /// Service names in order, for hints.
    public var serviceNames: [String] { texts.keys.sorted() }

    /// The service's model, decoded the first time it is asked for (EC2's alone is 280 KB of
    /// JSON, so a runbook that calls only ELBv2 never pays for it). Nil for an unknown name — or
    /// a model that does not decode, which the catalog tests rule out for the generated text.
    public func service(_ name: String) -> AWSServiceModel? {
        if let model = decoded.withLock({ $0[name] }) { return model }
        guard let text = texts[name], let model = try? AWSServiceModel(name: name, json: Data(text.utf8)) else { return nil }
        decoded.withLock { $0[name] = model }
        return model
    }

    /// Decodes one service's text, throwing what is wrong with it (the catalog tests use it).
    public func decode(_ name: String) throws -> AWSServiceModel {
        guard let text = texts[name] else { throw CatalogDecodeError(message: "no service \(name)") }
        return try AWSServiceModel(name: name, json: Data(text.utf8))
    }

    /// The size of the compact JSON of every service, in bytes (for measurements).
    public var compactSize: Int { texts.values.map(\.utf8.count).reduce(0, +) }
}

/// A compact model that does not decode.
public struct CatalogDecodeError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
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
    /// Names of answer members botocore marks `sensitive` (`SecretString`, `Plaintext`,
    /// `SecretAccessKey`, SSM's `Value`): never an output, because outputs are journaled.
    public let sensitiveMembers: Set<String>
    let shapes: [AWSShape]

    init(name: String, json: Data) throws {
        guard let raw = try JSONSerialization.jsonObject(with: json) as? [String: Any],
            let p = raw["p"] as? String, let kind = ProtocolKind(rawValue: p), let v = raw["v"] as? String,
            let s = raw["s"] as? String, let e = raw["e"] as? String, let id = raw["id"] as? String,
            let ops = raw["ops"] as? [String: [Any]], let sh = raw["sh"] as? [[String: Any]]
        else { throw CatalogDecodeError(message: "\(name): the compact model lacks its metadata") }
        self.name = name
        protocolKind = kind
        apiVersion = v
        signingName = s
        endpointPrefix = e
        serviceId = id
        targetPrefix = raw["t"] as? String
        jsonVersion = raw["j"] as? String
        queryCompatible = (raw["qc"] as? Int) == 1
        sensitiveMembers = Set(raw["sx"] as? [String] ?? [])
        operations = ops.mapValues { entry in
            AWSOperationModel(
                input: Compact.shapeIndex(entry.first), output: entry.count > 1 ? Compact.shapeIndex(entry[1]) : nil,
                resultWrapper: entry.count > 2 ? entry[2] as? String : nil)
        }
        shapes = try sh.map { try AWSShape(compact: $0, service: name) }
    }

    public var operationNames: [String] { operations.keys.sorted() }

    /// The first member of `path` botocore marks sensitive, if any.
    public func sensitiveMember(in path: AWSAnswerPath) -> String? {
        for case .member(let name) in path.segments where sensitiveMembers.contains(name) { return name }
        return nil
    }

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

    init(compact raw: [String: Any], service: String) throws {
        if (raw["d"] as? Int) == 1 {
            self = .document
        } else if let members = raw["m"] as? [[Any]] {
            self = .structure(try members.map { entry in
                guard let name = entry.first as? String, entry.count > 1 else {
                    throw CatalogDecodeError(message: "\(service): a structure member without a name or target")
                }
                let target = Compact.ref(entry[1])
                // Generator shorthand: 1 = the lower-camel name (location) / capitalised location (query).
                var location: String?
                if entry.count > 2 {
                    if let text = entry[2] as? String { location = text }
                    else if (entry[2] as? Int) == 1 { location = name.prefix(1).lowercased() + name.dropFirst() }
                }
                var query: String?
                if entry.count > 3 {
                    if let text = entry[3] as? String { query = text }
                    else if (entry[3] as? Int) == 1 { query = location.map { $0.prefix(1).uppercased() + $0.dropFirst() } ?? name }
                }
                let flattened = entry.count > 4 && (entry[4] as? Int) == 1
                return AWSMember(name: name, target: target, locationName: location, queryName: query, flattened: flattened)
            })
        } else if let item = raw["l"] {
            self = .list(Compact.ref(item), memberName: raw["n"] as? String, flattened: (raw["f"] as? Int) == 1)
        } else if let key = raw["k"], let value = raw["v"] {
            self = .map(key: Compact.ref(key), value: Compact.ref(value), keyName: raw["kn"] as? String,
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
