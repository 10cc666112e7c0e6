/// Accounts, users' access keys, roles and issued session credentials. Filled in by Auth/STS.
public struct IAMState: Sendable {
    public init() {}
}
