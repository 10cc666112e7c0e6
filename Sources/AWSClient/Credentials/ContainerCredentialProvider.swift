import AWSSigV4
import Foundation

/// Credentials from the container credentials endpoint: ECS and Fargate task roles
/// (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`, served at `http://169.254.170.2<uri>`) and EKS Pod
/// Identity or other agents (`AWS_CONTAINER_CREDENTIALS_FULL_URI`).
///
/// Behaviour follows botocore's `ContainerProvider`: the relative URI wins over the full one; a
/// full URI must be HTTPS or point at a loopback address, 169.254.170.2, 169.254.170.23 or
/// fd00:ec2::23, so credentials are never handed to an arbitrary host; the `Authorization` header
/// comes from `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (re-read on every fetch, since EKS rotates
/// it) or else `AWS_CONTAINER_AUTHORIZATION_TOKEN`, and a token with CR or LF is refused. Each
/// fetch allows 2 s per attempt and 3 attempts, 1 s apart; unlike botocore it does not retry a
/// 4xx answer (other than 429), which no retry can change.
///
/// Every call fetches; wrap the provider in `RefreshingCredentialProvider` (the default chain does).
public struct ContainerCredentialProvider: CredentialProvider {
    public static let sourceName = "container"
    /// Where ECS serves task-role credentials.
    public static let ecsEndpoint = "http://169.254.170.2"

    public let environment: [String: String]
    private let transport: any HTTPTransport
    private let relativeURIBase: String
    private let timeouts: TransportTimeouts
    private let attempts: Int
    private let retryDelay: Duration

    /// - Parameters:
    ///   - relativeURIBase: the scheme and host a relative URI is appended to. Only tests change
    ///     it, to stand a loopback server in for 169.254.170.2.
    ///   - retryDelay: the pause between attempts (botocore: 1 s).
    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        transport: any HTTPTransport,
        relativeURIBase: String = ContainerCredentialProvider.ecsEndpoint,
        timeouts: TransportTimeouts = TransportTimeouts(connect: .seconds(2), total: .seconds(2)),
        attempts: Int = 3,
        retryDelay: Duration = .seconds(1)
    ) {
        self.environment = environment
        self.transport = transport
        self.relativeURIBase = relativeURIBase
        self.timeouts = timeouts
        self.attempts = max(1, attempts)
        self.retryDelay = retryDelay
    }

    /// True when the environment asks for container credentials at all.
    public var isConfigured: Bool {
        environment.nonEmpty("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") != nil
            || environment.nonEmpty("AWS_CONTAINER_CREDENTIALS_FULL_URI") != nil
    }

    public func credentials() async throws -> AWSCredentials {
        let url = try endpointURL()
        var headers: HTTPHeaders = ["Accept": "application/json"]
        if let token = try authorizationToken() { headers.set("Authorization", token) }
        let request = HTTPRequest(method: "GET", url: url, headers: headers)

        var lastError: CredentialsError?
        for attempt in 1...attempts {
            if attempt > 1 { try await Task.sleep(for: retryDelay) }
            do {
                let response = try await transport.send(request, timeout: timeouts)
                guard response.status == 200 else {
                    lastError = error(
                        .endpointRejected,
                        "\(url) answered HTTP \(response.status)\(Self.bodyHint(response.body)); check the task role or pod identity association"
                    )
                    // A 4xx other than throttling will not change on retry; a 5xx might.
                    if (400..<500).contains(response.status), response.status != 429 { break }
                    continue
                }
                return try AWSCredentials.decodeMetadataJSON(response.body, source: Self.sourceName, endpoint: url)
            } catch let transportError as TransportError {
                lastError = error(.endpointUnreachable, "\(url) unreachable (\(transportError.kind.rawValue): \(transportError.message))")
            }
        }
        var final = lastError!
        if attempts > 1 { final.message += " after \(attempts) attempts" }
        throw final
    }

    /// The URL to fetch, after checking a full URI against the allowed hosts.
    func endpointURL() throws -> String {
        if let relative = environment.nonEmpty("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            return relativeURIBase + (relative.hasPrefix("/") ? relative : "/" + relative)
        }
        guard let full = environment.nonEmpty("AWS_CONTAINER_CREDENTIALS_FULL_URI") else {
            throw error(
                .notConfigured, "not on ECS (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI unset) and no AWS_CONTAINER_CREDENTIALS_FULL_URI")
        }
        guard let components = URLComponents(string: full), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty
        else {
            throw error(.invalidConfiguration, "AWS_CONTAINER_CREDENTIALS_FULL_URI '\(full)' is not an absolute URL")
        }
        if scheme == "https" { return full }
        guard scheme == "http" else {
            throw error(.invalidConfiguration, "AWS_CONTAINER_CREDENTIALS_FULL_URI '\(full)' must use http or https")
        }
        guard Self.isAllowedHTTPHost(host) else {
            throw error(
                .invalidConfiguration,
                "AWS_CONTAINER_CREDENTIALS_FULL_URI host '\(host)' is not allowed over plain HTTP; use https, a loopback address, 169.254.170.2, 169.254.170.23 or [fd00:ec2::23]"
            )
        }
        return full
    }

    /// Hosts botocore accepts over plain HTTP: any loopback address, the ECS and EKS Pod Identity
    /// agent link-local addresses, and `localhost`.
    static func isAllowedHTTPHost(_ rawHost: String) -> Bool {
        var host = rawHost.lowercased()
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if ["169.254.170.2", "169.254.170.23", "localhost"].contains(host) { return true }
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            // 127.0.0.0/8; s_addr is in network byte order.
            return UInt32(bigEndian: v4.s_addr) >> 24 == 127
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, host, &v6) == 1 {
            let bytes = withUnsafeBytes(of: v6) { Array($0) }
            if bytes == [UInt8](repeating: 0, count: 15) + [1] { return true }  // ::1
            return bytes == [0xfd, 0x00, 0x0e, 0xc2] + [UInt8](repeating: 0, count: 11) + [0x23]  // fd00:ec2::23
        }
        return false
    }

    /// The `Authorization` value: the token file (re-read each time) else the token variable.
    func authorizationToken() throws -> String? {
        let token: String
        if let path = environment.nonEmpty("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
            do {
                token = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw self.error(
                    .tokenFileUnreadable,
                    "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE \(path) (\(AWSConfigFiles.reason(error)))")
            }
        } else if let value = environment.nonEmpty("AWS_CONTAINER_AUTHORIZATION_TOKEN") {
            token = value
        } else {
            return nil
        }
        if token.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) {
            let origin =
                environment.nonEmpty("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE").map { "the token in \($0)" }
                ?? "AWS_CONTAINER_AUTHORIZATION_TOKEN"
            throw error(
                .invalidToken,
                "\(origin) contains a CR or LF character (a trailing newline counts), which would split the Authorization header; remove it"
            )
        }
        return token
    }

    private func error(_ code: CredentialsError.Code, _ message: String) -> CredentialsError {
        CredentialsError(code: code, source: Self.sourceName, message: message)
    }

    /// A short, printable excerpt of an error body. Error bodies from these endpoints carry no
    /// credentials (those come only with 200).
    static func bodyHint(_ body: Data) -> String {
        let text = String(decoding: body.prefix(200), as: UTF8.self)
            .filter { !$0.isNewline }
            .trimmingWhitespace()
        return text.isEmpty ? "" : ": \(text)"
    }
}
