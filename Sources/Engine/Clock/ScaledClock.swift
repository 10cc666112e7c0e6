import Foundation

/// Wall time running `factor` times faster from `origin`: the demo compresses an hour's forced
/// wait into seconds while the simulator's clock runs at the same scale. Derived from the real wall
/// clock, so it jumps when that does (×`factor`); sleeps re-read it every `wait.slice` of real time.
public struct ScaledClock: EngineClock {
    public let origin: Date
    public let factor: Double
    private let realOrigin: Date
    private let wait: WallClockWait
    private let wallTime: @Sendable () -> Date

    /// - Parameters:
    ///   - realAnchor: the real time at which the clock reads `origin` (default: now). Two
    ///     processes given the same origin, anchor and factor read the same time (the demo's daemon
    ///     and simulator).
    ///   - wait: how sleeps are sliced, as for `SystemClock`.
    ///   - wallTime: the real wall clock; `Date()` unless a test makes it jump.
    public init(
        origin: Date = Date(), factor: Double, realAnchor: Date = Date(), wait: WallClockWait = WallClockWait(),
        wallTime: @escaping @Sendable () -> Date = { Date() }
    ) {
        precondition(factor > 0, "time scale must be positive")
        self.origin = origin
        self.factor = factor
        realOrigin = realAnchor
        self.wait = wait
        self.wallTime = wallTime
    }

    public func now() -> Date { origin.addingTimeInterval(wallTime().timeIntervalSince(realOrigin) * factor) }

    public func sleep(until deadline: Date) async throws {
        try await wait.sleep(until: deadline, now: { now() }, rate: factor)
    }
}
