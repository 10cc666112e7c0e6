import CSQLite
import Foundation

extension Journal {
    /// Sets the durability pragmas and makes sure the file holds a journal of this version,
    /// creating the schema in a fresh file.
    static func prepare(_ connection: SQLiteConnection, path: String, access: Access) throws(JournalError) {
        do {
            connection.setBusyTimeout(milliseconds: busyTimeoutMilliseconds)
            // The first statement that reads the file: a file that is not a database fails here.
            let mode = try connection.query("PRAGMA journal_mode").first?.first
            if access == .readWrite {
                let mode = try connection.query("PRAGMA journal_mode = WAL").first?.first
                // In-memory databases report "memory"; every file must be in WAL mode, or a commit
                // would not mean what `append` promises.
                guard case .text(let name)? = mode, name.lowercased() == "wal" || path == ":memory:" else {
                    throw JournalError(
                        code: .cannotOpen,
                        message:
                            "SQLite could not switch \(path) to WAL mode (the filesystem may lack shared-memory locking, e.g. NFS); put the journal on a local filesystem",
                        path: path)
                }
                try connection.execute("PRAGMA synchronous = FULL")
                try connection.execute("BEGIN IMMEDIATE")
                do {
                    try checkIdentity(connection, path: path, allowEmpty: true)
                    try connection.execute(JournalSchema.create)
                    try connection.execute("COMMIT")
                } catch {
                    if connection.inTransaction { try? connection.execute("ROLLBACK") }
                    throw error
                }
            } else {
                _ = mode
                try checkIdentity(connection, path: path, allowEmpty: false)
            }
            guard case .text(let versionText)? = try connection.query(JournalSchema.schemaVersion).first?.first,
                let version = Int(versionText)
            else {
                throw JournalError(
                    code: .corrupt, message: "\(path) has no schema version; it is damaged or was edited by hand",
                    path: path)
            }
            guard version == JournalSchema.version else {
                throw JournalError(
                    code: .incompatible,
                    message:
                        "\(path) is a version \(version) journal; this build reads version \(JournalSchema.version). Use the cutover release that wrote it",
                    path: path)
            }
        } catch let failure as SQLiteConnection.Failure {
            throw error(failure, path: path, doing: "opening")
        } catch let error as JournalError {
            throw error
        } catch {
            throw JournalError(code: .sqlite, message: "opening failed: \(error)", path: path)
        }
    }

    /// Refuses another program's SQLite database rather than adding tables to it.
    private static func checkIdentity(_ connection: SQLiteConnection, path: String, allowEmpty: Bool) throws {
        guard case .integer(let applicationID)? = try connection.query("PRAGMA application_id").first?.first else {
            return
        }
        if applicationID == JournalSchema.applicationID { return }
        let tables = try connection.query(JournalSchema.tables)
        if applicationID == 0 && tables.isEmpty && allowEmpty { return }
        throw JournalError(
            code: .incompatible,
            message: tables.isEmpty && applicationID == 0
                ? "\(path) is an empty database, not a Cutover journal"
                : "\(path) is a SQLite database of another program (application_id \(applicationID)), not a Cutover journal; check the path",
            path: path)
    }

    /// A journal error for a SQLite failure, with a message that says what to do.
    static func error(_ failure: SQLiteConnection.Failure, path: String, doing: String) -> JournalError {
        let directory =
            (path as NSString).deletingLastPathComponent.isEmpty
            ? "." : (path as NSString).deletingLastPathComponent
        let sqlite = "SQLite: \(failure.message)"
        switch failure.primaryCode {
        case SQLITE_FULL:
            return diskFull(path: path, detail: "while \(doing); \(sqlite)", sqliteCode: failure.extendedCode)
        case SQLITE_READONLY:
            return JournalError(
                code: .readOnly,
                message:
                    "cannot write while \(doing): \(path), its directory \(directory) or the filesystem is read-only (\(sqlite)); make them writable for the cutoverd user. Nothing was lost",
                path: path, sqliteCode: failure.extendedCode)
        case SQLITE_NOTADB, SQLITE_CORRUPT:
            return JournalError(
                code: .corrupt,
                message:
                    "\(path) is not a SQLite database or is damaged (\(sqlite)). Do not write to it: keep it for the audit, check the path, and restore from a backup or move it aside",
                path: path, sqliteCode: failure.extendedCode)
        case SQLITE_CANTOPEN, SQLITE_PERM, SQLITE_AUTH:
            return JournalError(
                code: .cannotOpen,
                message:
                    "cannot open \(path) (\(sqlite)); check that \(directory) exists and that this user may read and write there",
                path: path, sqliteCode: failure.extendedCode)
        case SQLITE_BUSY, SQLITE_LOCKED:
            return JournalError(
                code: .busy,
                message:
                    "another process held \(path) locked for more than \(busyTimeoutMilliseconds) ms while \(doing); is a second cutoverd using this journal? Nothing was written",
                path: path, sqliteCode: failure.extendedCode)
        default:
            return JournalError(
                code: .sqlite, message: "\(doing) failed: \(sqlite)", path: path, sqliteCode: failure.extendedCode)
        }
    }

    static func diskFull(path: String, detail: String, sqliteCode: Int32) -> JournalError {
        let directory = (path as NSString).deletingLastPathComponent
        return JournalError(
            code: .diskFull,
            message:
                "the disk holding \(directory.isEmpty ? "." : directory) is full (\(detail)). Free space there: nothing was lost — the failed write was rolled back and every earlier record is intact",
            path: path, sqliteCode: sqliteCode)
    }
}
