import Foundation

/// The KMS calls the RDS move needs: inspect a key (is it the default `aws/rds` key, which cannot
/// be shared?), read its policy, find keys by alias, and grant the target account use of a key.
public struct KMSClient: Sendable {
    public let client: AWSClient

    /// Uses `client`'s account, credentials and transport; a client for another service is
    /// re-targeted at KMS.
    public init(client: AWSClient) {
        self.client = client.service == .kms ? client : client.with(service: .kms)
    }

    /// Guards `listAllAliases` against a service that keeps answering `Truncated`.
    static let maxPages = 1_000

    /// `DescribeKey`: `keyId` may be a key ID, key ARN, alias name (`alias/aws/rds`) or alias ARN.
    public func describeKey(keyId: String) async throws -> KMSKeyMetadata {
        struct Input: Encodable, Sendable {
            var KeyId: String
        }
        struct Output: Decodable, Sendable {
            var KeyMetadata: KMSKeyMetadata
        }
        let (output, _): (Output, String?) = try await call("DescribeKey", Input(KeyId: keyId), resource: keyId)
        return output.KeyMetadata
    }

    /// `GetKeyPolicy`. `default` is the only policy name KMS has.
    public func getKeyPolicy(keyId: String, policyName: String = "default") async throws -> KMSKeyPolicy {
        struct Input: Encodable, Sendable {
            var KeyId: String
            var PolicyName: String
        }
        struct Output: Decodable, Sendable {
            var Policy: String
            var PolicyName: String?
        }
        let (output, requestId): (Output, String?) = try await call(
            "GetKeyPolicy", Input(KeyId: keyId, PolicyName: policyName), resource: keyId)
        return KMSKeyPolicy(policy: output.Policy, policyName: output.PolicyName ?? policyName, requestId: requestId)
    }

    /// `ListAliases`: one page. With `keyId`, only the aliases of that key (ID or ARN, not an alias).
    public func listAliases(keyId: String? = nil, limit: Int? = nil, marker: String? = nil) async throws -> KMSAliasPage {
        struct Input: Encodable, Sendable {
            var KeyId: String?
            var Limit: Int?
            var Marker: String?
        }
        struct Output: Decodable, Sendable {
            var Aliases: [KMSAlias]?
            var NextMarker: String?
            var Truncated: Bool?
        }
        let (output, requestId): (Output, String?) = try await call(
            "ListAliases", Input(KeyId: keyId, Limit: limit, Marker: marker), resource: keyId)
        let truncated = output.Truncated ?? false
        if truncated && (output.NextMarker ?? "").isEmpty {
            throw client.failure(
                AWSRequest(operation: "ListAliases", resource: keyId), origin: .malformedResponse,
                code: "MalformedResponse", message: "Truncated is true but NextMarker is missing", status: 200,
                requestId: requestId, attempts: 1)
        }
        return KMSAliasPage(
            aliases: output.Aliases ?? [], nextMarker: truncated ? output.NextMarker : nil, truncated: truncated,
            requestId: requestId)
    }

    /// Every alias (of `keyId`, when given), following `NextMarker` while `Truncated`.
    public func listAllAliases(keyId: String? = nil) async throws -> [KMSAlias] {
        var aliases: [KMSAlias] = []
        var marker: String?
        var seen: Set<String> = []
        for _ in 0..<Self.maxPages {
            let page = try await listAliases(keyId: keyId, marker: marker)
            aliases += page.aliases
            guard let next = page.nextMarker else { return aliases }
            guard seen.insert(next).inserted else {
                throw looping(keyId, requestId: page.requestId, reason: "the marker \(next) came back twice")
            }
            marker = next
        }
        throw looping(keyId, requestId: nil, reason: "more than \(Self.maxPages) pages")
    }

    /// `CreateGrant`: lets `granteePrincipal` (an account, role or user ARN) use the key for
    /// `operations`. Grants take effect eventually (usually within five minutes); until then use
    /// the returned grant token.
    public func createGrant(_ request: CreateGrantRequest) async throws -> CreateGrantOutput {
        struct Output: Decodable, Sendable {
            var GrantId: String
            var GrantToken: String
        }
        let (output, requestId): (Output, String?) = try await call("CreateGrant", request, resource: request.keyId)
        return CreateGrantOutput(grantId: output.GrantId, grantToken: output.GrantToken, requestId: requestId)
    }

    /// `call` for the extensions in other files.
    func send<Input: Encodable & Sendable, Output: Decodable>(
        _ operation: String, _ input: Input, resource: String?
    ) async throws -> (Output, String?) {
        try await call(operation, input, resource: resource)
    }

    /// Sends one operation and decodes the body; a body that is not the documented shape is a
    /// `.malformedResponse` error naming the operation.
    private func call<Input: Encodable & Sendable, Output: Decodable>(
        _ operation: String, _ input: Input, resource: String?
    ) async throws -> (Output, String?) {
        let response = try await client.json(operation: operation, input: input, resource: resource)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        do {
            return (try decoder.decode(Output.self, from: response.body.isEmpty ? Data("{}".utf8) : response.body), response.requestId)
        } catch {
            throw client.malformed(AWSRequest(operation: operation, resource: resource), response, reason: "\(error)")
        }
    }

    private func looping(_ keyId: String?, requestId: String?, reason: String) -> AWSError {
        client.failure(
            AWSRequest(operation: "ListAliases", resource: keyId), origin: .malformedResponse, code: "MalformedResponse",
            message: "pagination would never end: \(reason)", status: 200, requestId: requestId, attempts: 1)
    }
}
