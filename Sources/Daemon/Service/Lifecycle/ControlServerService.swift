import ServiceLifecycle

/// The control socket as a service: it already listens when the group starts (READY=1 comes
/// after `start`), and on graceful shutdown it stops taking requests — first, so that no operator
/// action reaches a run that is stopping.
struct ControlServerService: Service {
    let server: ControlServer

    func run() async throws {
        try? await gracefulShutdown()
        await server.stop()
    }
}
