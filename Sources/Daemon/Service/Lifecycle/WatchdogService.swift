import ServiceLifecycle

/// systemd's watchdog as a service: WATCHDOG=1 every `interval` while the engine answers, until
/// graceful shutdown. Only in the group when systemd asked for it (`WATCHDOG_USEC`).
struct WatchdogService: Service {
    let interval: Duration
    let ping: @Sendable (Duration) async -> Void

    func run() async throws {
        await cancelWhenGracefulShutdown { await ping(interval) }
    }
}
