/// A key policy as `GetKeyPolicy` returns it.
public struct KMSKeyPolicy: Sendable, Equatable {
    /// The policy document (JSON text). The RDS preflight checks that the target account may use
    /// the key (kms:CreateGrant, Decrypt, DescribeKey, ReEncrypt*, GenerateDataKey*).
    public var policy: String
    public var policyName: String
    public var requestId: String?

    public init(policy: String, policyName: String = "default", requestId: String? = nil) {
        self.policy = policy
        self.policyName = policyName
        self.requestId = requestId
    }
}
