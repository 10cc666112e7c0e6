import Foundation
import Synchronization

/// Wakes a loop when something outside it changed (the run loop: an approval, an operator action;
/// the daemon's window warnings: a new run). A signal fired while nobody waits is remembered once,
/// so it is never lost. Lets a loop wait for a change instead of polling for one.
public final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var next: UInt64 = 0
    }

    private let state = Mutex(State())

    public init() {}

    public func fire() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            if state.waiters.isEmpty {
                state.pending = true
                return []
            }
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns when fired (or already pending), or when the task is cancelled.
    public func wait() async {
        let token = state.withLock { state -> UInt64 in
            state.next += 1
            return state.next
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if Task.isCancelled { return true }
                    if state.pending {
                        state.pending = false
                        return true
                    }
                    state.waiters[token] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: token) }
            waiter?.resume()
        }
    }

    /// Returns when fired, at `deadline` on `clock` (nil: no deadline), or when the task is
    /// cancelled: a loop's "sleep until the next due time or until something changes".
    public func wait(until deadline: Date?, on clock: any EngineClock) async {
        await withTaskGroup(of: Void.self) { group in
            if let deadline { group.addTask { try? await clock.sleep(until: deadline) } }
            group.addTask { await self.wait() }
            _ = await group.next()
            group.cancelAll()
        }
    }
}
