import Foundation
import NIOCore
import Synchronization

/// The connections and exchanges a running `ControlServer` has open, so `stop()` can drain them:
/// stop accepting, end the streams, wait for the answers in flight, close what is left.
final class ControlServerConnections: Sendable {
    private struct State {
        var accepting = true
        var channels: [ObjectIdentifier: any Channel] = [:]
        var exchanges: [ObjectIdentifier: Task<Void, Never>] = [:]
        var accepted = 0
        var idleWaiters: [UUID: CheckedContinuation<Void, Never>] = [:]
        var cancelledWaiters: Set<UUID> = []

        var isIdle: Bool { channels.isEmpty && exchanges.isEmpty }

        mutating func takeWaitersIfIdle() -> [CheckedContinuation<Void, Never>] {
            guard isIdle else { return [] }
            defer { idleWaiters.removeAll() }
            return Array(idleWaiters.values)
        }
    }

    private let state = Mutex(State())

    /// Registers an accepted connection; false once the server is stopping (close it).
    func admit(_ channel: any Channel) -> Bool {
        let id = ObjectIdentifier(channel)
        let admitted = state.withLock { state -> Bool in
            guard state.accepting else { return false }
            state.channels[id] = channel
            state.accepted += 1
            return true
        }
        if admitted {
            channel.closeFuture.whenComplete { [weak self] _ in
                self?.update { $0.channels.removeValue(forKey: id) }
            }
        }
        return admitted
    }

    func began(_ exchange: ControlExchange, task: Task<Void, Never>) {
        state.withLock { $0.exchanges[ObjectIdentifier(exchange)] = task }
    }

    func ended(_ exchange: ControlExchange) {
        update { $0.exchanges.removeValue(forKey: ObjectIdentifier(exchange)) }
    }

    private func update(_ change: (inout State) -> Void) {
        let waiters = state.withLock { state in
            change(&state)
            return state.takeWaitersIfIdle()
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Stops admitting connections and returns the open ones.
    func closeDoors() -> [any Channel] {
        state.withLock { state in
            state.accepting = false
            return Array(state.channels.values)
        }
    }

    /// Returns once every connection is closed and every exchange has finished, or when the
    /// calling task is cancelled.
    func waitUntilIdle() async {
        let id = UUID()
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.isIdle || state.cancelledWaiters.remove(id) != nil { return true }
                    state.idleWaiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                if let waiter = state.idleWaiters.removeValue(forKey: id) { return waiter }
                state.cancelledWaiters.insert(id)
                return nil
            }
            waiter?.resume()
        }
    }

    var openChannels: [any Channel] { state.withLock { Array($0.channels.values) } }
    var runningExchanges: [Task<Void, Never>] { state.withLock { Array($0.exchanges.values) } }
    var acceptedCount: Int { state.withLock { $0.accepted } }
}
