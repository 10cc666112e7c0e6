import Audit
import ControlProtocol
import Foundation
import Journal

/// cutoverd's state directory as the offline audit commands read it: the journal opened
/// read-only (never written, safe beside a running daemon), the checkpoint anchor log, and the
/// daemon's key when this user may read it.
struct AuditStore {
    let layout: StateLayout

    /// The journal, read-only, or a failure that says where to look or what to run.
    func openJournal() throws(CLIFailure) -> Journal {
        let path = layout.journal
        guard FileManager.default.fileExists(atPath: path) else {
            if access(layout.directory, X_OK) != 0 && FileManager.default.fileExists(atPath: layout.directory) {
                throw unreadable(layout.directory)
            }
            throw CLIFailure(
                .notFound,
                "no journal at \(path); pass cutoverd's state directory with --state-dir (or $CUTOVER_STATE_DIRECTORY), or run this on the daemon's host"
            )
        }
        guard access(path, R_OK) == 0 else { throw unreadable(path) }
        do {
            return try Journal(path: path, access: .readOnly)
        } catch {
            switch error.code {
            case .cannotOpen: throw CLIFailure(.notAuthorized, error.description)
            case .corrupt, .incompatible: throw CLIFailure(.failed, error.description)
            default: throw CLIFailure(.daemonError, error.description)
            }
        }
    }

    var anchorLog: CheckpointAnchorLog { CheckpointAnchorLog(path: layout.checkpointAnchors) }

    /// A run's records, in order.
    func records(run: String, in journal: Journal) throws(CLIFailure) -> [JournalRecord] {
        let records: [JournalRecord]
        do {
            records = try journal.records(stream: run)
        } catch {
            throw CLIFailure(.daemonError, error.description)
        }
        guard !records.isEmpty else {
            throw CLIFailure(.notFound, "no run \(run) in \(journal.path); `cutoverctl runs` lists the runs")
        }
        return records
    }

    /// The daemon's public key from its key file, or nil with the reason (not readable, absent,
    /// the daemon uses a systemd credential instead).
    func daemonKey(file: String? = nil) -> (key: AuditPublicKey?, problem: String?) {
        let path = file ?? layout.auditKey
        do {
            return (try AuditKey.load(from: path).publicKey, nil)
        } catch {
            return (nil, error.description)
        }
    }

    private func unreadable(_ path: String) -> CLIFailure {
        CLIFailure(
            .notAuthorized,
            "you may not read \(path): cutoverd's state directory belongs to its own user; run with sudo, or verify a copy or an exported bundle (`cutoverctl audit export`)"
        )
    }
}

/// AuditError → exit code: a bad bundle or a tampered anchor log fails verification (1), a
/// missing run is not found (5), an unparseable --key is a usage error (2).
extension CLIFailure {
    init(_ error: AuditError) {
        switch error.code {
        case .runNotFound: self.init(.notFound, error.description)
        case .badPublicKey: self.init(.usage, error.description)
        case .badBundle, .anchorLog: self.init(.failed, error.description)
        case .io where !(error.path.map { FileManager.default.fileExists(atPath: $0) } ?? true):
            self.init(.notFound, error.description)
        case .io: self.init(.notAuthorized, error.description)
        default: self.init(.daemonError, error.description)
        }
    }
}

/// `--key`: a public key as text (hex, base64, PEM) or the path of a file holding one.
enum PinnedKey {
    static func parse(_ value: String) throws(CLIFailure) -> AuditPublicKey {
        var text = value
        if FileManager.default.fileExists(atPath: value) {
            guard let data = FileManager.default.contents(atPath: value) else {
                throw CLIFailure(.notAuthorized, "cannot read the key file \(value)")
            }
            text = String(decoding: data, as: UTF8.self)
        }
        do {
            return try AuditPublicKey(parsing: text)
        } catch {
            throw CLIFailure(error)
        }
    }
}
