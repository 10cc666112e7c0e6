/// The simulated RDS: every account's resources. Filled in by the RDS service.
public struct RDSState: Sendable {
    public init() {}
}
