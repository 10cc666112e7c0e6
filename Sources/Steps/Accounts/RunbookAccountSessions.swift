import AWSClient
import AWSServices
import Engine
import Foundation
import Runbook

/// The real `AccountSessions`: each runbook account's role is assumed (with its external ID) from
/// the daemon's base credentials, refreshed ahead of expiry, and its identity checked once with
/// STS before the first client is handed out. An account without a role uses the base credentials.
public actor RunbookAccountSessions: AccountSessions {
    public nonisolated let region: String
    private let accounts: [String: AccountSpec]
    private let base: any CredentialProvider
    private let transport: any HTTPTransport
    private let endpoints: EndpointResolver
    private let retry: RetryConfiguration
    private let sessionName: String
    private let now: @Sendable () -> Date
    private var credentials: [String: any CredentialProvider] = [:]
    private var verified: Set<String> = []

    /// - Parameters:
    ///   - sessionName: shows in CloudTrail as the role session (e.g. `cutover-RUNID`).
    ///   - now: the run's clock. It signs every request and judges every session's expiry, so it
    ///     must be the clock of the world the sessions come from (the daemon's, scaled or not; a
    ///     test's virtual clock): a credential is never judged by a different clock than the one
    ///     that issued it. No default, on purpose.
    public init(
        accounts: [AccountSpec], region: String, base: any CredentialProvider,
        transport: any HTTPTransport = CurlTransport.shared, endpoints: EndpointResolver = EndpointResolver(),
        retry: RetryConfiguration = .standard, sessionName: String = "cutover",
        now: @escaping @Sendable () -> Date
    ) {
        self.region = region
        self.accounts = Dictionary(accounts.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.base = base
        self.transport = transport
        self.endpoints = endpoints
        self.retry = retry
        self.sessionName = sessionName
        self.now = now
    }

    public nonisolated func accountId(_ account: String) -> String? { accounts[account]?.accountId }

    public func client(_ service: AWSService, account: String) async throws -> AWSClient {
        guard let spec = accounts[account] else {
            throw StepError(code: "UndeclaredAccount", message: "the runbook declares no account \(account)", retryable: false)
        }
        let provider = provider(for: spec)
        let client = AWSClient(
            service: service, region: region, credentials: provider, transport: transport,
            endpoints: endpoints, retry: retry, account: spec.accountId ?? account, now: now)
        if !verified.contains(account) {
            try await verify(spec, provider: provider)
            verified.insert(account)
        }
        return client
    }

    private func provider(for spec: AccountSpec) -> any CredentialProvider {
        if let cached = credentials[spec.name] { return cached }
        let provider: any CredentialProvider
        if let role = spec.role {
            let assume = AssumeRoleCredentialProvider(
                .init(roleArn: role, sessionName: sessionName, externalId: spec.externalId, sourceIdentity: nil),
                source: base, region: region, transport: transport, endpoints: endpoints, retry: retry, now: now)
            provider = RefreshingCredentialProvider(wrapping: assume, now: now)
        } else {
            provider = base
        }
        credentials[spec.name] = provider
        return provider
    }

    /// Invariant 5: the session must really be in the account the runbook names.
    private func verify(_ spec: AccountSpec, provider: any CredentialProvider) async throws {
        let sts = STSClient(
            client: AWSClient(
                service: .sts, region: region, credentials: provider, transport: transport,
                endpoints: endpoints, retry: retry, account: spec.accountId ?? spec.name, now: now))
        let identity = try await sts.getCallerIdentity()
        if let expected = spec.accountId, identity.account != expected {
            throw StepError(
                code: "WrongAccount",
                message: "credentials for \(spec.name) act in account \(identity.account) (\(identity.arn)), "
                    + "but the runbook declares \(expected); fix the role or the account ID before going on",
                retryable: false, account: identity.account, resource: spec.role, requestId: identity.requestId)
        }
    }
}
