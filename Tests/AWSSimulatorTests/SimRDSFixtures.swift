import AWSSimulator
import Foundation
import Testing

@testable import AWSServices

/// A simulated world for the RDS and KMS suites, driven through the services' `handle` directly
/// (no signing) on a virtual clock. Account A is the legacy (source) account, B the product
/// (target) account, C an outsider nobody shares with.
struct SimRDSWorld {
    static let a = "111111111111"
    static let b = "222222222222"
    static let c = "333333333333"
    static let region = "us-east-1"

    let clock = VirtualClock()
    var state = SimState()
    var configuration = SimConfiguration()

    /// The timings the suites rely on (the defaults, spelled out so the arithmetic in tests reads).
    static let timings = RDSTimings(
        instanceCreating: 600, instanceBackingUp: 120, instanceModifying: 120, instanceDeleting: 300, snapshotCreating: 300,
        snapshotCopying: 600)

    init() { configuration.rds = Self.timings }

    var now: Date { clock.now() }
    func advance(_ seconds: TimeInterval) { clock.advance(by: seconds) }

    func context(_ account: String, principal: String? = nil) -> SimCallContext {
        let arn = principal ?? "arn:aws:iam::\(account):user/operator"
        return SimCallContext(
            principal: SimPrincipal(account: account, arn: arn, userId: "AIDA\(account)", accessKeyId: "AKIA\(account)"), now: now,
            requestId: "REQ-\(account)", region: Self.region, configuration: configuration)
    }

    /// One RDS call as `account`; errors come back rendered, as the pipeline sends them.
    @discardableResult
    mutating func rds(_ action: String, as account: String, _ parameters: [(String, String)] = []) -> SimResponse {
        rdsCall(action, as: account, parameters).response
    }

    /// One RDS call, with the context the handler filled in (resource, mutated).
    mutating func rdsCall(
        _ action: String, as account: String, _ parameters: [(String, String)]
    ) -> (response: SimResponse, context: SimCallContext) {
        let body = QueryParameters.formEncode([("Action", action), ("Version", "2014-10-31")] + parameters)
        let request = SimRequest(
            method: "POST", path: "/", headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
            body: Data(body.utf8))
        let service = RDSService()
        var context = context(account)
        guard let operation = service.operation(of: request) else {
            return (service.render(SimError("NotImplemented", action, status: 501), requestId: context.requestId), context)
        }
        do throws(SimError) {
            return (try service.handle(request, operation: operation, context: &context, state: &state), context)
        } catch {
            return (service.render(error, requestId: context.requestId), context)
        }
    }

    /// One KMS call as `principal` (default: an operator user) of `account`.
    @discardableResult
    mutating func kms(_ operation: String, as account: String, principal: String? = nil, _ input: [String: Any] = [:]) -> SimResponse {
        let body = (try? JSONSerialization.data(withJSONObject: input)) ?? Data()
        let request = SimRequest(
            method: "POST", path: "/",
            headers: [("Content-Type", "application/x-amz-json-1.1"), ("X-Amz-Target", "TrentService.\(operation)")], body: body)
        let service = KMSService()
        var context = context(account, principal: principal)
        guard let name = service.operation(of: request) else {
            return service.render(SimError("UnknownOperationException", operation, status: 400), requestId: context.requestId)
        }
        do throws(SimError) {
            return try service.handle(request, operation: name, context: &context, state: &state)
        } catch {
            return service.render(error, requestId: context.requestId)
        }
    }

    // MARK: - Seeding

    /// A's customer managed key (shared with `sharedWith`), B's own key, and B's network.
    mutating func seedCutoverWorld(
        shareKeyWith sharedWith: [String] = [SimRDSWorld.b]
    ) throws -> (sourceKey: SimKMSKey, targetKey: SimKMSKey) {
        let sourceKey = try state.kms.createKey(
            account: Self.a, region: Self.region, now: now, description: "legacy data", sharedWith: sharedWith, alias: "alias/cutover-share"
        )
        let targetKey = try state.kms.createKey(
            account: Self.b, region: Self.region, now: now, description: "product data", alias: "alias/product")
        state.seedRDSNetwork(
            account: Self.b, subnetGroups: ["product-db-subnets": "vpc-0product"],
            securityGroups: ["sg-0product0000000001": "vpc-0product", "sg-0elsewhere00000001": "vpc-0other"],
            parameterGroups: ["product-mysql80"])
        return (sourceKey, targetKey)
    }

    @discardableResult
    mutating func seedInstance(
        _ id: String = "legacy-db", account: String = SimRDSWorld.a, kmsKeyId: String? = nil, encrypted: Bool = true, available: Bool = true
    ) throws -> SimDBInstance {
        try state.seedDBInstance(
            SimDBInstanceSeed(
                identifier: id, engineVersion: "8.0.40", storageEncrypted: encrypted, kmsKeyId: kmsKeyId, tags: ["app": "legacy"],
                availableImmediately: available),
            account: account, region: Self.region, now: now, configuration: configuration)
    }

