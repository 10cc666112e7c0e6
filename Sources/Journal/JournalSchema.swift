/// The journal's tables, and the checks that a file is a journal this code can use.
///
/// One table, `events`, holds every record; triggers make it append-only at the SQL level, so a
/// bug (or a hand-run `sqlite3` session) cannot rewrite history without first dropping them —
/// which the hash chain then exposes. `meta` holds the schema version. The `UNIQUE(stream,
/// stream_sequence)` constraint's index is the index on `stream` that head and per-stream reads
/// use; a separate one would only slow appends.
enum JournalSchema {
    /// The version this code writes and reads. A newer file is refused, never guessed at.
    static let version = 1

    /// `PRAGMA application_id`: "CUTJ", so `file(1)`-style tools and `open` can tell a journal
    /// from any other SQLite database.
    static let applicationID: Int64 = 0x4355_544A

    static let create = """
        CREATE TABLE IF NOT EXISTS meta (
            key   TEXT PRIMARY KEY NOT NULL,
            value TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS events (
            sequence        INTEGER PRIMARY KEY AUTOINCREMENT,
            stream          TEXT    NOT NULL,
            stream_sequence INTEGER NOT NULL,
            kind            TEXT    NOT NULL,
            wall_time       TEXT    NOT NULL,
            monotonic_ns    INTEGER NOT NULL,
            payload         TEXT    NOT NULL,
            previous_hash   TEXT    NOT NULL,
            hash            TEXT    NOT NULL,
            UNIQUE (stream, stream_sequence)
        );
        CREATE TRIGGER IF NOT EXISTS events_append_only_update BEFORE UPDATE ON events
        BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;
        CREATE TRIGGER IF NOT EXISTS events_append_only_delete BEFORE DELETE ON events
        BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;
        INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', '\(version)');
        INSERT OR IGNORE INTO meta (key, value) VALUES ('canonical_format', '\(JournalRecord.canonicalFormatTag)');
        PRAGMA application_id = \(applicationID);
        """

    static let columns =
        "sequence, stream, stream_sequence, kind, wall_time, monotonic_ns, payload, previous_hash, hash"

    static let insert = """
        INSERT INTO events (stream, stream_sequence, kind, wall_time, monotonic_ns, payload, previous_hash, hash)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        """
    static let head = "SELECT \(columns) FROM events WHERE stream = ? ORDER BY stream_sequence DESC LIMIT 1"
    static let headLink =
        "SELECT stream_sequence, hash FROM events WHERE stream = ? ORDER BY stream_sequence DESC LIMIT 1"
    static let streamRecords =
        "SELECT \(columns) FROM events WHERE stream = ? AND stream_sequence > ? ORDER BY stream_sequence"
    static let recordsAfter = "SELECT \(columns) FROM events WHERE sequence > ? ORDER BY sequence LIMIT ?"
    static let streams = "SELECT stream FROM events WHERE stream_sequence = 1 ORDER BY sequence"
    static let count = "SELECT count(*) FROM events"
    static let schemaVersion = "SELECT value FROM meta WHERE key = 'schema_version'"
    static let tables = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
}
