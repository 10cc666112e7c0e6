import Foundation

/// Seeding and inspecting accounts, users and roles: what tests, the demo and the admin endpoint
/// call before any request can authenticate. Every call takes the world lock, like a request.
///
/// Errors are `SimError`s with IAM's codes (`InvalidAccountId`, `NoSuchEntity`,
/// `EntityAlreadyExists`, `ValidationError`, `MalformedPolicyDocument`), so an admin endpoint can
/// answer them as they are.
extension Simulator {
    /// One seeded account, as read back.
    public struct AccountSummary: Sendable, Equatable, Codable {
        public var id: String
        public var name: String
        /// User names, sorted.
        public var users: [String]
        /// Role ARNs, sorted.
        public var roles: [String]
    }

    /// Adds an account (`id`: 12 digits).
    public func addAccount(id: String, name: String) throws(SimError) {
        try mutateIAM { (iam: inout IAMState) throws(SimError) in try iam.addAccount(id: id, name: name) }
    }

    /// Adds a user to `account` with a generated long-term key (deterministic for a given order of
    /// seeding calls) and returns the key.
    @discardableResult
    public func addUser(account: String, name: String) throws(SimError) -> SimAccessKey {
        try mutateIAM { (iam: inout IAMState) throws(SimError) in try iam.addUser(account: account, name: name) }
    }

    /// Adds a user with a fixed key, for tests and the demo that configure clients ahead of time.
    @discardableResult
    public func addUser(
        account: String, name: String, accessKeyId: String, secret: String
    ) throws(SimError)
        -> SimAccessKey
    {
        try mutateIAM { (iam: inout IAMState) throws(SimError) in
            try iam.addUser(account: account, name: name, accessKeyId: accessKeyId, secretAccessKey: secret)
        }
    }

    /// Adds a role to `account` and returns its ARN.
    ///
    /// - Parameters:
    ///   - trustedPrincipals: who may assume it — account IDs (any principal of that account),
    ///     `arn:aws:iam::ID:root`, user ARNs, role ARNs (their sessions: role chaining), or `*`.
    ///   - externalId: when set, AssumeRole must pass exactly this ExternalId.
    ///   - maxSessionDuration: seconds, 3600…43200.
    @discardableResult
    public func addRole(
        account: String, name: String, trustedPrincipals: [String], externalId: String? = nil,
        maxSessionDuration: Int = 3600
    ) throws(SimError) -> String {
        try mutateIAM { (iam: inout IAMState) throws(SimError) in
            try iam.addRole(
                account: account, name: name, trustedPrincipals: trustedPrincipals, externalId: externalId,
                maxSessionDuration: maxSessionDuration)
        }
    }

    /// Every account with its users and roles, sorted by ID.
    public var accounts: [AccountSummary] {
        withState { state in
            state.iam.accounts.values.sorted { $0.id < $1.id }.map { account in
                AccountSummary(
                    id: account.id, name: account.name,
                    users: state.iam.users.values.filter { $0.account == account.id }.map(\.name).sorted(),
                    roles: state.iam.roles.values.filter { $0.account == account.id }.map(\.arn).sorted())
            }
        }
    }

    /// One account by ID, or nil.
    public func account(id: String) -> AccountSummary? { accounts.first { $0.id == id } }

    /// A role by ARN, or nil.
    public func role(arn: String) -> IAMState.Role? { withState { $0.iam.roles[arn] } }

    /// `withState` for a throwing IAM change: the error crosses the lock as a value.
    private func mutateIAM<T: Sendable>(_ body: (inout IAMState) throws(SimError) -> T) throws(SimError) -> T {
        let result: Result<T, SimError> = withState { state in
            do throws(SimError) { return .success(try body(&state.iam)) } catch { return .failure(error) }
        }
        return try result.get()
    }
}
