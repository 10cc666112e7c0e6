import Foundation

/// The RDS operations a database cutover makes — snapshot, share, copy, restore, clean up — for
/// single instances and Aurora clusters, typed, on one account's `AWSClient`.
///
/// Every call throws `AWSError`: AWS's own code (`DBSnapshotNotFound`, `DBInstanceAlreadyExists`, …)
/// with the request ID, or `MalformedResponse` naming the operation when a 2xx body lacks what the
/// API promises. Results carry the request ID the engine journals with each mutation.
public struct RDSClient: Sendable {
    public let client: AWSClient

    /// Uses `client`'s account, credentials and transport; a client for another service is
    /// re-targeted at RDS.
    public init(client: AWSClient) {
        self.client = client.service == .rds ? client : client.with(service: .rds)
    }

    /// Guards the describe-everything helpers against a service that keeps answering with a marker.
    static let maxPages = 1_000

    // MARK: Instances

    /// `DescribeDBInstances`: one page.
    public func describeDBInstances(_ request: DescribeDBInstancesRequest = .init()) async throws -> RDSPage<RDSDBInstance> {
        try await call("DescribeDBInstances", request.parameters, resource: request.instanceIdentifier) { x in
            RDSPage(
                items: try x.items("DBInstances", member: "DBInstance", RDSDBInstance.init),
                marker: x.string("Marker"), requestId: nil)
        }
    }

    /// Every instance matching `request`, following `Marker` from page to page.
    public func describeAllDBInstances(_ request: DescribeDBInstancesRequest = .init()) async throws -> [RDSDBInstance] {
        try await Self.collect(operation: "DescribeDBInstances", client: client, start: request.marker) { marker in
            var next = request
            next.marker = marker
            return try await describeDBInstances(next)
        }
    }

    /// `CreateDBInstance` (Aurora cluster members, and standalone instances in tests).
    public func createDBInstance(_ request: CreateDBInstanceRequest) async throws -> RDSResult<RDSDBInstance> {
        try await instanceCall("CreateDBInstance", request.parameters, resource: request.instanceIdentifier)
    }

    /// `RestoreDBInstanceFromDBSnapshot`.
    public func restoreDBInstanceFromDBSnapshot(_ request: RestoreDBInstanceFromDBSnapshotRequest) async throws -> RDSResult<RDSDBInstance>
    {
        try await instanceCall("RestoreDBInstanceFromDBSnapshot", request.parameters, resource: request.instanceIdentifier)
    }

    /// `DeleteDBInstance`; the result shows the instance as `deleting`.
    public func deleteDBInstance(_ request: DeleteDBInstanceRequest) async throws -> RDSResult<RDSDBInstance> {
        try await instanceCall("DeleteDBInstance", request.parameters, resource: request.instanceIdentifier)
    }

    /// `AddTagsToResource` on any RDS resource by ARN (instance, snapshot, cluster, …).
    /// - Returns: the request ID.
    @discardableResult
    public func addTagsToResource(resourceArn: String, tags: [String: String]) async throws -> String? {
        var p = QueryParameters()
        p.add("ResourceName", resourceArn)
        p.addTags("Tags", tags, member: "Tag")
        let response = try await client.query(action: "AddTagsToResource", parameters: p.pairs, resource: resourceArn)
        return response.requestId
    }

    private func instanceCall(_ action: String, _ parameters: QueryParameters, resource: String) async throws -> RDSResult<RDSDBInstance> {
        try await call(action, parameters, resource: resource) { x in
            RDSResult(value: try RDSDBInstance(x.requiredChild("DBInstance")), requestId: nil)
        }
    }

    // MARK: Plumbing

    /// Sends one action and decodes its `<ActionResult>`; a decoding failure becomes the
    /// `.malformedResponse` error for this operation, and the request ID is filled in.
    func call<T: RDSRequestIdentified>(
        _ action: String, _ parameters: QueryParameters, resource: String?, decode: (QueryFields) throws -> T
    ) async throws -> T {
        let response = try await client.query(action: action, parameters: parameters.pairs, resource: resource)
        do {
            var value = try decode(QueryFields(response.result))
            value.requestId = response.requestId
            return value
        } catch let error as XMLDecodeError {
            throw client.malformed(AWSRequest(operation: action, resource: resource), response.raw, reason: error.message)
        }
    }

    /// Follows `Marker` until a page comes back without one. A marker that repeats, or more than
    /// `maxPages` pages, means the service is looping: that is a malformed answer, not a long list.
    static func collect<Item>(
        operation: String, client: AWSClient, start: String?, page: (String?) async throws -> RDSPage<Item>
    ) async throws -> [Item] {
        var items: [Item] = []
        var marker = start
        var seen: Set<String> = []
        for _ in 0..<maxPages {
            let result = try await page(marker)
            items += result.items
            guard let next = result.marker, !next.isEmpty else { return items }
            guard seen.insert(next).inserted else {
                throw looping(operation, client, requestId: result.requestId, reason: "the Marker \(next) came back twice")
            }
            marker = next
        }
        throw looping(operation, client, requestId: nil, reason: "more than \(maxPages) pages")
    }

    private static func looping(_ operation: String, _ client: AWSClient, requestId: String?, reason: String) -> AWSError {
        client.failure(
            AWSRequest(operation: operation), origin: .malformedResponse, code: "MalformedResponse",
            message: "pagination would never end: \(reason)", status: 200, requestId: requestId, attempts: 1)
    }
}

/// A decoded RDS result that carries the request ID of the call that produced it.
protocol RDSRequestIdentified {
    var requestId: String? { get set }
}

extension RDSPage: RDSRequestIdentified {}
extension RDSResult: RDSRequestIdentified {}

extension QueryFields {
    /// A nested structure the API always returns (`<DBInstance>` in `CreateDBInstanceResult`).
    func requiredChild(_ name: String) throws -> QueryFields {
        guard let child = nested(name) else {
            throw XMLDecodeError(message: "required element <\(name)> missing in <\(node.localName)>")
        }
        return child
    }
}
