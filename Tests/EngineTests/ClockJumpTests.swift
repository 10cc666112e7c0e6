import Foundation
import Synchronization
import Testing

@testable import Engine

/// Issue 9: the wall clock jumps forward and back while cutoverd sleeps until a journaled due
/// time. The sleeps re-read the wall clock every slice, so a wait never ends before its due time
/// and ends within one slice of it (or of a forward jump past it). The wall clock and the passage
/// of monotonic time are both simulated here: no real sleeping, no timing assertions.
@Suite struct ClockJumpTests {
    static let start = Date(timeIntervalSince1970: 1_796_053_800)

    /// A wall clock that moves when monotonic time passes (each `pause`) and jumps when the script
    /// says so: `jumps[t]` is applied once monotonic time reaches `t` seconds.
    final class FakeMachine: Sendable {
        private struct State {
            var wall: Date
            var monotonic: TimeInterval = 0
            var jumps: [(at: TimeInterval, by: TimeInterval)]
            var pauses = 0
        }

        private let state: Mutex<State>

        init(wall: Date, jumps: [(at: TimeInterval, by: TimeInterval)]) {
            state = Mutex(State(wall: wall, jumps: jumps.sorted { $0.at < $1.at }))
        }

        var wall: Date { state.withLock { $0.wall } }
        var monotonic: TimeInterval { state.withLock { $0.monotonic } }
        var pauses: Int { state.withLock { $0.pauses } }

        func pause(_ duration: Duration) throws {
            try Task.checkCancellation()
            let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
            state.withLock { state in
                state.pauses += 1
                state.monotonic += seconds
                state.wall.addTimeInterval(seconds)
                while let jump = state.jumps.first, jump.at <= state.monotonic {
                    state.wall.addTimeInterval(jump.by)
                    state.jumps.removeFirst()
                }
            }
        }

        var systemClock: SystemClock {
            SystemClock(wait: WallClockWait(pause: { try self.pause($0) }), wallTime: { self.wall })
        }
    }

    @Test func aBackwardJumpDuringAWaitDoesNotEndItEarly() async throws {
        let machine = FakeMachine(wall: Self.start, jumps: [(at: 600, by: -1800)])
        let due = Self.start.addingTimeInterval(3600)
        try await machine.systemClock.sleep(until: due)
        print(
            "back 30 min at +600 s: woke at wall \(machine.wall.timeIntervalSince(Self.start)) s after start, "
                + "\(machine.monotonic) s of monotonic time, \(machine.pauses) slices")
        #expect(machine.wall >= due, "woke before the due time")
        #expect(machine.wall < due.addingTimeInterval(1.000_001), "woke more than a slice late")
        #expect(machine.monotonic >= 3600 + 1800, "the 30 minutes the clock went back were slept again")
    }

    @Test func aForwardJumpPastTheDueTimeIsNoticedWithinASlice() async throws {
        let machine = FakeMachine(wall: Self.start, jumps: [(at: 600, by: 7200)])
        let due = Self.start.addingTimeInterval(3600)
        try await machine.systemClock.sleep(until: due)
        print("forward 2 h at +600 s: woke after \(machine.monotonic) s of monotonic time (a one-shot sleep: 3600 s)")
        #expect(machine.wall >= due)
        #expect(machine.monotonic <= 601, "the jump past the due time went unnoticed for \(machine.monotonic - 600) s")
    }

    @Test func jumpsBothWaysBeforeTheDueTimeStillEndOnTime() async throws {
        let machine = FakeMachine(wall: Self.start, jumps: [(at: 100, by: 1200), (at: 300, by: -1800), (at: 900, by: 60)])
        let due = Self.start.addingTimeInterval(3600)
        try await machine.systemClock.sleep(until: due)
        #expect(machine.wall >= due)
        #expect(machine.wall < due.addingTimeInterval(1.000_001))
        #expect(abs(machine.monotonic - (3600 - 1200 + 1800 - 60)) <= 1)
    }

    @Test func aScaledClockFollowsTheRealWallClocksJumps() async throws {
        // ×60: the real clock going back 30 s puts the demo clock back 30 min.
        let machine = FakeMachine(wall: Self.start, jumps: [(at: 10, by: -30)])
        let clock = ScaledClock(
            origin: Self.start, factor: 60, realAnchor: Self.start,
            wait: WallClockWait(pause: { try machine.pause($0) }), wallTime: { machine.wall })
        let due = Self.start.addingTimeInterval(3600)  // a minute of real time
        try await clock.sleep(until: due)
        #expect(clock.now() >= due)
        #expect(clock.now() < due.addingTimeInterval(61), "more than one real-second slice late")
        #expect(machine.monotonic >= 60 + 30)
    }

    @Test func slicesAreBoundedAndTheLastOneIsExact() async throws {
        let machine = FakeMachine(wall: Self.start, jumps: [])
        try await machine.systemClock.sleep(until: Self.start.addingTimeInterval(4.25))
        #expect(machine.pauses == 5, "four 1 s slices and a 0.25 s one")
        #expect(abs(machine.monotonic - 4.25) < 1e-6)
        try await machine.systemClock.sleep(until: Self.start)  // already due: no sleep at all
        #expect(machine.pauses == 5)
    }

    @Test func cancellationEndsTheWait() async throws {
        let clock = SystemClock(wait: WallClockWait(slice: .milliseconds(5)))
        let task = Task { try await clock.sleep(until: Date().addingTimeInterval(3600)) }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
    }
}
