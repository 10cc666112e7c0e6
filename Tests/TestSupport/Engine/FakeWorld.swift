import Foundation
import Synchronization

/// The "AWS" that engine test steps act on: resources that exist, how many times each effect was
/// really performed, and scripted failures. It outlives engine instances, as AWS outlives a
/// crashed daemon, so the crash harness can check that an irreversible effect happened once.
public final class FakeWorld: Sendable {
    private struct State {
        var resources: Set<String> = []
        var effects: [String: Int] = [:]
        var log: [(String, Date)] = []
        var scripted: [String: [String?]] = [:]
        var polls: [String: Int] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    /// Performs an effect: counts it and applies it to the resources.
    public func perform(_ effect: String, creating resource: String? = nil, deleting deleted: String? = nil, at time: Date) {
        state.withLock { state in
            state.effects[effect, default: 0] += 1
            state.log.append((effect, time))
            if let resource { state.resources.insert(resource) }
            if let deleted { state.resources.remove(deleted) }
        }
    }

    public func exists(_ resource: String) -> Bool { state.withLock { $0.resources.contains(resource) } }

    public func count(_ effect: String) -> Int { state.withLock { $0.effects[effect] ?? 0 } }

    /// Times at which `effect` was performed (attempted, for scripted failures), in order.
    public func times(_ effect: String) -> [Date] { state.withLock { $0.log.filter { $0.0 == effect }.map(\.1) } }

    public var resources: Set<String> { state.withLock { $0.resources } }

    /// The next outcomes of `step`: an error code fails that attempt, nil lets it succeed. Once the
    /// script runs out, attempts succeed.
    public func script(_ step: String, _ outcomes: [String?]) { state.withLock { $0.scripted[step] = outcomes } }

    /// Pops the next scripted outcome for `step`.
    public func nextScripted(_ step: String) -> String? {
        state.withLock { state in
            guard var queue = state.scripted[step], !queue.isEmpty else { return nil }
            let next = queue.removeFirst()
            state.scripted[step] = queue
            return next
        }
    }

    /// Counts polls of `step` and returns the count after this one.
    public func poll(_ step: String) -> Int {
        state.withLock {
            $0.polls[step, default: 0] += 1
            return $0.polls[step]!
        }
    }
}
