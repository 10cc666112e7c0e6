import Foundation
import Synchronization

/// The simulator's notion of now. Every timed behaviour (name holds, RDS state progress,
/// credential expiry) is computed lazily from this clock, so nothing runs in the background and
/// a virtual clock can skip an hour instantly.
public protocol SimClock: Sendable {
    func now() -> Date
    /// The real wall clock beside the simulated one: what a client outside the simulation (boto3,
    /// the AWS CLI) signs with. Faults scheduled in real time are judged by it too.
    func realNow() -> Date
}

extension SimClock {
    public func realNow() -> Date { Date() }
}

/// A clock that moves only when told: in-process tests cover an hour of forced wait in no time.
public final class VirtualClock: SimClock {
    private let current: Mutex<Date>
    public init(start: Date = Date(timeIntervalSince1970: 1_796_000_000)) { current = Mutex(start) }
    public func now() -> Date { current.withLock { $0 } }
    public func advance(by seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
    public func set(_ date: Date) { current.withLock { $0 = date } }
}

/// Real time sped up by `scale` (e.g. 360 = one simulated hour in ten real seconds) for the
/// demo and process-level tests: simulated now = `start` + (real now − `anchor`) × `scale`.
///
/// Two processes given the same start, anchor and scale (`cutover-aws-sim --time-origin
/// --time-anchor --time-scale` and `cutoverd`) compute the same simulated time from their own
/// wall clocks, with no message between them. The scale can change while running without time
/// jumping (which re-anchors, so only a process that never changes it stays in step).
public final class ScaledClock: SimClock {
    private struct State {
        var anchorReal: Date
        var anchorSim: Date
        var scale: Double
    }
    private let state: Mutex<State>
    private let wallClock: @Sendable () -> Date

    /// - Parameters:
    ///   - start: the simulated time at `anchor`; default: `anchor` itself.
    ///   - anchor: the real instant at which simulated time is `start`; default: now (creation).
    public init(scale: Double = 1, start: Date? = nil, anchor: Date? = nil, realNow: @escaping @Sendable () -> Date = { Date() }) {
        let real = anchor ?? realNow()
        self.wallClock = realNow
        state = Mutex(State(anchorReal: real, anchorSim: start ?? real, scale: scale))
    }

    public func realNow() -> Date { wallClock() }

    public func now() -> Date {
        let real = realNow()
        return state.withLock { s in s.anchorSim.addingTimeInterval(real.timeIntervalSince(s.anchorReal) * s.scale) }
    }

    public var scale: Double { state.withLock { $0.scale } }

    public func setScale(_ scale: Double) {
        let real = realNow()
        state.withLock { s in
            s.anchorSim = s.anchorSim.addingTimeInterval(real.timeIntervalSince(s.anchorReal) * s.scale)
            s.anchorReal = real
            s.scale = scale
        }
    }

    /// Jumps simulated time forward (the demo's "skip the forced wait").
    public func advance(by seconds: TimeInterval) {
        state.withLock { $0.anchorSim = $0.anchorSim.addingTimeInterval(seconds) }
    }
}
