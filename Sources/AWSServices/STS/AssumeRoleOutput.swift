/// The answer to `AssumeRole`.
public struct AssumeRoleOutput: Sendable, Equatable {
    /// Temporary credentials with their expiry, and the account taken from the assumed-role ARN.
    /// The secret and token never appear when the value is printed.
    public var credentials: AWSCredentials
    /// `AROA…:<session name>`.
    public var assumedRoleId: String
    /// `arn:aws:sts::<account>:assumed-role/<role>/<session>`.
    public var assumedRoleArn: String
    /// How much of the session-policy and tag size limit the request used, in percent.
    public var packedPolicySize: Int?
    public var sourceIdentity: String?
    public var requestId: String?

    public init(
        credentials: AWSCredentials, assumedRoleId: String, assumedRoleArn: String, packedPolicySize: Int? = nil,
        sourceIdentity: String? = nil, requestId: String? = nil
    ) {
        self.credentials = credentials
        self.assumedRoleId = assumedRoleId
        self.assumedRoleArn = assumedRoleArn
        self.packedPolicySize = packedPolicySize
        self.sourceIdentity = sourceIdentity
        self.requestId = requestId
    }
}
