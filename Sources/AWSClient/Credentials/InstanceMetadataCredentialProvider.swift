import AWSSigV4
import Foundation

/// Credentials of the EC2 instance profile, from the instance metadata service, IMDSv2 only.
///
/// The flow is botocore's: `PUT /latest/api/token` with a 6-hour TTL, then
/// `GET /latest/meta-data/iam/security-credentials/` for the role name and
/// `GET …/security-credentials/<role>` for the credentials, both with the token. Unlike botocore
/// there is no IMDSv1 fallback: when the token request fails, that is the error (IMDSv1 is the
/// path SSRF attacks use, and a cutover daemon has no business on it).
///
/// `AWS_EC2_METADATA_DISABLED=true` switches it off. `AWS_EC2_METADATA_SERVICE_ENDPOINT` moves it
/// (default `http://169.254.169.254`, or `http://[fd00:ec2::254]` with
/// `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6`). A 1 s timeout and one attempt (botocore's
/// defaults; `AWS_METADATA_SERVICE_TIMEOUT` and `AWS_METADATA_SERVICE_NUM_ATTEMPTS` change them)
/// make a host that is not on EC2 fail within a second.
///
/// Every call fetches; wrap the provider in `RefreshingCredentialProvider` (the default chain does).
public struct InstanceMetadataCredentialProvider: CredentialProvider {
    public static let sourceName = "IMDS"
    public static let defaultEndpoint = "http://169.254.169.254"
    public static let defaultIPv6Endpoint = "http://[fd00:ec2::254]"
    /// The token lifetime botocore asks for: 6 hours, the maximum.
    public static let tokenTTLSeconds = 21600

    public let environment: [String: String]
    private let transport: any HTTPTransport
    /// The endpoint, without a trailing slash.
    public let endpoint: String
    private let timeouts: TransportTimeouts
    private let attempts: Int

    /// - Parameter endpoint: overrides the environment and the default; tests pass their
    ///   loopback server's URL here or through `AWS_EC2_METADATA_SERVICE_ENDPOINT`.
    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        transport: any HTTPTransport,
        endpoint: String? = nil,
        timeout: Duration? = nil,
        attempts: Int? = nil
    ) {
        self.environment = environment
        self.transport = transport
        var base =
            endpoint ?? environment.nonEmpty("AWS_EC2_METADATA_SERVICE_ENDPOINT")
            ?? (environment.nonEmpty("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE")?.lowercased() == "ipv6"
                ? Self.defaultIPv6Endpoint : Self.defaultEndpoint)
        while base.hasSuffix("/") { base.removeLast() }
        self.endpoint = base
        let seconds =
            timeout ?? environment.nonEmpty("AWS_METADATA_SERVICE_TIMEOUT").flatMap(Double.init).map {
                Duration.milliseconds(Int($0 * 1000))
            }
            ?? .seconds(1)
        self.timeouts = TransportTimeouts(connect: seconds, total: seconds)
        self.attempts = max(1, attempts ?? environment.nonEmpty("AWS_METADATA_SERVICE_NUM_ATTEMPTS").flatMap(Int.init) ?? 1)
    }

    /// True when `AWS_EC2_METADATA_DISABLED` is `true` (any case), as in botocore.
    public var isDisabled: Bool { environment["AWS_EC2_METADATA_DISABLED"]?.lowercased() == "true" }

    public func credentials() async throws -> AWSCredentials {
        guard !isDisabled else {
            throw error(.disabled, "disabled by AWS_EC2_METADATA_DISABLED=true")
        }
        let token = try await fetchToken()
        let listURL = endpoint + "/latest/meta-data/iam/security-credentials/"
        let list = try await get(
            listURL, token: token,
            notFound: "no IAM role is attached to this instance (\(listURL) answered 404); attach an instance profile")
        guard let role = String(decoding: list, as: UTF8.self).split(whereSeparator: \.isNewline).first.map({ $0.trimmingWhitespace() }),
            !role.isEmpty
        else {
            throw error(.malformedResponse, "\(listURL) answered 200 with no role name; attach an instance profile")
        }
        let roleURL = listURL + role
        let body = try await get(
            roleURL, token: token,
            notFound: "role '\(role)' vanished from IMDS (\(roleURL) answered 404); was the instance profile just changed?")
        return try AWSCredentials.decodeMetadataJSON(body, source: Self.sourceName, endpoint: roleURL)
    }

    /// IMDSv2 session token. Any failure here is final: there is no IMDSv1 fallback.
    func fetchToken() async throws -> String {
        let url = endpoint + "/latest/api/token"
        let request = HTTPRequest(
            method: "PUT", url: url, headers: ["x-aws-ec2-metadata-token-ttl-seconds": String(Self.tokenTTLSeconds)])
        let response: HTTPResponse
        do {
            response = try await send(request)
        } catch let failure as TransportError {
            throw error(
                .endpointUnreachable,
                "IMDS unreachable at \(endpoint) (\(failure.kind.rawValue) within \(describe(timeouts.total)): \(failure.message)); not on EC2, or inside a container whose instance needs http-put-response-hop-limit >= 2"
            )
        }
        guard response.status == 200 else {
            throw error(
                .imdsTokenFailed,
                "IMDSv2 token request PUT \(url) answered HTTP \(response.status); IMDSv1 fallback is deliberately not attempted. Check the instance's metadata options (http-tokens, http-endpoint, hop limit)"
            )
        }
        let token = String(decoding: response.body, as: UTF8.self).trimmingWhitespace()
        guard !token.isEmpty, !token.contains(where: \.isNewline) else {
            throw error(.imdsTokenFailed, "IMDSv2 token request PUT \(url) answered 200 without a usable token")
        }
        return token
    }

    private func get(_ url: String, token: String, notFound: String) async throws -> Data {
        let response: HTTPResponse
        do {
            response = try await send(HTTPRequest(method: "GET", url: url, headers: ["x-aws-ec2-metadata-token": token]))
        } catch let failure as TransportError {
            throw error(.endpointUnreachable, "IMDS stopped answering at \(url) (\(failure.kind.rawValue): \(failure.message))")
        }
        switch response.status {
        case 200: return response.body
        case 404: throw error(.notConfigured, notFound)
        default:
            throw error(.endpointRejected, "\(url) answered HTTP \(response.status)\(ContainerCredentialProvider.bodyHint(response.body))")
        }
    }

    /// Sends with botocore's attempt count: retries only failures to get a response.
    private func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        var attempt = 1
        while true {
            do {
                return try await transport.send(request, timeout: timeouts)
            } catch let failure as TransportError where attempt < attempts {
                _ = failure
                attempt += 1
            }
        }
    }

    private func describe(_ duration: Duration) -> String {
        let ms = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        return ms % 1000 == 0 ? "\(ms / 1000) s" : "\(ms) ms"
    }

    private func error(_ code: CredentialsError.Code, _ message: String) -> CredentialsError {
        CredentialsError(code: code, source: Self.sourceName, message: message)
    }
}
