import Foundation

/// Why a run stopped without being told to: the journal refused a write (a full disk, a read-only
/// filesystem). The run's journaled state is intact and its status is what was last journaled;
/// nothing more happens until an operator resumes it (`cutoverctl resume RUN`) or cutoverd restarts.
public struct RunHalt: Codable, Sendable, Equatable {
    /// The run that stopped.
    public var runId: String
    /// The journal's error code (`DiskFull`, `ReadOnly`, …).
    public var code: String
    /// SQLite's extended result code, when SQLite reported the failure (13: `SQLITE_FULL`).
    public var sqliteCode: Int32?
    /// The journal file that could not be written.
    public var journal: String
    /// The daemon's clock when the run stopped.
    public var since: Date
    /// What happened, what was kept and what to do: the line an operator acts on.
    public var message: String

    public init(runId: String, code: String, sqliteCode: Int32?, journal: String, since: Date, message: String) {
        self.runId = runId
        self.code = code
        self.sqliteCode = sqliteCode
        self.journal = journal
        self.since = since
        self.message = message
    }
}
