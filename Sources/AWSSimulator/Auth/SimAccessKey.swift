import AWSSigV4

/// A user's long-term access key (`AKIA…`) as seeded into the simulator: what a test or the
/// demo configures its client with.
///
/// The secret never appears in `description` or `dump()`, so a key that reaches a log line or a
/// failure message leaks nothing.
public struct SimAccessKey: Sendable, Equatable {
    public var accessKeyId: String
    public var secretAccessKey: String
    /// The account the key's user belongs to.
    public var account: String
    public var userName: String

    public init(accessKeyId: String, secretAccessKey: String, account: String, userName: String) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.account = account
        self.userName = userName
    }

    /// The key as client credentials (long-term: no token, no expiry).
    public var credentials: AWSCredentials {
        AWSCredentials(accessKeyId: accessKeyId, secretAccessKey: secretAccessKey, accountId: account)
    }
}

extension SimAccessKey: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "SimAccessKey(\(accessKeyId), user \(userName) in \(account), secret redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "accessKeyId": accessKeyId as Any, "secretAccessKey": "redacted" as Any, "account": account as Any,
                "userName": userName as Any,
            ], displayStyle: .struct)
    }
}
