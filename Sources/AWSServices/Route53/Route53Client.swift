import Foundation

/// The Route 53 calls `route53.change-record` needs: read one record set, change it, and follow
/// the change until every DNS server has it. REST-XML on the global endpoint (signed for
/// us-east-1 whatever the runbook's region; see `AWSService.route53`).
public struct Route53Client: Sendable {
    public let client: AWSClient

    static let namespace = "https://route53.amazonaws.com/doc/2013-04-01/"

    /// Uses `client`'s account, credentials and transport; re-targeted at Route 53.
    public init(client: AWSClient) {
        self.client = client.service == .route53 ? client : client.with(service: .route53)
    }

    /// `ZABC`, `/hostedzone/ZABC` and `/change/C123` all name the same thing: botocore strips
    /// everything up to the last `/` before sending (`handlers.fix_route53_ids`); so do we.
    public static func bareId(_ id: String) -> String {
        id.split(separator: "/").last.map(String.init) ?? id
    }

    /// The record set named `name` of type `type` in the zone, or nil when there is none.
    /// (`ListResourceRecordSets` starting at name and type, one item: the first record at or after
    /// that position, which is the one asked for only when its name and type match.)
    public func recordSet(zone: String, name: String, type: String) async throws -> Route53RecordSet? {
        let zoneId = Self.bareId(zone)
        let request = AWSRequest(
            operation: "ListResourceRecordSets", method: "GET",
            path: "/2013-04-01/hostedzone/\(SigV4URIEncoding.encode(zoneId, encodeSlash: true))/rrset",
            query: [("maxitems", "1"), ("name", name), ("type", type.uppercased())], resource: "\(zoneId) \(name) \(type)")
        let (root, requestId) = try await send(request)
        let sets: [Route53RecordSet]
        do {
            sets = try (root.child("ResourceRecordSets")?.children("ResourceRecordSet") ?? []).map(Self.decodeRecordSet)
        } catch {
            throw client.failure(
                request, origin: .malformedResponse, code: "MalformedResponse", message: "\(error)", status: 200,
                requestId: requestId, attempts: 1)
        }
        return sets.first {
            Route53RecordSet.canonicalName($0.name) == Route53RecordSet.canonicalName(name) && $0.type.uppercased() == type.uppercased()
        }
    }

    /// `ChangeResourceRecordSets` with one change; the answer's `ChangeInfo`.
    public func changeRecordSet(
        zone: String, action: Route53ChangeAction, _ record: Route53RecordSet, comment: String? = nil
    ) async throws -> Route53Change {
        let zoneId = Self.bareId(zone)
        var xml = XMLWriter()
        xml.start("ChangeResourceRecordSetsRequest", namespace: Self.namespace)
        xml.element("ChangeBatch") { batch in
            batch.optional("Comment", comment)
            batch.element("Changes") { changes in
                changes.element("Change") { change in
                    change.element("Action", action.rawValue)
                    change.element("ResourceRecordSet") { Self.encode(record, into: &$0) }
                }
            }
        }
        let request = AWSRequest(
            operation: "ChangeResourceRecordSets", method: "POST",
            path: "/2013-04-01/hostedzone/\(SigV4URIEncoding.encode(zoneId, encodeSlash: true))/rrset/",
            headers: ["Content-Type": "application/xml"], body: xml.data, resource: "\(zoneId) \(record.name) \(record.type)")
        let (root, requestId) = try await send(request)
        return try decodeChange(root, request: request, requestId: requestId)
    }

    /// `GetChange`: whether the change is `INSYNC` yet.
    public func getChange(_ id: String) async throws -> Route53Change {
        let changeId = Self.bareId(id)
        let request = AWSRequest(
            operation: "GetChange", method: "GET", path: "/2013-04-01/change/\(SigV4URIEncoding.encode(changeId, encodeSlash: true))",
            resource: changeId)
        let (root, requestId) = try await send(request)
        return try decodeChange(root, request: request, requestId: requestId)
    }

    /// Sends with `x-amz-content-sha256` signed. Route 53 does not need it, and AWS checks it
    /// like any signed header; moto does: without it, moto verifies a Route 53 GET as if its
    /// query (or, with none, its headers) were a form body, and every GET fails
    /// `SignatureDoesNotMatch` with signature checking on (docs/MOTO-FINDINGS.md).
    private func send(_ request: AWSRequest) async throws -> (XMLNode, String?) {
        var request = request
        request.headers.set("X-Amz-Content-SHA256", SigV4Payload.bytes(request.body).canonicalHash)
        let response = try await client.send(request)
        do {
            return (try XMLNode.parse(response.body), response.requestId)
        } catch {
            throw client.malformed(request, response, reason: "\(error)")
        }
    }

    private func decodeChange(_ root: XMLNode, request: AWSRequest, requestId: String?) throws -> Route53Change {
        guard let info = root.child("ChangeInfo"), let id = info.string("Id"), let status = info.string("Status") else {
            throw client.failure(
                request, origin: .malformedResponse, code: "MalformedResponse", message: "the answer has no ChangeInfo with Id and Status",
                status: 200, requestId: requestId, attempts: 1)
        }
        return Route53Change(id: Self.bareId(id), status: status, submittedAt: info.string("SubmittedAt"), requestId: requestId)
    }

    static func decodeRecordSet(_ node: XMLNode) throws -> Route53RecordSet {
        let name = try node.require("Name")
        let type = try node.require("Type")
        let values = (node.child("ResourceRecords")?.children("ResourceRecord") ?? []).compactMap { $0.string("Value") }
        var alias: Route53AliasTarget?
        if let target = node.child("AliasTarget") {
            alias = Route53AliasTarget(
                hostedZoneId: try target.require("HostedZoneId"), dnsName: try target.require("DNSName"),
                evaluateTargetHealth: target.string("EvaluateTargetHealth")?.lowercased() == "true")
        }
        return Route53RecordSet(
            name: name, type: type, ttl: node.string("TTL").flatMap { Int($0) }, values: values, alias: alias,
            setIdentifier: node.string("SetIdentifier"))
    }

    /// In the model's member order (Name, Type, SetIdentifier, TTL, ResourceRecords, AliasTarget).
    static func encode(_ record: Route53RecordSet, into xml: inout XMLWriter) {
        xml.element("Name", record.name)
        xml.element("Type", record.type.uppercased())
        xml.optional("SetIdentifier", record.setIdentifier)
        if let alias = record.alias {
            xml.element("AliasTarget") { target in
                target.element("HostedZoneId", Route53Client.bareId(alias.hostedZoneId))
                target.element("DNSName", alias.dnsName)
                target.element("EvaluateTargetHealth", alias.evaluateTargetHealth ? "true" : "false")
            }
        } else {
            xml.optional("TTL", record.ttl.map(String.init))
            xml.element("ResourceRecords") { records in
                for value in record.values { records.element("ResourceRecord") { $0.element("Value", value) } }
            }
        }
    }
}
