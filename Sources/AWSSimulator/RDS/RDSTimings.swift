import Foundation

/// How long RDS resources spend in each transient state, in simulated seconds. Defaults are
/// small multiples of what AWS guides quote for a small instance (creating "up to 20 minutes").
public struct RDSTimings: Sendable, Equatable {
    public var instanceCreating: TimeInterval
    public var instanceBackingUp: TimeInterval
    public var instanceModifying: TimeInterval
    public var instanceDeleting: TimeInterval
    public var snapshotCreating: TimeInterval
    public var snapshotCopying: TimeInterval

    public init(
        instanceCreating: TimeInterval = 600, instanceBackingUp: TimeInterval = 120, instanceModifying: TimeInterval = 120,
        instanceDeleting: TimeInterval = 300, snapshotCreating: TimeInterval = 300, snapshotCopying: TimeInterval = 600
    ) {
        self.instanceCreating = instanceCreating
        self.instanceBackingUp = instanceBackingUp
        self.instanceModifying = instanceModifying
        self.instanceDeleting = instanceDeleting
        self.snapshotCreating = snapshotCreating
        self.snapshotCopying = snapshotCopying
    }

    /// Everything instant (unit tests that do not care about timing).
    public static let instant = RDSTimings(
        instanceCreating: 0, instanceBackingUp: 0, instanceModifying: 0, instanceDeleting: 0, snapshotCreating: 0, snapshotCopying: 0)
}
