import Foundation

/// Sleeping until a wall-clock instant on a machine whose wall clock can jump (NTP stepping it,
/// an operator's `date -s`, a VM resumed from a snapshot).
///
/// A sleep is measured on a monotonic clock, so a sleep computed once from a wall deadline wakes
/// at the wrong wall time after a jump: too late after the clock jumps forward, too early after it
/// jumps back. A forced wait ending early is the failure that matters. So this never sleeps more
/// than `slice` at a time and re-reads the wall clock after each slice: a backward jump only makes
/// it sleep on, and a forward jump is noticed within one slice.
///
/// One slice a second per waiting run is a small cost next to the idle daemon's other wake-ups,
/// and one second late is within any runbook's resolution (durations are whole seconds).
public struct WallClockWait: Sendable {
    /// The longest single sleep before the wall clock is read again.
    public let slice: Duration
    /// Sleeps for a (monotonic) duration; `Task.sleep` unless a test substitutes its own.
    public let pause: @Sendable (Duration) async throws -> Void

    public static let defaultSlice: Duration = .seconds(1)

    public init(
        slice: Duration = WallClockWait.defaultSlice,
        pause: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        precondition(slice > .zero, "the re-check slice must be positive")
        self.slice = slice
        self.pause = pause
    }

    /// Returns once `now()` reads `deadline` or later; throws `CancellationError` when the task is
    /// cancelled. `rate` is how many seconds of `now()` pass per real second (a scaled demo clock).
    public func sleep(until deadline: Date, now: () -> Date, rate: Double = 1) async throws {
        while true {
            try Task.checkCancellation()
            let remaining = deadline.timeIntervalSince(now()) / rate
            if remaining <= 0 { return }
            let sliceSeconds = Double(slice.components.seconds) + Double(slice.components.attoseconds) / 1e18
            try await pause(remaining >= sliceSeconds ? slice : .nanoseconds(Int64((remaining * 1e9).rounded(.up))))
        }
    }
}
