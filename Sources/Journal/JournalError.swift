/// Why the journal could not be opened, read or appended to.
///
/// `code` is stable (match on it, alert on it); `message` says what happened and what to do; `path`
/// is the journal file; `sqliteCode` is SQLite's extended result code when SQLite reported the
/// failure. A failed append never leaves a partial record: its transaction is rolled back, and
/// every record committed before it is intact.
public struct JournalError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable error code.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The file could not be opened or created (missing directory, permissions, a filesystem
        /// without the locking WAL needs).
        public static let cannotOpen = Code("CannotOpen")
        /// The disk (or quota) is full. Nothing of the failed append was written.
        public static let diskFull = Code("DiskFull")
        /// The journal, its directory, or the filesystem is read-only, or it was opened read-only.
        public static let readOnly = Code("ReadOnly")
        /// The file is not a SQLite database, or SQLite found it damaged.
        public static let corrupt = Code("Corrupt")
        /// The file is a SQLite database but not a Cutover journal, or one of a newer format.
        public static let incompatible = Code("Incompatible")
        /// The entry was refused before anything was written: an empty or malformed stream or kind,
        /// a payload that is not JSON, a time outside years 0001–9999, an event that did not encode.
        public static let appendRejected = Code("AppendRejected")
        /// Another process held the journal locked for longer than the busy timeout.
        public static let busy = Code("Busy")
        /// A crash injected through `JournalFaults`; the instance behaves like a dead process.
        public static let injectedCrash = Code("InjectedCrash")
        /// The journal was used after `close()`.
        public static let closed = Code("Closed")
        /// Any other SQLite failure; `sqliteCode` and the message carry SQLite's own words.
        public static let sqlite = Code("SQLite")
    }

    public var code: Code
    /// What went wrong and what to do about it.
    public var message: String
    /// The journal file (`:memory:` for an in-memory journal).
    public var path: String
    /// SQLite's extended result code, when SQLite reported the failure.
    public var sqliteCode: Int32?

    public init(code: Code, message: String, path: String, sqliteCode: Int32? = nil) {
        self.code = code
        self.message = message
        self.path = path
        self.sqliteCode = sqliteCode
    }

    public var description: String {
        var text = "journal \(path): \(message)"
        if let sqliteCode { text += " [SQLite \(sqliteCode)]" }
        return text
    }
}
