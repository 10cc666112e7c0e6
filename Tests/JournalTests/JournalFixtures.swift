import Foundation
import Synchronization
import Testing

@testable import Journal

/// A fresh directory under the system temporary directory, removed with everything in it when
/// the fixture goes away (at the end of the test that made it).
final class ScratchDirectory: Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("cutover-journal-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// A path inside the directory.
    func path(_ name: String = "journal.sqlite") -> String { url.appendingPathComponent(name).path }
}

/// A monotonic source for tests: 1 000, 2 000, 3 000, … nanoseconds, safe to call from any task.
final class SteppingMonotonic: Sendable {
    private let current = Mutex<UInt64>(0)
    var source: @Sendable () -> UInt64 { { self.next() } }
    func next() -> UInt64 {
        current.withLock {
            $0 += 1_000
            return $0
        }
    }
}

/// A direct SQLite connection to a journal file, bypassing `Journal`: what an operator with a
/// `sqlite3` shell, or an attacker with the file, can do.
struct RawDatabase {
    let connection: SQLiteConnection

    init(path: String) throws {
        connection = try SQLiteConnection(path: path, readOnly: false)
        connection.setBusyTimeout(milliseconds: 5_000)
    }

    func execute(_ sql: String) throws { try connection.execute(sql) }

    func run(_ sql: String, _ values: [SQLiteConnection.Value]) throws { try connection.run(sql, values) }

    func text(_ sql: String, _ values: [SQLiteConnection.Value] = []) throws -> String? {
        guard case .text(let value)? = try connection.query(sql, values).first?.first else { return nil }
        return value
    }

    /// Lets the "attacker" rewrite history: removes the append-only triggers.
    func dropTriggers() throws {
        try execute("DROP TRIGGER events_append_only_update; DROP TRIGGER events_append_only_delete;")
    }
}

/// 2026-12-01T01:00:00.000Z, the admin-console cutover window's start in UTC.
let windowStart = Date(timeIntervalSince1970: 1_796_086_800)

extension Journal {
    /// Appends `count` small records to `stream`, one second apart from `start`.
    @discardableResult
    func appendSample(
        stream: String, count: Int, kind: String = "step.progress", start: Date = windowStart
    )
        throws -> [JournalRecord]
    {
        try (0..<count).map { index in
            try append(
                JournalEntry(
                    stream: stream, kind: kind, payload: #"{"index":\#(index),"stream":"\#(stream)"}"#,
                    wallTime: start.addingTimeInterval(Double(index))))
        }
    }
}

/// The error `body` throws, as a `JournalError`; records a test failure when it throws nothing or
/// something else.
func journalError(sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) -> JournalError? {
    do {
        try body()
        Issue.record("expected a JournalError, nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as JournalError {
        return error
    } catch {
        Issue.record("expected a JournalError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}
