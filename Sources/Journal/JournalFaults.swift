import Synchronization

/// Fault injection for crash and disk-full tests; every `Journal` has one (`journal.faults`), idle
/// unless a test arms it.
///
/// Appends are counted per `Journal` instance from 1 (`appendsAttempted`), counting every call
/// that gets past argument checks. An armed fault fires on its append and on every later append of
/// the same instance, the way a dead process or a full disk stays that way; a crash harness then
/// abandons the instance and opens a new `Journal` on the same file. Reads are not affected.
public final class JournalFaults: Sendable {
    /// When an injected crash happens relative to the write.
    private enum Timing { case beforeWrite, afterCommit }

    private struct State {
        var attempted: Int64 = 0
        var crash: (append: Int64, timing: Timing)?
        var diskFull: Int64?
    }

    /// What `Journal.append` must do for the append it is about to make.
    enum Decision: Equatable {
        case proceed
        case proceedThenCrash
        case fail(JournalError.Code)
    }

    private let state = Mutex(State())

    public init() {}

    /// The `n`-th append (from 1) and every later one throw `.injectedCrash` without writing
    /// anything: the process died before the record reached the disk.
    public func crash(atAppend n: Int64) {
        state.withLock { $0.crash = (n, .beforeWrite) }
    }

    /// The `n`-th append commits its record durably and then throws `.injectedCrash`, as if the
    /// process died between the commit and the caller learning of it; every later append throws
    /// `.injectedCrash` without writing.
    public func crash(afterAppend n: Int64) {
        state.withLock { $0.crash = (n, .afterCommit) }
    }

    /// The `n`-th append and every later one throw `.diskFull` without writing, as SQLite does
    /// with `SQLITE_FULL`, until `reset()` (space was freed).
    public func failWithDiskFull(atAppend n: Int64) {
        state.withLock { $0.diskFull = n }
    }

    /// Appends this instance has attempted, including those a fault stopped.
    public var appendsAttempted: Int64 { state.withLock { $0.attempted } }

    /// Disarms every fault and sets `appendsAttempted` back to 0.
    public func reset() {
        state.withLock { $0 = State() }
    }

    /// Counts one append and says how it must go. Called by `Journal` under its own lock, so the
    /// count follows commit order.
    func beginAppend() -> Decision {
        state.withLock { state in
            state.attempted += 1
            let n = state.attempted
            if let crash = state.crash {
                switch crash.timing {
                case .beforeWrite where n >= crash.append: return .fail(.injectedCrash)
                case .afterCommit where n > crash.append: return .fail(.injectedCrash)
                case .afterCommit where n == crash.append: return .proceedThenCrash
                default: break
                }
            }
            if let diskFull = state.diskFull, n >= diskFull { return .fail(.diskFull) }
            return .proceed
        }
    }
}
