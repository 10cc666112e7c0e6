/// The answer to `CreateGrant`.
public struct CreateGrantOutput: Sendable, Equatable {
    /// Identifies the grant for RetireGrant/RevokeGrant (rollback).
    public var grantId: String
    /// Usable at once, before the grant has propagated.
    public var grantToken: String
    public var requestId: String?

    public init(grantId: String, grantToken: String, requestId: String? = nil) {
        self.grantId = grantId
        self.grantToken = grantToken
        self.requestId = requestId
    }
}
