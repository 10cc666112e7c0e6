import AWSClient
import Foundation

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
