/// The answer to `GetCallerIdentity`: the account the credentials act in, and as whom.
public struct STSCallerIdentity: Sendable, Equatable {
    /// The 12-digit account ID; the engine compares it with the account a runbook names.
    public var account: String
    /// `arn:aws:iam::…:user/…` or `arn:aws:sts::…:assumed-role/<role>/<session>`.
    public var arn: String
    public var userId: String
    public var requestId: String?

    public init(account: String, arn: String, userId: String, requestId: String? = nil) {
        self.account = account
        self.arn = arn
        self.userId = userId
        self.requestId = requestId
    }

    /// The account field of an ARN (`arn:partition:service:region:ACCOUNT:resource`), if it has one.
    static func account(inArn arn: String) -> String? {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", !parts[4].isEmpty else { return nil }
        return String(parts[4])
    }
}
