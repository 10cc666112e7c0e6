import Engine
import Foundation

/// Drives a run on a virtual clock the way time would: settle, jump to the next due time, repeat;
/// and calls `onIdle` whenever the run waits for people (approvals, decisions) so a test can act.
public struct EngineDriver: Sendable {
    public let clock: ManualClock

    public init(clock: ManualClock) { self.clock = clock }

    public enum Stop: Sendable, Equatable {
        case finished(RunStatus)
        /// Waiting for an operator and `onIdle` did nothing.
        case waitingForOperator
        case halted
        case gaveUp
    }

    /// - Parameter onIdle: called when nothing is due; return true if it changed the run.
    @discardableResult
    public func drive(
        _ executor: RunExecutor, maxRounds: Int = 10_000,
        onIdle: @Sendable (RunExecutor) async -> Bool = { _ in false }
    ) async -> Stop {
        for _ in 0..<maxRounds {
            switch await executor.settle() {
            case let .idle(nextWake, status):
                if status.isTerminal { return .finished(status) }
                if await onIdle(executor) { continue }
                guard let nextWake else { return .waitingForOperator }
                clock.advance(to: nextWake)
            case .halted:
                return .halted
            case .stopped, .busy:
                return .gaveUp
            }
        }
        return .gaveUp
    }
}
