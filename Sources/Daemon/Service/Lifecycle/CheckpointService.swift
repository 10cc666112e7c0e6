import Journal
import ServiceLifecycle

/// The checkpoint follower as a service, until graceful shutdown (the daemon writes the final
/// checkpoint itself once every other service has stopped).
struct CheckpointService: Service {
    let follower: CheckpointFollower
    let records: AsyncStream<JournalRecord>

    func run() async throws {
        await cancelWhenGracefulShutdown { await follower.follow(records) }
    }
}
