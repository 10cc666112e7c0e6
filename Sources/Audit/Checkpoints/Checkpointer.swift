import Engine
import Foundation
import Journal
import Synchronization

/// Writes signed checkpoints into the journal: for each stream (every run, and `daemon`) one as
/// soon as the stream opens, one every `interval` records, and a final one when a run reaches a
/// terminal status; `checkpointAll(reason: .shutdown)` when the daemon stops. Each checkpoint is
/// also appended to the anchor log.
///
/// The checkpointer follows the journal rather than the engine: `catchUp()` reads the records
/// committed since its last call and acts on what it finds, so the engine needs no hook and a
/// restarted daemon picks up where the last one stopped. The daemon calls `catchUp()` after each
/// engine step or on a short timer (`watch(every:)`); a checkpoint therefore lands a few records
/// after the head it covers when the engine is busy, which verification allows (a checkpoint covers
/// the head it names, not the record before it).
public final class Checkpointer: Sendable {
    public let journal: Journal
    public let key: AuditKey
    public let anchors: CheckpointAnchorLog?
    /// Records between periodic checkpoints (checkpoint records themselves not counted).
    public let interval: Int
    private let now: @Sendable () -> Date

    private struct StreamProgress {
        /// Highest stream sequence a checkpoint covers.
        var covered: Int64 = 0
        /// Non-checkpoint records after `covered`.
        var uncovered = 0
        /// The newest non-checkpoint record is a terminal run status.
        var ended = false
        var opened = false
    }

    private struct State {
        var lastSequence: Int64 = 0
        var streams: [String: StreamProgress] = [:]
        var order: [String] = []
    }

    private let state = Mutex(State())

    /// - Parameters:
    ///   - anchors: the anchor log; nil only in tests that want checkpoints without one.
    ///   - interval: records between periodic checkpoints.
    ///   - now: the clock that stamps `signedAt` (the engine's clock in tests).
    public init(
        journal: Journal, key: AuditKey, anchors: CheckpointAnchorLog?, interval: Int = 100,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.journal = journal
        self.key = key
        self.anchors = anchors
        self.interval = max(interval, 1)
        self.now = now
    }

    /// Reads the records committed since the last call and writes the checkpoints that are due.
    /// Returns them, in the order written.
    @discardableResult
    public func catchUp() throws(AuditError) -> [AuditCheckpoint] {
        try state.withLock { state throws(AuditError) -> [AuditCheckpoint] in
            var touched: [String] = []
            while true {
                let page = try journalCall { () throws(JournalError) in
                    try journal.records(after: state.lastSequence, limit: 1_000)
                }
                for record in page {
                    observe(record, in: &state)
                    if !touched.contains(record.stream) { touched.append(record.stream) }
                }
                guard let last = page.last, page.count == 1_000 else {
                    if let last = page.last { state.lastSequence = last.sequence }
                    break
                }
                state.lastSequence = last.sequence
            }
            var written: [AuditCheckpoint] = []
            for stream in touched {
                guard let progress = state.streams[stream], progress.uncovered > 0 else { continue }
                let reason: AuditCheckpoint.Reason? =
                    progress.ended
                    ? .final
                    : !progress.opened
                        ? .opening
                        : progress.uncovered >= interval ? .periodic : nil
                guard let reason else { continue }
                if let checkpoint = try write(stream: stream, reason: reason, state: &state) {
                    written.append(checkpoint)
                }
            }
            return written
        }
    }

    /// Checkpoints `stream` now, unless every record of it is already covered.
    @discardableResult
    public func checkpoint(
        stream: String, reason: AuditCheckpoint.Reason = .manual
    ) throws(AuditError)
        -> AuditCheckpoint?
    {
        _ = try catchUp()
        return try state.withLock { state throws(AuditError) -> AuditCheckpoint? in
            guard state.streams[stream]?.uncovered ?? 0 > 0 else { return nil }
            return try write(stream: stream, reason: reason, state: &state)
        }
    }

    /// Checkpoints every stream with uncovered records: what the daemon does when it stops.
    @discardableResult
    public func checkpointAll(reason: AuditCheckpoint.Reason = .shutdown) throws(AuditError) -> [AuditCheckpoint] {
        var written = try catchUp()
        let streams = state.withLock { $0.order }
        for stream in streams {
            if let checkpoint = try checkpoint(stream: stream, reason: reason) { written.append(checkpoint) }
        }
        return written
    }

    /// Calls `catchUp()` every `interval` until the task is cancelled; failures go to `onError`
    /// (the daemon logs them and alerts: a journal it cannot checkpoint is a journal it cannot vouch for).
    public func watch(
        every interval: Duration, onError: @Sendable (AuditError) -> Void = { _ in }
    ) async {
        while !Task.isCancelled {
            do {
                _ = try catchUp()
            } catch {
                onError(error)
            }
            try? await Task.sleep(for: interval)
        }
    }

    // MARK: Internals

    private func observe(_ record: JournalRecord, in state: inout State) {
        if state.streams[record.stream] == nil {
            state.streams[record.stream] = StreamProgress()
            state.order.append(record.stream)
        }
        var progress = state.streams[record.stream]!
        if record.kind == AuditCheckpoint.kind {
            if let checkpoint = try? AuditCheckpoint(record: record), checkpoint.streamSequence > progress.covered {
                progress.covered = checkpoint.streamSequence
                progress.uncovered = 0
                progress.opened = true
            }
        } else if record.streamSequence > progress.covered {
            progress.uncovered += 1
            progress.ended = Self.isTerminal(record)
        }
        state.streams[record.stream] = progress
    }

    /// A `run.status` record with a terminal status.
    static func isTerminal(_ record: JournalRecord) -> Bool {
        guard record.kind == "run.status", case let .runStatusChanged(change)? = try? RunEvent(record) else {
            return false
        }
        return change.status.isTerminal
    }

    private func write(
        stream: String, reason: AuditCheckpoint.Reason, state: inout State
    ) throws(AuditError)
        -> AuditCheckpoint?
    {
        guard let head = try journalCall({ () throws(JournalError) in try journal.head(stream: stream) }),
            head.kind != AuditCheckpoint.kind || (state.streams[stream]?.covered ?? 0) < head.streamSequence - 1
        else { return nil }
        let checkpoint = try AuditCheckpoint.signing(head, reason: reason, at: now(), with: key)
        let record = try journalCall { () throws(JournalError) in
            try journal.append(stream: stream, kind: AuditCheckpoint.kind, event: checkpoint, at: now())
        }
        var progress = state.streams[stream] ?? StreamProgress()
        progress.covered = max(progress.covered, head.streamSequence)
        // Records committed between reading the head and appending stay uncovered; catchUp counts
        // them again when it reads past them.
        progress.uncovered = 0
        progress.opened = true
        state.streams[stream] = progress
        try anchors?.append(
            CheckpointAnchor(checkpoint: checkpoint, recordStreamSequence: record.streamSequence, recordHash: record.hash))
        return checkpoint
    }

    private func journalCall<T>(_ body: () throws(JournalError) -> T) throws(AuditError) -> T {
        do {
            return try body()
        } catch {
            throw AuditError(.journal, error.description, path: journal.path)
        }
    }
}
