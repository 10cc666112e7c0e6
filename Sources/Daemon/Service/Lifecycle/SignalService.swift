import ServiceLifecycle
import Synchronization
import UnixSignals

/// cutoverd's signals as a service. SIGHUP re-reads the configuration and the daemon goes on;
/// SIGTERM or SIGINT ends this service, and the group (configured to shut down gracefully when
/// it returns) stops the others in reverse order: control socket, runs, then the rest. The
/// signal's name is kept as the reason the daemon journals for its stop.
///
/// `ServiceGroup`'s own `gracefulShutdownSignals` would not say which signal it was, nor let
/// SIGHUP through without stopping, so the signals are trapped here — from the start of `run`,
/// before READY=1: a SIGTERM that arrives before the group runs is kept, not fatal.
struct SignalService: Service {
    let signals: UnixSignalsSequence
    let reload: @Sendable () async -> Void
    /// Runs once, on SIGTERM or SIGINT, before the group shuts down.
    let stopping: @Sendable (String) -> Void
    private let reason = Reason()

    init(
        signals: UnixSignalsSequence, reload: @escaping @Sendable () async -> Void,
        stopping: @escaping @Sendable (String) -> Void
    ) {
        self.signals = signals
        self.reload = reload
        self.stopping = stopping
    }

    /// The signal that stopped the daemon, or `stopped` when something else ended the group.
    var stopReason: String { reason.value.withLock { $0 } ?? "stopped" }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            for await signal in signals {
                if signal == .sighup {
                    await reload()
                    continue
                }
                let name = signal == .sigterm ? "SIGTERM" : "SIGINT"
                reason.value.withLock { $0 = name }
                stopping(name)
                return
            }
        }
    }

    private final class Reason: Sendable {
        let value = Mutex<String?>(nil)
    }
}
