/// The simulated KMS: every account's resources. Filled in by the KMS service.
public struct KMSState: Sendable {
    public init() {}
}
