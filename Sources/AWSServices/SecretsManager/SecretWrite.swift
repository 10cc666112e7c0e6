/// The answer to `PutSecretValue`.
public struct SecretWrite: Sendable, Equatable {
    public var arn: String?
    public var versionId: String
    public var versionStages: [String]
    public var requestId: String?
}
