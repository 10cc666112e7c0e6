import AWSSigV4
import Foundation

/// Temporary credentials for an IAM role, from STS `AssumeRole` signed with another provider's
/// credentials: how Cutover acts in the legacy and the product account, and how a profile's
/// `role_arn` is honoured.
///
/// Every call asks STS; wrap the provider in `RefreshingCredentialProvider` (the default chain and
/// profile resolution do). Role chaining (source credentials that are themselves an assumed role)
/// caps the session at one hour, whatever `durationSeconds` asks for: that is STS's rule.
public struct AssumeRoleCredentialProvider: CredentialProvider {
    /// A session tag (`Tags.member.N.Key` / `.Value`).
    public struct Tag: Sendable, Equatable {
        public var key: String
        public var value: String
        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    /// What to ask STS for.
    public struct Parameters: Sendable, Equatable {
        public var roleArn: String
        /// Shows in CloudTrail as the session; defaults to `cutover-<unix time>`.
        public var sessionName: String?
        /// The third-party guard the role's trust policy may require.
        public var externalId: String?
        /// 900 s up to the role's maximum (1 h when role chaining).
        public var durationSeconds: Int?
        /// Persists through role chaining and shows in CloudTrail; cannot be changed later.
        public var sourceIdentity: String?
        public var tags: [Tag]
        public var transitiveTagKeys: [String]

        public init(
            roleArn: String, sessionName: String? = nil, externalId: String? = nil, durationSeconds: Int? = nil,
            sourceIdentity: String? = nil, tags: [Tag] = [], transitiveTagKeys: [String] = []
        ) {
            self.roleArn = roleArn
            self.sessionName = sessionName
            self.externalId = externalId
            self.durationSeconds = durationSeconds
            self.sourceIdentity = sourceIdentity
            self.tags = tags
            self.transitiveTagKeys = transitiveTagKeys
        }
    }

    public let parameters: Parameters
    private let sts: AWSClient
    private let now: @Sendable () -> Date

    /// - Parameters:
    ///   - source: whose credentials sign the AssumeRole call.
    ///   - region: the STS region (the regional endpoint `sts.REGION.amazonaws.com`).
    ///   - endpoints: where STS is; tests and `AWS_ENDPOINT_URL_STS` point it elsewhere.
    public init(
        _ parameters: Parameters, source: any CredentialProvider, region: String = "us-east-1",
        transport: any HTTPTransport = CurlTransport.shared, endpoints: EndpointResolver = EndpointResolver(),
        retry: RetryConfiguration = .standard, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.parameters = parameters
        self.sts = AWSClient(
            service: .sts, region: region, credentials: source, transport: transport, endpoints: endpoints, retry: retry)
        self.now = now
    }

    public var sourceName: String { "AssumeRole \(parameters.roleArn)" }

    public func credentials() async throws -> AWSCredentials {
        let response: QueryResponse
        do {
            response = try await sts.query(action: "AssumeRole", parameters: queryParameters(), resource: parameters.roleArn)
        } catch let error as AWSError where error.origin == .credentials {
            throw CredentialsError(
                code: .noCredentials, source: sourceName, message: "no source credentials to sign AssumeRole with: \(error.message)")
        } catch let error as AWSError {
            throw CredentialsError(
                code: .stsError, source: sourceName, message: "\(error)\(Self.hint(for: error.code))", requestId: error.requestId)
        }
        return try AWSCredentials.decodeSTSResult(response.result, source: sourceName)
    }

    /// The AssumeRole parameters in wire order (after `Action` and `Version`).
    func queryParameters() -> [(String, String)] {
        var query = QueryParameters()
        query.add("RoleArn", parameters.roleArn)
        query.add("RoleSessionName", parameters.sessionName ?? "cutover-\(Int(now().timeIntervalSince1970))")
        query.add("ExternalId", parameters.externalId)
        query.add("DurationSeconds", parameters.durationSeconds)
        query.add("SourceIdentity", parameters.sourceIdentity)
        query.addTags("Tags", parameters.tags.isEmpty ? nil : parameters.tags.map { (key: $0.key, value: $0.value) })
        query.addList("TransitiveTagKeys", parameters.transitiveTagKeys.isEmpty ? nil : parameters.transitiveTagKeys)
        return query.pairs
    }

    private static func hint(for code: String) -> String {
        switch code {
        case "AccessDenied":
            return
                "; check the role's trust policy (principal, ExternalId, sts:TagSession/sts:SetSourceIdentity) and the caller's sts:AssumeRole permission"
        case "ValidationError":
            return "; note DurationSeconds must be 900 up to the role's maximum, and at most 3600 when chaining roles"
        default:
            return ""
        }
    }
}
