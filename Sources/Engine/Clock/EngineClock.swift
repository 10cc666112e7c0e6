import Foundation

/// Where the engine gets time. Timers are journaled as absolute wall-clock due times (invariant 3),
/// so the clock answers "what time is it" and "wake me at": tests substitute `ManualClock` and
/// cover an hour of forced wait in milliseconds; the demo compresses time with `ScaledClock`.
public protocol EngineClock: Sendable {
    func now() -> Date
    /// Returns at or after `deadline`, or throws `CancellationError` when the task is cancelled.
    func sleep(until deadline: Date) async throws
}

/// The machine's wall clock.
public struct SystemClock: EngineClock {
    public init() {}

    public func now() -> Date { Date() }

    public func sleep(until deadline: Date) async throws {
        let seconds = deadline.timeIntervalSinceNow
        if seconds > 0 { try await Task.sleep(nanoseconds: UInt64(seconds * 1e9)) }
    }
}
