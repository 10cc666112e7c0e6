import Foundation

/// Where the engine gets time. Timers are journaled as absolute wall-clock due times (invariant 3),
/// so the clock answers "what time is it" and "wake me at": tests substitute `ManualClock` and
/// cover an hour of forced wait in milliseconds; the demo compresses time with `ScaledClock`.
public protocol EngineClock: Sendable {
    func now() -> Date
    /// Returns at or after `deadline`, or throws `CancellationError` when the task is cancelled.
    func sleep(until deadline: Date) async throws
}

/// The machine's wall clock. Sleeps re-read it at least every `wait.slice`, so a wall clock that
/// jumps during a sleep neither ends a wait early nor delays it by more than a slice.
public struct SystemClock: EngineClock {
    let wait: WallClockWait
    let wallTime: @Sendable () -> Date

    /// - Parameters:
    ///   - wait: how sleeps are sliced (tests substitute the pause).
    ///   - wallTime: the wall clock; `Date()` unless a test makes it jump.
    public init(wait: WallClockWait = WallClockWait(), wallTime: @escaping @Sendable () -> Date = { Date() }) {
        self.wait = wait
        self.wallTime = wallTime
    }

    public func now() -> Date { wallTime() }

    public func sleep(until deadline: Date) async throws {
        try await wait.sleep(until: deadline, now: wallTime)
    }
}
