/// The whole simulated AWS: one value, mutated under one lock by one call at a time. Each
/// service owns its part; identities live in `iam`.
public struct SimState: Sendable {
    public var iam = IAMState()
    public var s3 = S3State()
    public var rds = RDSState()
    public var kms = KMSState()
    /// S3 Batch Operations jobs (S3 Control).
    public var s3control = S3ControlState()
    /// ELBv2, ECS, Route 53, Secrets Manager, SSM and CloudWatch alarms.
    public var switchover = SwitchoverState()

    public init() {}
}
