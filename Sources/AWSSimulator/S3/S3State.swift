/// The simulated S3: every account's resources. Filled in by the S3 service.
public struct S3State: Sendable {
    public init() {}
}
