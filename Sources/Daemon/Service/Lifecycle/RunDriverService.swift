import ServiceLifecycle

/// The runs the engine drives, as a service: they run on their own tasks inside `DaemonRuns`; on
/// graceful shutdown they stop between steps, and attempts in flight stay open for `check` on the
/// next start.
struct RunDriverService: Service {
    let runs: DaemonRuns

    func run() async throws {
        try? await gracefulShutdown()
        await runs.stopAll()
    }
}
