import Audit
import Engine
import Foundation
import Journal

/// Keeps the journal's signed checkpoints current by following what the daemon journals instead
/// of polling on a timer: the checkpointer catches up as soon as a run opens or ends, and every
/// `checkpointer.interval` records of a stream while a run is busy; any other record is looked at
/// within `within` (`audit.checkpointInterval`). With nothing journaled — an idle daemon — it
/// neither wakes nor reads the journal.
struct CheckpointFollower {
    let checkpointer: Checkpointer
    /// The longest a journaled record waits before the checkpointer looks at it.
    let within: Duration
    /// A catch-up that failed: the journal can no longer be vouched for (the daemon logs it).
    let onError: @Sendable (AuditError) -> Void

    private enum Event: Sendable {
        case record(JournalRecord)
        case due(Int)
    }

    /// Follows `records` (every record the daemon journals) until it ends or the task is cancelled.
    func follow(_ records: AsyncStream<JournalRecord>) async {
        let (events, sink) = AsyncStream<Event>.makeStream()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await record in records { sink.yield(.record(record)) }
                sink.finish()
            }
            /// Records of each stream since the checkpointer last checkpointed it.
            var uncovered: [String: Int] = [:]
            var timer: (generation: Int, task: Task<Void, Never>)?
            var generation = 0
            for await event in events {
                switch event {
                case let .record(record):
                    guard record.kind != AuditCheckpoint.kind else { continue }
                    uncovered[record.stream, default: 0] += 1
                    if record.kind == "run.created" || record.endsRun || uncovered[record.stream, default: 0] >= checkpointer.interval {
                        timer?.task.cancel()
                        timer = nil
                        catchUp(&uncovered)
                    } else if timer == nil {
                        generation += 1
                        let due = generation
                        let within = self.within
                        timer = (
                            due,
                            Task {
                                guard (try? await Task.sleep(for: within)) != nil else { return }
                                sink.yield(.due(due))
                            }
                        )
                    }
                case let .due(due):
                    guard timer?.generation == due else { continue }
                    timer = nil
                    catchUp(&uncovered)
                }
                if Task.isCancelled { break }
            }
            timer?.task.cancel()
            sink.finish()
            group.cancelAll()
        }
    }

    private func catchUp(_ uncovered: inout [String: Int]) {
        do {
            for checkpoint in try checkpointer.catchUp() { uncovered[checkpoint.stream] = nil }
        } catch {
            onError(error)
        }
    }
}
