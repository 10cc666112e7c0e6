import Foundation

/// The statuses a resource passes through, each until a fixed simulated time: RDS states are
/// computed from the clock when read, so nothing runs in the background and a virtual clock can
/// jump a whole restore in one step.
public struct SimRDSTimeline: Sendable, Equatable {
    public struct Step: Sendable, Equatable {
        public var status: String
        /// When the step ends; nil for the last, open-ended one.
        public var endsAt: Date?
    }

    public private(set) var steps: [Step]

    /// Already in `status`, indefinitely.
    public init(_ status: String) { steps = [Step(status: status, endsAt: nil)] }

    /// From `now`: each of `phases` for its duration, then `final` for good. Zero-length phases
    /// are skipped.
    public init(from now: Date, _ phases: [(String, TimeInterval)], then final: String) {
        steps = []
        var t = now
        for (status, duration) in phases where duration > 0 {
            t = t.addingTimeInterval(duration)
            steps.append(Step(status: status, endsAt: t))
        }
        steps.append(Step(status: final, endsAt: nil))
    }

    /// The status at `now`.
    public func status(at now: Date) -> String {
        steps.first { step in step.endsAt.map { $0 > now } ?? true }?.status ?? "available"
    }

    /// Replaces whatever was planned after `now` with a new sequence starting at `now`.
    public mutating func schedule(from now: Date, _ phases: [(String, TimeInterval)], then final: String) {
        self = SimRDSTimeline(from: now, phases, then: final)
    }
}
