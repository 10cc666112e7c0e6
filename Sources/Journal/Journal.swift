import CSQLite
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The append-only, hash-chained event store: the engine's state (state is the fold of a run's
/// records) and the audit log.
///
/// Each `append` is one SQLite transaction (`BEGIN IMMEDIATE` … `COMMIT`) that reads the stream's
/// head, chains the new record to it and inserts it. The database runs in WAL mode with
/// `synchronous=FULL`, so an append that returned has reached the disk and survives a crash or a
/// power cut. Several processes may open the same file (a crash harness, `cutoverctl audit` beside
/// the daemon); SQLite's locks serialize their writes and `busy_timeout` makes them wait.
///
/// The one connection is guarded by a `Mutex`, so a `Journal` can be shared freely between tasks;
/// calls are serialized, which is what a single SQLite writer needs anyway.
public final class Journal: Sendable {
    /// Whether this instance may append.
    public enum Access: Sendable, Hashable {
        case readWrite
        /// For readers that must never change the file (`cutoverctl audit` on a copied store).
        case readOnly
    }

    /// The journal file, as given (`:memory:` for an in-memory journal).
    public let path: String
    /// Fault injection for tests; idle unless armed.
    public let faults: JournalFaults
    public let access: Access

    private let monotonic: @Sendable () -> UInt64
    /// `nil` once closed.
    private let connection: Mutex<SQLiteConnection?>
    /// Called after every committed append of this instance (the daemon's event streams, metrics).
    private let appendObservers = Mutex<[@Sendable (JournalRecord) -> Void]>([])
    /// The last refused append of each stream, cleared by the stream's next committed append.
    private let refusals = Mutex<[String: JournalError]>([:])

    /// How long an append or read waits for another process's lock before failing with `.busy`.
    public static let busyTimeoutMilliseconds: Int32 = 5_000

    /// Opens the journal at `path`, creating it (and its schema) if the file does not exist.
    /// Reopening a file continues every stream's chain where it ended.
    ///
    /// - Parameter monotonic: nanoseconds of a monotonic clock, read once per append;
    ///   `Journal.systemMonotonic` unless a test injects its own.
    /// - Throws: `.cannotOpen`, `.corrupt` (not a database, or damaged), `.incompatible` (another
    ///   program's database, or a newer journal format), `.readOnly`, `.busy`.
    public init(
        path: String, access: Access = .readWrite,
        monotonic: @escaping @Sendable () -> UInt64 = Journal.systemMonotonic
    ) throws(JournalError) {
        self.path = path
        self.access = access
        self.monotonic = monotonic
        self.faults = JournalFaults()
        let opened: SQLiteConnection
        do {
            opened = try SQLiteConnection(path: path, readOnly: access == .readOnly)
        } catch {
            throw Self.error(error, path: path, doing: "opening")
        }
        try Self.prepare(opened, path: path, access: access)
        self.connection = Mutex(opened)
    }

    /// A journal that lives only in memory, for tests that need no file. Same schema and triggers;
    /// no WAL (SQLite keeps in-memory databases in its `memory` journal mode).
    public static func inMemory(
        monotonic: @escaping @Sendable () -> UInt64 = Journal.systemMonotonic
    )
        throws(JournalError) -> Journal
    {
        try Journal(path: ":memory:", monotonic: monotonic)
    }

