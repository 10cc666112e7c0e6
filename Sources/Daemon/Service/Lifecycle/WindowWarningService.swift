import ServiceLifecycle

/// Window-ending warnings as a service, until graceful shutdown.
struct WindowWarningService: Service {
    let warnings: WindowWarnings

    func run() async throws {
        await cancelWhenGracefulShutdown { await warnings.run() }
    }
}
