import AWSSigV4
import Foundation

/// Temporary credentials from STS `AssumeRoleWithWebIdentity`, exchanging an OIDC token from a file
/// (EKS IRSA, GitHub Actions, any OIDC federation).
///
/// The call is unsigned: the token is the proof. The token file is read again on every fetch
/// because its owner (the kubelet, the CI runner) rotates it. Failures STS may recover from
/// (`IDPCommunicationError`, `InvalidIdentityToken`, throttling, 5xx, no response) are retried,
/// as botocore does. Every call asks STS; wrap the provider in `RefreshingCredentialProvider`.
public struct WebIdentityCredentialProvider: CredentialProvider {
    public static let sourceName = "web identity"

    /// Which role, with which token.
    public struct Configuration: Sendable, Equatable {
        public var roleArn: String
        public var tokenFile: String
        /// Defaults to `cutover-<unix time>`.
        public var sessionName: String?
        public var durationSeconds: Int?

        public init(roleArn: String, tokenFile: String, sessionName: String? = nil, durationSeconds: Int? = nil) {
            self.roleArn = roleArn
            self.tokenFile = tokenFile
            self.sessionName = sessionName
            self.durationSeconds = durationSeconds
        }

        /// botocore's resolution: each of `AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN` and
        /// `AWS_ROLE_SESSION_NAME` wins over the profile's `web_identity_token_file`, `role_arn`
        /// and `role_session_name`. Returns nil when there is no token file at all; throws when
        /// there is one but no role.
        public static func resolve(environment: [String: String], profile: AWSConfigFiles.Profile?) throws -> Configuration? {
            let tokenFile = environment.nonEmpty("AWS_WEB_IDENTITY_TOKEN_FILE") ?? profile?["web_identity_token_file"]
            guard let tokenFile else { return nil }
            guard let roleArn = environment.nonEmpty("AWS_ROLE_ARN") ?? profile?["role_arn"] else {
                throw CredentialsError(
                    code: .invalidConfiguration, source: sourceName,
                    message:
                        "a web identity token file (\(tokenFile)) is configured but no role: set AWS_ROLE_ARN or role_arn in the profile")
            }
            return Configuration(
                roleArn: roleArn, tokenFile: tokenFile,
                sessionName: environment.nonEmpty("AWS_ROLE_SESSION_NAME") ?? profile?["role_session_name"],
                durationSeconds: profile?["duration_seconds"].flatMap(Int.init))
        }
    }

    public let configuration: Configuration
    private let region: String
    private let transport: any HTTPTransport
    private let endpoints: EndpointResolver
    private let now: @Sendable () -> Date
    private let attempts: Int
    private let retryDelay: Duration

    public init(
        _ configuration: Configuration, region: String = "us-east-1",
        transport: any HTTPTransport = CurlTransport.shared, endpoints: EndpointResolver = EndpointResolver(),
        now: @escaping @Sendable () -> Date = { Date() }, attempts: Int = 3, retryDelay: Duration = .milliseconds(500)
    ) {
        self.configuration = configuration
        self.region = region
        self.transport = transport
        self.endpoints = endpoints
        self.now = now
        self.attempts = max(1, attempts)
        self.retryDelay = retryDelay
    }

    public func credentials() async throws -> AWSCredentials {
        let endpoint: ResolvedEndpoint
        do {
            endpoint = try endpoints.resolve(service: .sts, region: region)
        } catch {
            throw self.error(.invalidConfiguration, "no STS endpoint: \(error)")
        }
        let url = endpoint.base + endpoint.basePath + "/"
        var lastError: CredentialsError?
        for attempt in 1...attempts {
            if attempt > 1 { try await Task.sleep(for: retryDelay * (attempt - 1)) }
            // Re-read every attempt: the token may have been rotated since the last one failed.
            let request = HTTPRequest(
                method: "POST", url: url,
                headers: ["Content-Type": "application/x-www-form-urlencoded; charset=utf-8"],
                body: Data(QueryParameters.formEncode(try formParameters(token: readToken())).utf8))
            let response: HTTPResponse
            do {
                response = try await transport.send(request, timeout: .default)
            } catch let failure as TransportError {
                lastError = error(.endpointUnreachable, "STS unreachable at \(url) (\(failure.kind.rawValue): \(failure.message))")
                continue
            }
            if response.status == 200 {
                let root: XMLNode
                do {
                    root = try XMLNode.parse(response.body)
                } catch {
                    throw self.error(.malformedResponse, "STS answered 200 with a body that is not XML: \(error)")
                }
                guard let result = root.child("AssumeRoleWithWebIdentityResult") else {
                    throw self.error(.malformedResponse, "STS answered 200 with <\(root.name)>, not an AssumeRoleWithWebIdentity result")
                }
                return try AWSCredentials.decodeSTSResult(result, source: Self.sourceName)
            }
            let decoded = AWSErrorDecoder.decode(response, wireProtocol: AWSService.sts.wireProtocol)
            lastError = CredentialsError(
                code: .stsError, source: Self.sourceName,
                message:
                    "AssumeRoleWithWebIdentity for \(configuration.roleArn) failed: \(decoded.code) (HTTP \(response.status)): \(decoded.message)\(Self.hint(decoded.code))",
                requestId: decoded.requestId)
            let retryable =
                response.status >= 500
                || ["IDPCommunicationError", "InvalidIdentityToken", "Throttling", "ThrottlingException"].contains(decoded.code)
            if !retryable { break }
        }
        throw lastError!
    }

    func formParameters(token: String) -> [(String, String)] {
        var query = QueryParameters()
        query.add("Action", "AssumeRoleWithWebIdentity")
        query.add("Version", "2011-06-15")
        query.add("RoleArn", configuration.roleArn)
        query.add("RoleSessionName", configuration.sessionName ?? "cutover-\(Int(now().timeIntervalSince1970))")
        query.add("WebIdentityToken", token)
        query.add("DurationSeconds", configuration.durationSeconds)
        return query.pairs
    }

    private func readToken() throws -> String {
        let token: String
        do {
            token = try String(contentsOfFile: configuration.tokenFile, encoding: .utf8)
        } catch {
            throw self.error(
                .tokenFileUnreadable,
                "cannot read the web identity token file \(configuration.tokenFile) (\(AWSConfigFiles.reason(error)))")
        }
        // A JWT holds no whitespace; a trailing newline from an editor or `echo` is not part of it.
        let trimmed = token.trimmingWhitespace()
        guard !trimmed.isEmpty else {
            throw error(.tokenFileUnreadable, "the web identity token file \(configuration.tokenFile) is empty")
        }
        return trimmed
    }

    private static func hint(_ code: String) -> String {
        switch code {
        case "InvalidIdentityToken", "AccessDenied":
            return "; check the role's trust policy names this OIDC provider and audience, and that the token has not expired"
        case "ExpiredTokenException":
            return "; the token in the file has expired: is whatever rotates it still running?"
        default:
            return ""
        }
    }

    private func error(_ code: CredentialsError.Code, _ message: String) -> CredentialsError {
        CredentialsError(code: code, source: Self.sourceName, message: message)
    }
}
