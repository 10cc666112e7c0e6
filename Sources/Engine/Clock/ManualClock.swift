import Foundation
import Synchronization

/// A clock that moves only when told to. Sleepers wake when `advance(to:)` passes their deadline
/// or when their task is cancelled. Used by tests with `RunExecutor.settle()`: settle until idle,
/// advance to the next wake-up, repeat.
public final class ManualClock: EngineClock {
    private struct Sleeper {
        var deadline: Date
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Date
        var sleepers: [UInt64: Sleeper] = [:]
        var nextToken: UInt64 = 0
    }

    private let state: Mutex<State>

    public init(now: Date) { state = Mutex(State(now: now)) }

    public func now() -> Date { state.withLock { $0.now } }

    /// Moves time forward (never back) and wakes every sleeper whose deadline has come.
    public func advance(to instant: Date) {
        let due: [CheckedContinuation<Void, any Error>] = state.withLock { state in
            if instant > state.now { state.now = instant }
            let ready = state.sleepers.filter { $0.value.deadline <= state.now }
            for key in ready.keys { state.sleepers[key] = nil }
            return ready.values.map(\.continuation)
        }
        for continuation in due { continuation.resume() }
    }

    public func advance(by seconds: TimeInterval) { advance(to: now().addingTimeInterval(seconds)) }

    /// Sets the time, forward or back, as NTP or an operator steps a wall clock, and wakes every
    /// sleeper whose deadline has come. After a step back, sleepers sleep on until their (wall)
    /// deadline comes again — what `SystemClock`'s re-checking sleeps do on a real machine.
    public func jump(to instant: Date) {
        let due: [CheckedContinuation<Void, any Error>] = state.withLock { state in
            state.now = instant
            let ready = state.sleepers.filter { $0.value.deadline <= state.now }
            for key in ready.keys { state.sleepers[key] = nil }
            return ready.values.map(\.continuation)
        }
        for continuation in due { continuation.resume() }
    }

    public func sleep(until deadline: Date) async throws {
        let token = state.withLock { state -> UInt64 in
            state.nextToken += 1
            return state.nextToken
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow: Result<Void, any Error>? = state.withLock { state in
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if deadline <= state.now { return .success(()) }
                    state.sleepers[token] = Sleeper(deadline: deadline, continuation: continuation)
                    return nil
                }
                if let resumeNow { continuation.resume(with: resumeNow) }
            }
        } onCancel: {
            let sleeper = state.withLock { $0.sleepers.removeValue(forKey: token) }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// How many tasks are asleep on this clock (for tests that check nothing is left waiting).
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }
}