    /// A manual snapshot of `instance`, taken and finished (the clock advances past its creation).
    mutating func availableSnapshot(_ id: String, of instance: String = "legacy-db", account: String = SimRDSWorld.a) {
        rds("CreateDBSnapshot", as: account, [("DBSnapshotIdentifier", id), ("DBInstanceIdentifier", instance)])
        advance(Self.timings.snapshotCreating)
    }

    static func arn(_ account: String, _ type: String, _ id: String) -> String { "arn:aws:rds:\(region):\(account):\(type):\(id)" }
}

/// Reads the simulator's responses with our own clients' decoders, so every assertion is also a
/// check that `Sources/AWSServices` can read what the simulator sends.
enum SimWire {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// `<ActionResult>` of a successful Query response.
    static func result(_ response: SimResponse, _ action: String) throws -> QueryFields {
        guard response.status == 200 else {
            throw Failure(description: "\(action) answered \(response.status): \(String(decoding: response.body, as: UTF8.self))")
        }
        let root = try XMLNode.parse(response.body)
        guard root.localName == "\(action)Response" else { throw Failure(description: "root is <\(root.name)>") }
        guard root.path("ResponseMetadata", "RequestId")?.trimmedText.isEmpty == false else { throw Failure(description: "no RequestId") }
        return QueryFields(root.child("\(action)Result") ?? XMLNode(name: "\(action)Result"))
    }

    static func snapshot(_ response: SimResponse, _ action: String) throws -> RDSDBSnapshot {
        try RDSDBSnapshot(result(response, action).requiredChild("DBSnapshot"))
    }

    static func snapshots(_ response: SimResponse) throws -> [RDSDBSnapshot] {
        try result(response, "DescribeDBSnapshots").items("DBSnapshots", member: "DBSnapshot", RDSDBSnapshot.init)
    }

    static func instance(_ response: SimResponse, _ action: String) throws -> RDSDBInstance {
        try RDSDBInstance(result(response, action).requiredChild("DBInstance"))
    }

    static func instances(_ response: SimResponse) throws -> [RDSDBInstance] {
        try result(response, "DescribeDBInstances").items("DBInstances", member: "DBInstance", RDSDBInstance.init)
    }

    static func clusterSnapshot(_ response: SimResponse, _ action: String) throws -> RDSDBClusterSnapshot {
        try RDSDBClusterSnapshot(result(response, action).requiredChild("DBClusterSnapshot"))
    }

    static func cluster(_ response: SimResponse, _ action: String) throws -> RDSDBCluster {
        try RDSDBCluster(result(response, action).requiredChild("DBCluster"))
    }

    static func attributes(_ response: SimResponse, _ action: String, cluster: Bool = false) throws -> RDSSnapshotAttributes {
        let wrapper = cluster ? "DBClusterSnapshotAttributesResult" : "DBSnapshotAttributesResult"
        return try RDSSnapshotAttributes(result(response, action).requiredChild(wrapper), cluster: cluster)
    }

    /// "CODE STATUS" of an error response, decoded as our client decodes it, or "200".
    static func error(_ response: SimResponse, json: Bool = false) -> String {
        guard response.status != 200 else { return "200" }
        let decoded = AWSErrorDecoder.decode(
            HTTPResponse(status: response.status, headers: HTTPHeaders(response.headers), body: response.body),
            wireProtocol: json ? .json(targetPrefix: "TrentService", jsonVersion: "1.1") : .query(apiVersion: "2014-10-31"))
        return "\(decoded.code) \(response.status)"
    }

    static func message(_ response: SimResponse, json: Bool = false) -> String {
        AWSErrorDecoder.decode(
            HTTPResponse(status: response.status, headers: HTTPHeaders(response.headers), body: response.body),
            wireProtocol: json ? .json(targetPrefix: "TrentService", jsonVersion: "1.1") : .query(apiVersion: "2014-10-31")
        ).message
    }

    /// A KMS JSON body.
    static func json(_ response: SimResponse) throws -> [String: Any] {
        guard response.status == 200 else {
            throw Failure(description: "KMS answered \(response.status): \(String(decoding: response.body, as: UTF8.self))")
        }
        guard let object = try JSONSerialization.jsonObject(with: response.body) as? [String: Any] else {
            throw Failure(description: "not an object")
        }
        return object
    }

    static func decode<T: Decodable>(_ type: T.Type, _ response: SimResponse) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return try decoder.decode(T.self, from: response.body)
    }
}
