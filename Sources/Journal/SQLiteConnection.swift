import CSQLite

/// One SQLite connection with a cache of prepared statements.
///
/// Not thread-safe and deliberately not `Sendable`: `Journal` owns exactly one and only touches it
/// while holding its lock, which is also what keeps `sqlite3_errmsg` paired with the call that set
/// it. The connection is opened with `SQLITE_OPEN_NOMUTEX` for that reason — SQLite's own mutex
/// would only repeat the lock `Journal` already holds.
final class SQLiteConnection {
    /// The result of a failed SQLite call: the primary and extended result codes and SQLite's text.
    struct Failure: Error {
        var code: Int32
        var extendedCode: Int32
        var message: String
        var primaryCode: Int32 { code & 0xFF }
    }

    /// A cell read from a row, as the journal's columns need it.
    enum Value {
        case integer(Int64)
        case text(String)
    }

    private let handle: OpaquePointer
    private var statements: [String: OpaquePointer] = [:]
    private var isOpen = true

    /// Opens (creating if `create`) the database at `path`. SQLite opens lazily: a file that is
    /// not a database is only reported by the first statement that reads it.
    init(path: String, readOnly: Bool) throws(Failure) {
        var db: OpaquePointer?
        let flags =
            (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
            | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            if let db { sqlite3_close_v2(db) }
            throw Failure(code: rc, extendedCode: rc, message: message)
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
    }

    deinit { close() }

    /// Finalizes every cached statement and closes the connection. Idempotent.
    func close() {
        guard isOpen else { return }
        isOpen = false
        for statement in statements.values { sqlite3_finalize(statement) }
        statements.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Whether an explicit transaction is open (SQLite has left autocommit mode).
    var inTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    func setBusyTimeout(milliseconds: Int32) {
        sqlite3_busy_timeout(handle, milliseconds)
    }

    /// Runs one or more statements that return no rows we need (schema, pragmas, transactions).
    func execute(_ sql: String) throws(Failure) {
        let rc = sqlite3_exec(handle, sql, nil, nil, nil)
        guard rc == SQLITE_OK else { throw failure(rc) }
    }

    /// Runs a cached statement with `bindings` and returns every row, each as `columns` values.
    /// Columns are read as integers or text according to SQLite's storage class of the cell.
    func query(_ sql: String, _ bindings: [Value] = []) throws(Failure) -> [[Value]] {
        let statement = try prepared(sql)
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        try bind(bindings, to: statement)
        var rows: [[Value]] = []
        while true {
            let rc = sqlite3_step(statement)
            if rc == SQLITE_DONE { return rows }
            guard rc == SQLITE_ROW else { throw failure(rc) }
            let count = sqlite3_column_count(statement)
            var row: [Value] = []
            row.reserveCapacity(Int(count))
            for column in 0..<count {
                if sqlite3_column_type(statement, column) == SQLITE_INTEGER {
                    row.append(.integer(sqlite3_column_int64(statement, column)))
                } else {
                    row.append(.text(text(statement, column)))
                }
            }
            rows.append(row)
        }
    }

    /// Runs a cached statement that returns no rows (an INSERT) with `bindings`.
    func run(_ sql: String, _ bindings: [Value]) throws(Failure) {
        let statement = try prepared(sql)
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        try bind(bindings, to: statement)
        let rc = sqlite3_step(statement)
        guard rc == SQLITE_DONE else { throw failure(rc) }
    }

    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    private func prepared(_ sql: String) throws(Failure) -> OpaquePointer {
        if let cached = statements[sql] { return cached }
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard rc == SQLITE_OK, let statement else { throw failure(rc) }
        statements[sql] = statement
        return statement
    }

    private func bind(_ values: [Value], to statement: OpaquePointer) throws(Failure) {
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let rc: Int32
            switch value {
            case .integer(let number):
                rc = sqlite3_bind_int64(statement, index, number)
            case .text(let string):
                // Bound with an explicit byte length so the text is stored byte for byte, NULs and
                // all; SQLITE_TRANSIENT makes SQLite copy it before the buffer goes away.
                var string = string
                rc = string.withUTF8 { bytes in
                    bytes.withMemoryRebound(to: CChar.self) { chars in
                        // An empty buffer may have no address, and SQLite would store NULL, not "".
                        guard let base = chars.baseAddress else {
                            return sqlite3_bind_text(statement, index, "", 0, Self.transient)
                        }
                        return sqlite3_bind_text(statement, index, base, Int32(chars.count), Self.transient)
                    }
                }
            }
            guard rc == SQLITE_OK else { throw failure(rc) }
        }
    }

    private func text(_ statement: OpaquePointer, _ column: Int32) -> String {
        guard let bytes = sqlite3_column_text(statement, column) else { return "" }
        let count = Int(sqlite3_column_bytes(statement, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    private func failure(_ rc: Int32) -> Failure {
        Failure(
            code: rc, extendedCode: sqlite3_extended_errcode(handle), message: String(cString: sqlite3_errmsg(handle)))
    }

    /// `SQLITE_TRANSIENT`, which the C header defines as a cast Swift cannot import.
    private static var transient: sqlite3_destructor_type { unsafeBitCast(-1, to: sqlite3_destructor_type.self) }
}
