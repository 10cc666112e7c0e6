/// Who made a request, established by verifying its SigV4 signature against the simulator's
/// own credential store. Services decide everything (ownership, policies, trust) from this.
public struct SimPrincipal: Sendable, Equatable {
    /// The 12-digit account the credentials belong to.
    public var account: String
    /// `arn:aws:iam::ACCOUNT:user/NAME` or `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`.
    public var arn: String
    public var userId: String
    public var accessKeyId: String

    public init(account: String, arn: String, userId: String, accessKeyId: String) {
        self.account = account
        self.arn = arn
        self.userId = userId
        self.accessKeyId = accessKeyId
    }
}
