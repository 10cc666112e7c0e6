import AWSSigV4
import Foundation

/// Caches the credentials of a fetching provider (container, IMDS, AssumeRole, web identity) and
/// refreshes them ahead of expiry, with botocore's timing and one fetch for all callers.
///
/// - More than 15 minutes left (advisory window): the cached credentials, no fetch.
/// - Less than 15 minutes left: the first caller fetches; callers arriving meanwhile get the
///   cached credentials at once. If that fetch fails, the still-valid credentials keep being
///   served and the next attempt waits `advisoryRetryInterval`, so a throttled or unreachable
///   endpoint is not hit on every request.
/// - Less than 10 minutes left (mandatory window), or nothing cached: every caller waits for the
///   one fetch in flight, and its failure is theirs.
///
/// Credentials without an expiry are fetched once and kept.
public actor RefreshingCredentialProvider: CredentialProvider {
    /// botocore's `_DEFAULT_ADVISORY_REFRESH_TIMEOUT`.
    public static let advisoryRefreshWindow: TimeInterval = 15 * 60
    /// botocore's `_DEFAULT_MANDATORY_REFRESH_TIMEOUT`.
    public static let mandatoryRefreshWindow: TimeInterval = 10 * 60

    private let source: any CredentialProvider
    private let now: @Sendable () -> Date
    private let advisoryWindow: TimeInterval
    private let mandatoryWindow: TimeInterval
    private let advisoryRetryInterval: TimeInterval

    private var cached: AWSCredentials?
    private var inFlight: Task<AWSCredentials, any Error>?
    private var noAdvisoryRefreshBefore: Date?
    /// Callers currently waiting on the fetch in flight (tests observe single-flight with it).
    private(set) var waiters = 0

    public init(
        wrapping source: any CredentialProvider,
        now: @escaping @Sendable () -> Date = { Date() },
        advisoryWindow: TimeInterval = RefreshingCredentialProvider.advisoryRefreshWindow,
        mandatoryWindow: TimeInterval = RefreshingCredentialProvider.mandatoryRefreshWindow,
        advisoryRetryInterval: TimeInterval = 30
    ) {
        self.source = source
        self.now = now
        self.advisoryWindow = advisoryWindow
        self.mandatoryWindow = mandatoryWindow
        self.advisoryRetryInterval = advisoryRetryInterval
    }

    public func credentials() async throws -> AWSCredentials {
        let time = now()
        if let cached, !cached.expires(within: advisoryWindow, of: time) { return cached }

        if let cached, !cached.expires(within: mandatoryWindow, of: time) {
            // Advisory window: refresh if nobody is, otherwise serve what we have.
            if inFlight != nil { return cached }
            if let notBefore = noAdvisoryRefreshBefore, time < notBefore { return cached }
            do {
                return try await awaitRefresh()
            } catch {
                // Only what is still valid now may be served; the clock may have moved on.
                if !cached.expires(within: 0, of: now()) {
                    noAdvisoryRefreshBefore = now().addingTimeInterval(advisoryRetryInterval)
                    return cached
                }
                throw error
            }
        }
        return try await awaitRefresh()
    }

    /// Drops the cached credentials so the next call fetches (for example after AWS answered
    /// `ExpiredToken` for credentials that looked valid).
    public func invalidate() {
        cached = nil
        noAdvisoryRefreshBefore = nil
    }

    /// Joins the fetch in flight or starts one; every waiter gets its result.
    private func awaitRefresh() async throws -> AWSCredentials {
        let task: Task<AWSCredentials, any Error>
        if let inFlight {
            task = inFlight
        } else {
            let source = self.source
            task = Task { try await source.credentials() }
            inFlight = task
        }
        waiters += 1
        defer { waiters -= 1 }
        let result = await task.result
        // The first waiter to resume retires the task; later ones find it gone.
        let isFirst = inFlight == task
        if isFirst { inFlight = nil }
        switch result {
        case .success(let fresh):
            if fresh.expires(within: 0, of: now()) {
                throw CredentialsError(
                    code: .expired, source: "credential refresh",
                    message:
                        "the source returned credentials for \(fresh.accessKeyId) that are already expired; check the clock (NTP) and the source"
                )
            }
            if isFirst {
                cached = fresh
                noAdvisoryRefreshBefore = nil
            }
            return fresh
        case .failure(let error):
            throw error
        }
    }
}
