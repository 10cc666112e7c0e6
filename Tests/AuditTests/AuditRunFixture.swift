import Audit
import CSQLite
import Engine
import Foundation
import Journal
import Runbook
import TestSupport
import Testing

/// A finished run on a real engine and SQLite journal, checkpointed as the daemon would: a state
/// directory with the journal, the audit key and the anchor log. The run exercises what the audit
/// log must show: a retried failure, an irreversible step approved by one person, a forced wait, a
/// failure that needed an operator decision, and an approval given through sudo.
final class AuditRunFixture: @unchecked Sendable {
    let engine: EngineFixture
    let key: AuditKey
    let anchorLog: CheckpointAnchorLog
    let checkpointer: Checkpointer
    var runId = ""

    /// root via sudo from bob: the identity the control socket would see for `sudo cutoverctl approve`.
    static let sudoBob = OperatorIdentity(
        user: "root", uid: 0, groups: ["root", "cutover-approvers"], loginUser: "bob", loginUid: 1003)

    var stateDirectory: String { engine.directory.path }
    var journalPath: String { engine.directory.appendingPathComponent("journal.sqlite").path }

    init(interval: Int = 6) throws {
        engine = try EngineFixture()
        key = try AuditKey.loadOrCreate(stateDirectory: engine.directory.path)
        anchorLog = CheckpointAnchorLog(stateDirectory: engine.directory.path)
        let clock = engine.clock
        checkpointer = Checkpointer(
            journal: engine.journal, key: key, anchors: anchorLog, interval: interval, now: { clock.now() })
    }

    static func plan() -> RunbookPlan {
        var plan = TestPlan()
        plan.add(
            "prepare",
            retry: RetryPolicy(backoff: .fixed(interval: .seconds(10)), maxAttempts: 3, retryOn: ["Throttling"]))
        plan.add(
            "delete-source", type: "test.delete", irreversible: true,
            inputs: [("resource", .string("prepare")), ("deletes", .bool(true))])
        plan.add("forced-wait", type: "wait", inputs: [("for", .number(3600)), ("after", .string("delete-source"))])
        plan.add(
            "recreate", type: "test.create", onFailure: .decide, decisionOptions: ["retry", "rollback"],
            inputs: [("resource", .string("bucket"))])
        plan.add("maintenance-off", type: "approval", message: "Turn <maintenance> off & check \"/health\"")
        return plan.build(name: "admin-console-cutover")
    }

    /// Journals a daemon start, runs the plan to the end, checkpointing after every engine step.
    @discardableResult
    func runToCompletion() async throws -> RunStatus {
        try engine.journal.append(
            stream: "daemon", kind: "daemon.started", event: ["invocationId": "0f3c2a", "version": "test"],
            at: engine.clock.now())
        engine.world.script("prepare", ["Throttling"])
        engine.world.script("recreate", ["OperationAborted"])
        let run = try await engine.start(Self.plan())
        runId = run.runId
        try checkpointer.catchUp()
        for _ in 0..<500 {
            let outcome = await run.settle()
            try checkpointer.catchUp()
            guard case let .idle(nextWake, status) = outcome else { throw FixtureError("run stopped: \(outcome)") }
            if status.isTerminal {
                try checkpointer.checkpointAll()
                return status
            }
            if await act(on: run) { continue }
            guard let nextWake else { throw FixtureError("run waits for an operator nobody plays") }
            engine.clock.advance(to: nextWake)
        }
        throw FixtureError("run did not finish")
    }

    private func act(on run: RunExecutor) async -> Bool {
        if (try? await run.approve(step: "delete-source", by: TestPeople.alice, comment: "staging copy verified")) != nil {
            return true
        }
        if (try? await run.decide(step: "recreate", option: "retry", by: TestPeople.alice, comment: "name hold")) != nil {
            return true
        }
        return (try? await run.approve(step: "maintenance-off", by: Self.sudoBob)) != nil
    }

    func records() throws -> [JournalRecord] { try engine.journal.records(stream: runId) }

