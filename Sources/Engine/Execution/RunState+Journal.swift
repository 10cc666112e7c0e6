import Foundation
import Journal

extension RunState {
    /// Reads run `runId`'s stream once and folds it. The engine's one way from the journal to a
    /// run: starting an executor, resuming after a restart, and showing a finished run all use it.
    static func read(_ runId: String, from journal: Journal) throws(EngineError) -> RunState {
        let records: [JournalRecord]
        do {
            records = try journal.records(stream: runId)
        } catch {
            throw EngineError(.journalUnavailable, "cannot read run \(runId) from the journal: \(error)")
        }
        var events: [(RunEvent, Date)] = []
        for record in records {
            do {
                if let event = try RunEvent(record) { events.append((event, record.wallTime)) }
            } catch {
                throw EngineError(
                    .corruptJournal,
                    "record \(record.streamSequence) of run \(runId) (\(record.kind)) cannot be read: \(error). "
                        + "Inspect it with `cutoverctl audit verify \(runId)`.")
            }
        }
        guard let state = fold(events) else {
            throw EngineError(.runNotFound, "no run \(runId); `cutoverctl runs` lists them")
        }
        return state
    }
}
