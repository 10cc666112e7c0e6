import Engine
import Foundation
import Journal

/// One run's audit log as a self-contained file that verifies offline: JSON Lines, one object per
/// line, each with a `type`:
///
/// 1. `header` — format version, run id, the signing public key and its ID, export time, counts;
/// 2. `record` — every record of the run's stream, in order, exactly as stored (all nine fields,
///    payload text byte for byte, so every hash can be recomputed); the first, `run.created`,
///    carries the plan that ran, the runbook source and the initiator;
/// 3. `anchor` — the stream's entries from the checkpoint anchor log.
///
/// The header is not signed (the exporter need not hold the daemon's key); its public key is a
/// convenience, and an auditor should pin the key they got from the daemon's operators instead.
public struct AuditBundle: Sendable, Hashable {
    public static let format = "cutover-audit-bundle-v1"

    public struct Header: Sendable, Hashable, Codable {
        public var type = "header"
        public var format: String
        public var runId: String
        /// The key the checkpoints should be signed with, as the exporter knew it.
        public var publicKey: AuditPublicKey?
        public var keyId: String?
        public var exportedAt: Date
        public var records: Int
        public var anchors: Int

        public init(
            format: String = AuditBundle.format, runId: String, publicKey: AuditPublicKey?, exportedAt: Date,
            records: Int, anchors: Int
        ) {
            self.format = format
            self.runId = runId
            self.publicKey = publicKey
            self.keyId = publicKey?.keyId
            self.exportedAt = exportedAt
            self.records = records
            self.anchors = anchors
        }
    }

    public var header: Header
    public var records: [JournalRecord]
    public var anchors: [CheckpointAnchor]

    public init(header: Header, records: [JournalRecord], anchors: [CheckpointAnchor]) {
        self.header = header
        self.records = records
        self.anchors = anchors
    }

    public var runId: String { header.runId }

    /// The run's first record, decoded: plan, runbook source, initiator.
    public var runCreated: RunCreated? {
        guard let first = records.first, case let .runCreated(created)? = try? RunEvent(first) else { return nil }
        return created
    }

    // MARK: Export

    /// Reads run `runId` from `journal` (open it read-only) and the run's anchors from `anchorLog`.
    public static func export(
        run runId: String, from journal: Journal, anchorLog: CheckpointAnchorLog?, publicKey: AuditPublicKey?,
        at time: Date = Date()
    ) throws(AuditError) -> AuditBundle {
        let records: [JournalRecord]
        do {
            records = try journal.records(stream: runId)
        } catch {
            throw AuditError(.journal, error.description, path: journal.path)
        }
        guard !records.isEmpty else {
            throw AuditError(
                .runNotFound, "no run \(runId) in the journal; `cutoverctl runs` lists the runs", path: journal.path)
        }
        let anchors = try (anchorLog?.read() ?? []).filter { $0.stream == runId }
        let header = Header(
            runId: runId, publicKey: publicKey, exportedAt: JournalTimestamp.normalized(time), records: records.count,
            anchors: anchors.count)
        return AuditBundle(header: header, records: records, anchors: anchors)
    }

    // MARK: Text

    private struct RecordLine: Codable {
        var type = "record"
        var record: JournalRecord
    }

    private struct AnchorLine: Codable {
        var type = "anchor"
        var anchor: CheckpointAnchor
    }

    private struct LineType: Decodable {
        var type: String
    }

    /// The bundle as JSON Lines text, each line ending in `\n`.
    public func encoded() throws(AuditError) -> String {
        let encoder = Journal.eventEncoder()
        var lines: [String] = []
        lines.reserveCapacity(records.count + anchors.count + 1)
        do {
            lines.append(String(decoding: try encoder.encode(header), as: UTF8.self))
            for record in records {
                lines.append(String(decoding: try encoder.encode(RecordLine(record: record)), as: UTF8.self))
            }
            for anchor in anchors {
                lines.append(String(decoding: try encoder.encode(AnchorLine(anchor: anchor)), as: UTF8.self))
            }
        } catch {
            throw AuditError(.badBundle, "cannot encode the bundle: \(error)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes the bundle to `path` (replacing it), mode 0640.
    public func write(to path: String) throws(AuditError) {
        let text = try encoded()
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: path)
        } catch {
            throw AuditError(.io, "cannot write the bundle: \(error.localizedDescription)", path: path)
        }
    }

    /// Reads a bundle file.
    public static func read(from path: String) throws(AuditError) -> AuditBundle {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AuditError(.io, "cannot read the bundle (missing or not readable)", path: path)
        }
        return try parse(String(decoding: data, as: UTF8.self), path: path)
    }

    /// Parses bundle text. Structural problems (not JSON, a missing field, a record of another
    /// run, lines out of section order) are errors naming the line; whether the records are
    /// genuine is `AuditVerifier`'s question, so a parsed bundle may still fail verification.
    public static func parse(_ text: String, path: String? = nil) throws(AuditError) -> AuditBundle {
        let decoder = Journal.eventDecoder()
        var header: Header?
        var records: [JournalRecord] = []
        var anchors: [CheckpointAnchor] = []
        func fail(_ line: Int, _ message: String) -> AuditError {
            AuditError(.badBundle, message, path: path, line: line)
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        for (index, line) in lines.enumerated() {
            let number = index + 1
            let data = Data(line.utf8)
            let type: String
            do {
                type = try decoder.decode(LineType.self, from: data).type
            } catch {
                throw fail(number, "not a bundle line (\(BundleDiagnostics.describe(error)))")
            }
            if number == 1 {
                guard type == "header" else {
                    throw fail(1, "not a Cutover audit bundle: the first line must be the header, found \"\(type)\"")
                }
                do {
                    header = try decoder.decode(Header.self, from: data)
                } catch {
                    throw fail(1, "bad header (\(BundleDiagnostics.describe(error)))")
                }
                guard header?.format == format else {
                    throw fail(1, "bundle format \(header?.format ?? "") is not \(format); use the cutoverctl that wrote it")
                }
                continue
            }
            switch type {
            case "record":
                guard anchors.isEmpty else { throw fail(number, "a record after the anchors: the bundle was edited") }
                let record: JournalRecord
                do {
                    record = try decoder.decode(RecordLine.self, from: data).record
                } catch {
                    throw fail(number, "bad record (\(BundleDiagnostics.describe(error)))")
                }
                guard record.stream == header?.runId else {
                    throw fail(number, "a record of stream \(record.stream) in the bundle of run \(header?.runId ?? "")")
                }
                records.append(record)
            case "anchor":
                do {
                    anchors.append(try decoder.decode(AnchorLine.self, from: data).anchor)
                } catch {
                    throw fail(number, "bad anchor (\(BundleDiagnostics.describe(error)))")
                }
            case "header":
                throw fail(number, "a second header")
            default:
                throw fail(number, "unknown line type \"\(type)\"")
            }
        }
        guard let header else { throw AuditError(.badBundle, "the file is empty, not an audit bundle", path: path) }
        return AuditBundle(header: header, records: records, anchors: anchors)
    }

    /// The line a record sits on in `encoded()` (1-based), for messages about a bundle.
    public func line(ofRecordAt index: Int) -> Int { index + 2 }
}
