import Foundation

/// Wall time running `factor` times faster from `origin`: the demo compresses an hour's forced
/// wait into seconds while the simulator's clock runs at the same scale.
public struct ScaledClock: EngineClock {
    public let origin: Date
    public let factor: Double
    private let realOrigin: Date

    /// - Parameter realAnchor: the real time at which the clock reads `origin` (default: now). Two
    ///   processes given the same origin, anchor and factor read the same time (the demo's daemon
    ///   and simulator).
    public init(origin: Date = Date(), factor: Double, realAnchor: Date = Date()) {
        precondition(factor > 0, "time scale must be positive")
        self.origin = origin
        self.factor = factor
        realOrigin = realAnchor
    }

    public func now() -> Date { origin.addingTimeInterval(Date().timeIntervalSince(realOrigin) * factor) }

    public func sleep(until deadline: Date) async throws {
        let simulated = deadline.timeIntervalSince(now())
        if simulated > 0 { try await Task.sleep(nanoseconds: UInt64(simulated / factor * 1e9)) }
    }
}