    /// `CLOCK_MONOTONIC` in nanoseconds: steady across wall-clock changes, reset by a reboot.
    public static func systemMonotonic() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) &* 1_000_000_000 &+ UInt64(now.tv_nsec)
    }

    /// Closes the connection. Later calls throw `.closed`. Idempotent; also happens on deinit.
    public func close() {
        connection.withLock { connection in
            connection?.close()
            connection = nil
        }
    }

    // MARK: Appending

    /// Appends `entry` as the next record of its stream and returns the record as stored.
    ///
    /// One transaction: when this returns, the record is durable; when it throws, nothing of it
    /// was written (except for an injected `crash(afterAppend:)`, which commits and then throws).
    /// - Throws: `.appendRejected` for an invalid entry (nothing written), `.diskFull`,
    ///   `.readOnly`, `.busy`, `.corrupt`, `.injectedCrash`, `.closed`, `.sqlite`.
    @discardableResult
    public func append(_ entry: JournalEntry) throws(JournalError) -> JournalRecord {
        let record: JournalRecord
        do {
            record = try commit(entry)
        } catch {
            refusals.withLock { $0[entry.stream] = error }
            throw error
        }
        refusals.withLock { _ = $0.removeValue(forKey: entry.stream) }
        for observer in appendObservers.withLock({ $0 }) { observer(record) }
        return record
    }

    /// Why the last append to `stream` was refused, or nil when its last append (if any) was
    /// committed. Lets a caller that only saw "the write failed" (an executor's halt) tell an
    /// operator which file, which SQLite error and what to do.
    public func lastRefusal(stream: String) -> JournalError? {
        refusals.withLock { $0[stream] }
    }

    /// Registers `observer` to be called, on the appending thread and outside the journal's lock,
    /// with every record this instance commits from now on. Appends by other processes are not
    /// seen. Observers must be quick (signal a waiter, bump a counter) and must not append.
    public func observeAppends(_ observer: @escaping @Sendable (JournalRecord) -> Void) {
        appendObservers.withLock { $0.append(observer) }
    }

    private func commit(_ entry: JournalEntry) throws(JournalError) -> JournalRecord {
        try validate(entry)
        let wallTime = JournalTimestamp.normalized(entry.wallTime)
        return try withConnection { connection throws(JournalError) -> JournalRecord in
            guard access == .readWrite else {
                throw JournalError(
                    code: .readOnly, message: "this journal was opened read-only; appends go through cutoverd",
                    path: path)
            }
            let decision = faults.beginAppend()
            if case .fail(let code) = decision { throw injectedError(code) }
            let monotonicNanos = monotonic()
            var record: JournalRecord
            do {
                try connection.run("BEGIN IMMEDIATE", [])
                let head = try connection.query(JournalSchema.headLink, [.text(entry.stream)]).first
                var streamSequence: Int64 = 1
                var previousHash = JournalRecord.genesisHash
                if let head {
                    guard head.count == 2, case .integer(let last) = head[0], case .text(let hash) = head[1] else {
                        throw corrupt("the head of stream \(entry.stream) has a column of the wrong type")
                    }
                    streamSequence = last + 1
                    previousHash = hash
                }
                record = JournalRecord(
                    sequence: 0, stream: entry.stream, streamSequence: streamSequence, kind: entry.kind,
                    wallTime: wallTime, monotonicNanos: monotonicNanos, payload: entry.payload,
                    previousHash: previousHash, hash: "")
                // The verifier's own computation, so what is stored is exactly what it will check.
                record.hash = record.computedHash
                try connection.run(
                    JournalSchema.insert,
                    [
                        .text(record.stream), .integer(record.streamSequence), .text(record.kind),
                        .text(record.wallTimeText),
                        .integer(Int64(bitPattern: monotonicNanos)), .text(record.payload), .text(record.previousHash),
                        .text(record.hash),
                    ])
                record.sequence = connection.lastInsertRowID
                try connection.run("COMMIT", [])
            } catch let failure as SQLiteConnection.Failure {
                rollBack(connection)
                throw Self.error(failure, path: path, doing: "appending \(entry.kind) to \(entry.stream)")
            } catch let error as JournalError {
                rollBack(connection)
                throw error
            } catch {
                rollBack(connection)
                throw JournalError(code: .sqlite, message: "append failed: \(error)", path: path)
            }
            if decision == .proceedThenCrash { throw injectedError(.injectedCrash) }
            return record
        }
    }

    // MARK: Reading

    /// The records of `stream` after `streamSequence` (0: all of them), in chain order.
    public func records(stream: String, after streamSequence: Int64 = 0) throws(JournalError) -> [JournalRecord] {
        try read(JournalSchema.streamRecords, [.text(stream), .integer(streamSequence)])
    }

    /// Records of every stream after global `sequence` (0: from the start), in commit order, at
    /// most `limit` of them. Tailing a live journal: pass the last `sequence` seen.
    public func records(after sequence: Int64 = 0, limit: Int? = nil) throws(JournalError) -> [JournalRecord] {
        try read(JournalSchema.recordsAfter, [.integer(sequence), .integer(limit.map { Int64(max($0, 0)) } ?? -1)])
    }

    /// Every stream, in the order of its first record.
    public func streams() throws(JournalError) -> [String] {
        try withConnection { connection throws(JournalError) -> [String] in
            let rows = try query(connection, JournalSchema.streams, [])
            return try rows.map { row throws(JournalError) -> String in
                guard case .text(let stream)? = row.first else { throw corrupt("a stream name is not text") }
                return stream
            }
        }
    }

    /// The last record of `stream`, or `nil` for a stream with no records.
    public func head(stream: String) throws(JournalError) -> JournalRecord? {
        try read(JournalSchema.head, [.text(stream)]).first
    }

    /// The number of records in all streams.
    public var recordCount: Int64 {
        get throws(JournalError) {
            try withConnection { connection throws(JournalError) -> Int64 in
                guard case .integer(let count)? = try query(connection, JournalSchema.count, []).first?.first else {
                    throw corrupt("count(*) returned no number")
                }
                return count
            }
        }
    }

    /// Checks the whole store: every stream's chain, and that global sequence numbers run from 1
    /// without holes. Reads in pages, so memory stays flat on a long journal.
    public func verify(pageSize: Int = 10_000) throws(JournalError) -> ChainReport {
        var verifier = ChainVerifier(coverage: .wholeJournal)
        var last: Int64 = 0
        while true {
            let page = try records(after: last, limit: pageSize)
            for record in page where !verifier.check(record) { return verifier.report }
            guard let end = page.last, page.count == pageSize else { return verifier.report }
            last = end.sequence
        }
    }

    /// A PRAGMA's current value on this connection, as text (`journal_mode` → `wal`).
    func pragma(_ name: String) throws(JournalError) -> String {
        try withConnection { connection throws(JournalError) -> String in
            switch try query(connection, "PRAGMA \(name)", []).first?.first {
            case .integer(let value)?: return String(value)
            case .text(let value)?: return value
            case nil: return ""
            }
        }
    }

    // MARK: Internals

    private func withConnection<Result: Sendable>(
        _ body: (SQLiteConnection) throws(JournalError) -> Result
    ) throws(JournalError) -> Result {
        try connection.withLock { (connection: inout SQLiteConnection?) throws(JournalError) -> Result in
            guard let connection else {
                throw JournalError(code: .closed, message: "the journal was closed; open a new Journal", path: path)
            }
            return try body(connection)
        }
    }

    private func read(_ sql: String, _ bindings: [SQLiteConnection.Value]) throws(JournalError) -> [JournalRecord] {
        try withConnection { connection throws(JournalError) -> [JournalRecord] in
            try query(connection, sql, bindings).map { row throws(JournalError) in try decodeRecord(row) }
        }
    }

    private func query(
        _ connection: SQLiteConnection, _ sql: String, _ bindings: [SQLiteConnection.Value]
    )
        throws(JournalError) -> [[SQLiteConnection.Value]]
    {
        do {
            return try connection.query(sql, bindings)
        } catch {
            throw Self.error(error, path: path, doing: "reading")
        }
    }

    private func decodeRecord(_ row: [SQLiteConnection.Value]) throws(JournalError) -> JournalRecord {
        guard row.count == 9, case .integer(let sequence) = row[0], case .text(let stream) = row[1],
            case .integer(let streamSequence) = row[2], case .text(let kind) = row[3],
            case .text(let wallTimeText) = row[4], case .integer(let monotonic) = row[5],
            case .text(let payload) = row[6], case .text(let previousHash) = row[7], case .text(let hash) = row[8]
        else { throw corrupt("a record has a column of the wrong type") }
        guard let wallTime = JournalTimestamp.parse(wallTimeText) else {
            throw corrupt(
                "record \(sequence) has wall time \"\(wallTimeText)\", not of the form 2026-12-01T01:00:00.000Z")
        }
        return JournalRecord(
            sequence: sequence, stream: stream, streamSequence: streamSequence, kind: kind, wallTime: wallTime,
            monotonicNanos: UInt64(bitPattern: monotonic), payload: payload, previousHash: previousHash, hash: hash)
    }

    private func validate(_ entry: JournalEntry) throws(JournalError) {
        func reject(_ message: String) -> JournalError {
            JournalError(code: .appendRejected, message: message + "; nothing was written", path: path)
        }
        for (field, value) in [("stream", entry.stream), ("kind", entry.kind)] {
            guard !value.isEmpty else { throw reject("the \(field) is empty") }
            guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw reject("the \(field) \(value.debugDescription) contains a control character")
            }
        }
        guard JournalTimestamp.isRepresentable(entry.wallTime) else {
            throw reject("the wall time \(entry.wallTime.timeIntervalSince1970) s is outside years 0001–9999")
        }
        guard (try? JSONSerialization.jsonObject(with: Data(entry.payload.utf8), options: .fragmentsAllowed)) != nil
        else { throw reject("the payload of \(entry.kind) for \(entry.stream) is not JSON text") }
    }

    private func rollBack(_ connection: SQLiteConnection) {
        // After SQLITE_FULL or an I/O error SQLite may already have rolled back on its own.
        if connection.inTransaction { try? connection.execute("ROLLBACK") }
    }

    private func injectedError(_ code: JournalError.Code) -> JournalError {
        let n = faults.appendsAttempted
        if code == .diskFull {
            return Self.diskFull(
                path: path, detail: "injected at append \(n) by JournalFaults", sqliteCode: SQLITE_FULL)
        }
        return JournalError(
            code: code,
            message:
                "injected crash at append \(n) (JournalFaults): this instance is dead; open a new Journal on the file",
            path: path)
    }

    private func corrupt(_ detail: String) -> JournalError {
        JournalError(
            code: .corrupt,
            message:
                "\(path) is damaged: \(detail). Keep the file for the audit and run `cutoverctl audit verify` on it",
            path: path)
    }
}