    func bundle() throws -> AuditBundle {
        try AuditBundle.export(
            run: runId, from: engine.journal, anchorLog: anchorLog, publicKey: key.publicKey,
            at: engine.clock.now())
    }

    /// A copy of the journal (and its WAL) in a new directory, to tamper with.
    func copyJournal() throws -> TamperableJournal {
        let directory = engine.directory.appendingPathComponent("copy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let target = directory.appendingPathComponent("journal.sqlite").path
        for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: journalPath + suffix) {
            try FileManager.default.copyItem(atPath: journalPath + suffix, toPath: target + suffix)
        }
        return try TamperableJournal(path: target)
    }

    func verifyCopy(_ copy: TamperableJournal, anchors: Bool = true) throws -> AuditVerification {
        copy.close()
        return try AuditVerifier.verify(
            journalAt: copy.path, stream: runId, anchorLog: anchors ? anchorLog : nil, key: key.publicKey)
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A journal copy edited with the raw SQLite API, the way someone with shell access would: drop
/// the append-only triggers, then change rows.
final class TamperableJournal {
    let path: String
    private var db: OpaquePointer?

    init(path: String) throws {
        self.path = path
        guard sqlite3_open(path, &db) == SQLITE_OK else { throw FixtureError("cannot open \(path)") }
        try execute("DROP TRIGGER events_append_only_update; DROP TRIGGER events_append_only_delete;")
    }

    deinit { close() }

    func close() {
        if let db { sqlite3_close(db) }
        db = nil
    }

    func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        guard sqlite3_exec(db, sql, nil, nil, &message) == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? "?"
            sqlite3_free(message)
            throw FixtureError("SQL failed: \(text): \(sql)")
        }
    }

    /// Rewrites the row at global `sequence` with `record`'s fields (all but `sequence`).
    func replace(sequence: Int64, with record: JournalRecord) throws {
        var statement: OpaquePointer?
        let sql = """
            UPDATE events SET stream = ?, stream_sequence = ?, kind = ?, wall_time = ?, monotonic_ns = ?, payload = ?,
            previous_hash = ?, hash = ? WHERE sequence = ?
            """
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK else { throw FixtureError("prepare failed") }
        defer { sqlite3_finalize(statement) }
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        let texts: [(Int32, String)] = [
            (1, record.stream), (3, record.kind), (4, record.wallTimeText), (6, record.payload), (7, record.previousHash),
            (8, record.hash),
        ]
        for (index, text) in texts { sqlite3_bind_text(statement, index, text, -1, transient) }
        sqlite3_bind_int64(statement, 2, record.streamSequence)
        sqlite3_bind_int64(statement, 5, Int64(bitPattern: record.monotonicNanos))
        sqlite3_bind_int64(statement, 9, sequence)
        guard sqlite3_step(statement) == SQLITE_DONE else { throw FixtureError("update failed") }
    }

    /// Inserts `record` as a new row (its `sequence` is assigned by SQLite).
    func insert(_ record: JournalRecord) throws {
        try execute(
            """
            INSERT INTO events (stream, stream_sequence, kind, wall_time, monotonic_ns, payload, previous_hash, hash)
            VALUES ('\(record.stream)', \(record.streamSequence), '\(record.kind)', '\(record.wallTimeText)',
            \(record.monotonicNanos), '\(record.payload.replacingOccurrences(of: "'", with: "''"))', '\(record.previousHash)', '\(record.hash)')
            """)
    }
}

extension Array where Element == JournalRecord {
    /// The records from index `start` on, re-chained: each hash recomputed and linked to the one
    /// before, as a forger without the signing key would do after changing something.
    func rechained(from start: Int) -> [JournalRecord] {
        var records = self
        for index in start..<records.count {
            if index > 0 { records[index].previousHash = records[index - 1].hash }
            records[index].hash = records[index].computedHash
        }
        return records
    }

    func first(kind: String, where predicate: (JournalRecord) -> Bool = { _ in true }) -> JournalRecord? {
        first { $0.kind == kind && predicate($0) }
    }
}
