import Foundation

/// The Elastic Load Balancing v2 calls a maintenance page needs — find a listener (by ARN, or by
/// load balancer name and port), read its rules and their tags, create a fixed-response rule and
/// delete exactly that rule again — typed, on one account's `AWSClient`.
///
/// Every call throws `AWSError`: AWS's own code (`ListenerNotFound`, `PriorityInUse`,
/// `RuleNotFound`, …) with the request ID, or `MalformedResponse` naming the operation when a 2xx
/// body lacks what the API promises.
public struct ELBv2Client: Sendable {
    public let client: AWSClient

    /// Uses `client`'s account, credentials and transport; a client for another service is
    /// re-targeted at ELBv2.
    public init(client: AWSClient) {
        self.client = client.service == .elbv2 ? client : client.with(service: .elbv2)
    }

    /// Guards the describe-everything calls against a service that keeps answering with a marker.
    static let maxPages = 1_000
    /// DescribeTags takes at most 20 ARNs per call.
    static let tagBatch = 20

    /// `DescribeLoadBalancers` by name; an unknown name fails with `LoadBalancerNotFound`.
    public func describeLoadBalancers(names: [String]) async throws -> [ELBv2LoadBalancer] {
        try await collect("DescribeLoadBalancers", resource: names.first) { marker in
            var p = QueryParameters()
            p.addList("Names", names)
            p.add("Marker", marker)
            return p
        } decode: { x in
            try x.items("LoadBalancers", member: "member", ELBv2LoadBalancer.init)
        }
    }

    /// `DescribeListeners` of a load balancer, or by listener ARN (`ListenerNotFound` if unknown).
    public func describeListeners(loadBalancerArn: String? = nil, listenerArns: [String]? = nil) async throws -> [ELBv2Listener] {
        try await collect("DescribeListeners", resource: loadBalancerArn ?? listenerArns?.first) { marker in
            var p = QueryParameters()
            p.add("LoadBalancerArn", loadBalancerArn)
            p.addList("ListenerArns", listenerArns)
            p.add("Marker", marker)
            return p
        } decode: { x in
            try x.items("Listeners", member: "member", ELBv2Listener.init)
        }
    }

    /// `DescribeRules`: every rule of a listener (the default rule included), or the given rules
    /// (`RuleNotFound` if one is unknown), following `NextMarker`.
    public func describeRules(listenerArn: String? = nil, ruleArns: [String]? = nil) async throws -> [ELBv2Rule] {
        try await collect("DescribeRules", resource: listenerArn ?? ruleArns?.first) { marker in
            var p = QueryParameters()
            p.add("ListenerArn", listenerArn)
            p.addList("RuleArns", ruleArns)
            p.add("Marker", marker)
            return p
        } decode: { x in
            try x.items("Rules", member: "member", ELBv2Rule.init)
        }
    }

    /// `DescribeTags` of any ELBv2 resources, 20 ARNs per call: the tags by resource ARN.
    public func describeTags(resourceArns: [String]) async throws -> [String: [String: String]] {
        var tags: [String: [String: String]] = [:]
        var start = 0
        while start < resourceArns.count {
            let batch = Array(resourceArns[start..<min(start + Self.tagBatch, resourceArns.count)])
            var p = QueryParameters()
            p.addList("ResourceArns", batch)
            let (found, _) = try await call("DescribeTags", p, resource: batch.first) { x in
                try x.items("TagDescriptions", member: "member") { d in
                    (try d.required("ResourceArn"), try d.tags("Tags", member: "member"))
                }
            }
            for (arn, resourceTags) in found { tags[arn] = resourceTags }
            start += Self.tagBatch
        }
        return tags
    }

    /// `CreateRule`; returns the rule and the request ID.
    public func createRule(_ request: CreateRuleRequest) async throws -> (rule: ELBv2Rule, requestId: String?) {
        let (rule, requestId) = try await call("CreateRule", request.parameters, resource: request.listenerArn) { x in
            guard let rule = try x.items("Rules", member: "member", ELBv2Rule.init).first else {
                throw XMLDecodeError(message: "no <Rules><member> in <CreateRuleResult>")
            }
            return rule
        }
        return (rule, requestId)
    }

    /// `DeleteRule` of exactly `ruleArn`; returns the request ID. (AWS answers `RuleNotFound` for
    /// an unknown ARN; moto answers 200.)
    @discardableResult
    public func deleteRule(ruleArn: String) async throws -> String? {
        var p = QueryParameters()
        p.add("RuleArn", ruleArn)
        return try await call("DeleteRule", p, resource: ruleArn) { _ in () }.1
    }

    // MARK: Plumbing

    private func call<T>(
        _ action: String, _ parameters: QueryParameters, resource: String?, decode: (QueryFields) throws -> T
    ) async throws -> (T, String?) {
        let response = try await client.query(action: action, parameters: parameters.pairs, resource: resource)
        do {
            return (try decode(QueryFields(response.result)), response.requestId)
        } catch let error as XMLDecodeError {
            throw client.malformed(AWSRequest(operation: action, resource: resource), response.raw, reason: error.message)
        }
    }

    /// Follows `NextMarker` until a page comes back without one; a repeated marker is a malformed answer.
    private func collect<Item>(
        _ action: String, resource: String?, parameters: (String?) -> QueryParameters, decode: (QueryFields) throws -> [Item]
    ) async throws -> [Item] {
        var items: [Item] = []
        var marker: String?
        var seen: Set<String> = []
        for _ in 0..<Self.maxPages {
            let ((page, next), requestId) = try await call(action, parameters(marker), resource: resource) { x in
                (try decode(x), x.string("NextMarker"))
            }
            items += page
            guard let next, !next.isEmpty else { return items }
            guard seen.insert(next).inserted else {
                throw client.failure(
                    AWSRequest(operation: action, resource: resource), origin: .malformedResponse, code: "MalformedResponse",
                    message: "pagination would never end: the NextMarker \(next) came back twice", status: 200,
                    requestId: requestId, attempts: 1)
            }
            marker = next
        }
        throw client.failure(
            AWSRequest(operation: action, resource: resource), origin: .malformedResponse, code: "MalformedResponse",
            message: "pagination would never end: more than \(Self.maxPages) pages", status: 200, requestId: nil, attempts: 1)
    }
}
