import Foundation
import Journal
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The append-only JSON Lines file (`checkpoints.jsonl` in the state directory) that keeps every
/// checkpoint outside the journal, one `CheckpointAnchor` per line.
///
/// Why a file and not a second table in the journal: whoever can rewrite or replace the journal
/// file (restore an older copy, run `sqlite3` on it) rewrites every table in it at once; a separate
/// file has to be found and rewritten as well, can live on another filesystem, can be shipped to a
/// log host line by line, and can be read by `jq`. Appends are single `write(2)` calls on an
/// `O_APPEND` descriptor followed by `fsync`, so a crash leaves at most a torn last line, which
/// the reader reports with its line number. The anchor is written after the checkpoint record is
/// committed: after a crash in between the log lags by one checkpoint, which verification
/// tolerates (an anchor is a lower bound on what the journal must contain).
public final class CheckpointAnchorLog: Sendable {
    public let path: String
    private let lock = Mutex(())

    public static let fileName = "checkpoints.jsonl"

    public init(path: String) {
        self.path = path
    }

    /// The log in a state directory.
    public convenience init(stateDirectory: String) {
        self.init(path: (stateDirectory as NSString).appendingPathComponent(Self.fileName))
    }

    /// Appends one anchor durably.
    public func append(_ anchor: CheckpointAnchor) throws(AuditError) {
        let line: [UInt8]
        do {
            line = Array(try Self.encoder().encode(anchor)) + [0x0A]
        } catch {
            throw AuditError(.anchorLog, "cannot encode a checkpoint anchor: \(error)", path: path)
        }
        try lock.withLock { _ throws(AuditError) in
            let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
            guard fd >= 0 else {
                throw AuditError(
                    .anchorLog, "cannot open the checkpoint anchor log: \(String(cString: strerror(errno)))", path: path)
            }
            defer { close(fd) }
            let written = line.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            guard written == line.count, fsync(fd) == 0 else {
                throw AuditError(
                    .anchorLog, "cannot append to the checkpoint anchor log: \(String(cString: strerror(errno)))",
                    path: path)
            }
        }
    }

    /// Every anchor in the file, in order; an absent file has none.
    public func read() throws(AuditError) -> [CheckpointAnchor] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AuditError(.anchorLog, "cannot read the checkpoint anchor log", path: path)
        }
        return try Self.parse(String(decoding: data, as: UTF8.self), path: path)
    }

    /// Parses JSON Lines text of anchors; blank lines are skipped.
    public static func parse(_ text: String, path: String? = nil) throws(AuditError) -> [CheckpointAnchor] {
        var anchors: [CheckpointAnchor] = []
        let decoder = Journal.eventDecoder()
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.allSatisfy(\.isWhitespace) { continue }
            do {
                anchors.append(try decoder.decode(CheckpointAnchor.self, from: Data(line.utf8)))
            } catch {
                throw AuditError(
                    .anchorLog,
                    "not a checkpoint anchor (\(BundleDiagnostics.describe(error))); a torn last line after a crash can be removed, anything else means the file was edited",
                    path: path, line: index + 1)
            }
        }
        return anchors
    }

    static func encoder() -> JSONEncoder { Journal.eventEncoder() }
}
