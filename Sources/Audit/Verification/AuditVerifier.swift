import Foundation
import Journal

/// Offline verification of a run's (or a whole journal's) audit log: pure over records, anchors
/// and a key, with thin entry points for a bundle file and a journal file opened read-only.
///
/// Per stream, in order: positions run 1, 2, 3, …; every record's content hashes to its stored
/// hash; every record links to its predecessor; every `audit.checkpoint` decodes, names the
/// trusted key, carries a valid Ed25519 signature, and covers a record that is exactly the one
/// signed; every anchor is validly signed and its checkpoint record is present and unchanged; at
/// least one checkpoint is valid; a run that ended is covered to its end. The first failure of a
/// stream stops that stream's checks, because after it the chain's position is unknown.
///
/// What it cannot see: a stream cut off together with its last checkpoint *and* its anchor entry
/// (keep the anchor log apart from the journal and ship it off the host); a history rewritten and
/// re-signed by someone who holds the key (pin the key, keep it in a credential store).
public enum AuditVerifier {
    /// Verifies `records` (in commit order; one or several streams) against `key`.
    ///
    /// - Parameters:
    ///   - anchors: entries from the anchor log (or a bundle) for any of the streams.
    ///   - coverage: `.wholeJournal` when `records` are a whole store from sequence 1, which also
    ///     catches a deleted record at the very end of a stream that no checkpoint covered yet.
    ///   - expectedRecords: per stream, how many records another source (a bundle header) says there are.
    public static func verify(
        records: [JournalRecord], anchors: [CheckpointAnchor], key: AuditPublicKey?,
        keySource: AuditVerification.KeySource, coverage: ChainVerifier.Coverage = .streams,
        expectedRecords: [String: Int] = [:]
    ) -> AuditVerification {
        var journalFailures: [AuditFailure] = []
        if let failure = checkGlobalOrder(records, coverage: coverage) { journalFailures.append(failure) }
        if key == nil {
            journalFailures.append(
                AuditFailure(
                    code: .noKey,
                    message:
                        "no public key to check checkpoint signatures against; pass the daemon's key (`cutoverctl audit key export`) with --key"
                ))
        }
        var order: [String] = []
        var byStream: [String: [JournalRecord]] = [:]
        for record in records {
            if byStream[record.stream] == nil { order.append(record.stream) }
            byStream[record.stream, default: []].append(record)
        }
        let streams = order.map { stream in
            StreamCheck(
                stream: stream, records: byStream[stream] ?? [], anchors: anchors.filter { $0.stream == stream },
                key: key, expectedRecords: expectedRecords[stream]
            ).run()
        }
        return AuditVerification(
            streams: streams, journalFailures: journalFailures, keyId: key?.keyId, keySource: key == nil ? .none : keySource)
    }

    /// Verifies a bundle. With `pinnedKey` the checkpoints must be signed by it (and the header must
    /// name it); without, the header's key is used and the result says it was not pinned.
    public static func verify(bundle: AuditBundle, pinnedKey: AuditPublicKey? = nil) -> AuditVerification {
        let key = pinnedKey ?? bundle.header.publicKey
        var result = verify(
            records: bundle.records, anchors: bundle.anchors, key: key, keySource: pinnedKey == nil ? .bundle : .pinned,
            expectedRecords: [bundle.runId: bundle.header.records])
        if let pinnedKey, let named = bundle.header.publicKey, named != pinnedKey {
            result.journalFailures.append(
                AuditFailure(
                    code: .keyMismatch,
                    message:
                        "the bundle names key \(named.keyId), not the pinned key \(pinnedKey.keyId): it was exported from another daemon, or the header was replaced"
                ))
        }
        if bundle.records.isEmpty {
            result.streams = [
                AuditVerification.Stream(
                    stream: bundle.runId, records: 0, expectedRecords: bundle.header.records, validRecords: 0,
                    signedCheckpoints: 0, lastCovered: nil, unsignedTail: 0, ended: false,
                    failure: AuditFailure(
                        code: .truncated, stream: bundle.runId, streamSequence: 1,
                        message: "the bundle has no records; the header says \(bundle.header.records)"))
            ]
        }
        return result
    }

    /// Verifies a journal file, opened read-only (it may be a copy, or the live store beside a
    /// running daemon). `stream` nil checks every stream and gap-free global sequence numbers.
    public static func verify(
        journalAt path: String, stream: String? = nil, anchorLog: CheckpointAnchorLog?, key: AuditPublicKey?
    ) throws(AuditError) -> AuditVerification {
        let journal: Journal
        do {
            journal = try Journal(path: path, access: .readOnly)
        } catch {
            throw AuditError(.journal, error.description, path: path)
        }
        defer { journal.close() }
        var records: [JournalRecord] = []
        do {
            if let stream {
                records = try journal.records(stream: stream)
                guard !records.isEmpty else {
                    throw AuditError(.runNotFound, "no stream \(stream) in the journal", path: path)
                }
            } else {
                var last: Int64 = 0
                while true {
                    let page = try journal.records(after: last, limit: 10_000)
                    records += page
                    guard let end = page.last, page.count == 10_000 else { break }
                    last = end.sequence
                }
            }
        } catch let error as AuditError {
            throw error
        } catch {
            throw AuditError(.journal, "\(error)", path: path)
        }
        let anchors = try anchorLog?.read() ?? []
        return verify(
            records: records, anchors: anchors, key: key, keySource: .pinned,
            coverage: stream == nil ? .wholeJournal : .streams)
    }

    /// Global sequence numbers increase (and, for a whole journal, run 1, 2, 3, …).
    static func checkGlobalOrder(_ records: [JournalRecord], coverage: ChainVerifier.Coverage) -> AuditFailure? {
        var last: Int64 = 0
        for record in records {
            let bad: String?
            if record.sequence <= last {
                bad = "journal sequence \(record.sequence) follows \(last): records were reordered or duplicated"
            } else if coverage == .wholeJournal && record.sequence != last + 1 {
                bad =
                    "journal sequence jumps from \(last) to \(record.sequence): \(record.sequence - last - 1) record(s) were deleted"
            } else {
                bad = nil
            }
            if let bad {
                return AuditFailure(
                    code: .journalSequence, stream: record.stream, streamSequence: record.streamSequence,
                    sequence: record.sequence, kind: record.kind, message: bad)
            }
            last = record.sequence
        }
        return nil
    }
}

/// The checks of one stream; see `AuditVerifier`.
private struct StreamCheck {
    let stream: String
    let records: [JournalRecord]
    let anchors: [CheckpointAnchor]
    let key: AuditPublicKey?
    let expectedRecords: Int?

    private var result: AuditVerification.Stream
    /// Records that passed, by position.
    private var seen: [Int64: JournalRecord] = [:]

    init(
        stream: String, records: [JournalRecord], anchors: [CheckpointAnchor], key: AuditPublicKey?,
        expectedRecords: Int?
    ) {
        self.stream = stream
        self.records = records
        self.anchors = anchors
        self.key = key
        self.expectedRecords = expectedRecords
        result = AuditVerification.Stream(
            stream: stream, records: records.count, expectedRecords: max(records.count, expectedRecords ?? 0),
            validRecords: 0, signedCheckpoints: 0, lastCovered: nil, unsignedTail: 0, ended: false, firstTime: nil,
            lastTime: nil, failure: nil)
    }

    func run() -> AuditVerification.Stream {
        var check = self
        check.walk()
        return check.result
    }

    private func failure(
        _ code: AuditFailure.Code, at position: Int64?, range: ClosedRange<Int64>? = nil, _ message: String
    ) -> AuditFailure {
        let record = position.flatMap { p in seen[p] ?? records.first { $0.streamSequence == p } }
        return AuditFailure(
            code: code, stream: stream, streamSequence: position, sequence: record?.sequence, kind: record?.kind,
            suspectRange: range, message: message)
    }

    private mutating func fail(_ failure: AuditFailure, valid: Int64) {
        result.failure = failure
        result.validRecords = Int(max(0, valid))
    }

    private var covered: Int64 { result.lastCovered ?? 0 }

    private mutating func walk() {
        let positions = Set(records.map(\.streamSequence))
        var expected: Int64 = 1
        var previous: JournalRecord?
        var lastTerminal: Int64?
        for record in records {
            let position = record.streamSequence
            if position != expected {
                if position > expected {
                    if positions.contains(expected) {
                        fail(
                            failure(
                                .outOfOrder, at: expected, "record \(expected) appears after record \(position): records were reordered"),
                            valid: expected - 1)
                    } else {
                        fail(
                            failure(
                                .missingRecord, at: expected,
                                "record \(expected) is missing: the stream jumps from record \(expected - 1) to \(position); it was deleted"
                            ), valid: expected - 1)
                    }
                } else if position == expected - 1 {
                    fail(failure(.duplicate, at: position, "record \(position) appears twice"), valid: expected - 1)
                } else {
                    fail(
                        failure(
                            .outOfOrder, at: position,
                            "record \(position) appears again after record \(expected - 1): records were reordered"), valid: expected - 1)
                }
                return
            }
            let computed = record.computedHash
            if record.hash != computed {
                fail(
                    failure(
                        .hashMismatch, at: position,
                        "its content hashes to \(computed), not to the stored \(record.hash): it was edited after it was written"),
                    valid: position - 1)
                return
            }
            let link = previous?.hash ?? JournalRecord.genesisHash
            if record.previousHash != link {
                if let previous {
                    fail(
                        failure(
                            .rewritten, at: previous.streamSequence,
                            "record \(position) was chained to a record \(previous.streamSequence) with hash \(record.previousHash), but record \(previous.streamSequence) now hashes to \(previous.hash): it was rewritten and its hash recomputed"
                        ),
                        valid: previous.streamSequence - 1)
                } else {
                    fail(
                        failure(
                            .rewritten, at: position,
                            "the stream's first record does not start from the genesis hash: records before it were removed"), valid: 0)
                }
                return
            }
            seen[position] = record
            if record.kind == AuditCheckpoint.kind {
                guard checkCheckpoint(record) else { return }
            } else if Checkpointer.isTerminal(record) {
                lastTerminal = position
            }
            if result.firstTime == nil { result.firstTime = record.wallTime }
            result.lastTime = record.wallTime
            previous = record
            expected += 1
        }
        result.validRecords = records.count
        let last = previous?.streamSequence ?? 0
        guard checkAnchors(last: last) else { return }
        if let expectedRecords, expectedRecords > records.count {
            fail(
                failure(
                    .truncated, at: last + 1, range: (last + 1)...Int64(expectedRecords),
                    "the bundle header says \(expectedRecords) records, the bundle holds \(records.count): records \(last + 1)–\(expectedRecords) were cut off"
                ),
                valid: last)
            return
        }
        if result.signedCheckpoints == 0 {
            fail(
                failure(
                    .unsigned, at: 1, range: 1...max(last, 1),
                    "no valid signed checkpoint in this stream, so nothing vouches for its records (the daemon signs one as soon as a stream opens; was the checkpointer running, or were its records removed?)"
                ), valid: 0)
            return
        }
        result.unsignedTail = records.filter { $0.streamSequence > covered && $0.kind != AuditCheckpoint.kind }.count
        if let lastTerminal {
            result.ended = true
            if lastTerminal > covered {
                fail(
                    failure(
                        .missingFinalCheckpoint, at: covered + 1, range: (covered + 1)...last,
                        "the run ended at record \(lastTerminal) but the last valid checkpoint covers only record \(covered): the final checkpoint is missing, so records \(covered + 1)–\(last) are unsigned and may have been replaced"
                    ),
                    valid: covered)
                return
            }
        }
    }

    /// Checks one `audit.checkpoint` record; false (with the failure set) when it is not valid.
    private mutating func checkCheckpoint(_ record: JournalRecord) -> Bool {
        let position = record.streamSequence
        guard let checkpoint = try? AuditCheckpoint(record: record) else {
            fail(failure(.badCheckpoint, at: position, "an audit.checkpoint record whose payload is not a checkpoint"), valid: position - 1)
            return false
        }
        guard checkpoint.stream == stream, checkpoint.streamSequence < position, checkpoint.streamSequence >= 1 else {
            fail(
                failure(
                    .badCheckpoint, at: position,
                    "the checkpoint claims to cover \(checkpoint.stream) record \(checkpoint.streamSequence), which is not an earlier record of this stream"
                ), valid: position - 1)
            return false
        }
        guard let key else { return true }
        guard checkpoint.keyId == key.keyId else {
            fail(
                failure(
                    .unknownKey, at: position,
                    "the checkpoint is signed by key \(checkpoint.keyId), not by the trusted key \(key.keyId): it was forged or made by another daemon"
                ), valid: position - 1)
            return false
        }
        guard checkpoint.isSigned(by: key) else {
            fail(
                failure(
                    .badSignature, at: position,
                    "the checkpoint's signature does not verify under key \(key.keyId): it was forged or altered"), valid: position - 1)
            return false
        }
        let target = checkpoint.streamSequence
        guard let signed = seen[target], signed.hash == checkpoint.hash, signed.sequence == checkpoint.sequence,
            signed.wallTime == checkpoint.headTime
        else {
            let range = (covered + 1)...target
            fail(
                failure(
                    .checkpointMismatch, at: target, range: range,
                    "the signed checkpoint at record \(position) covers record \(target) with hash \(checkpoint.hash), but record \(target) hashes to \(seen[target]?.hash ?? "?"): records \(range.lowerBound)–\(target) were rewritten after they were signed"
                ),
                valid: covered)
            return false
        }
        result.signedCheckpoints += 1
        result.lastCovered = max(covered, target)
        return true
    }

    /// Checks the anchor log's entries for this stream against the records.
    private mutating func checkAnchors(last: Int64) -> Bool {
        for anchor in anchors.sorted(by: { $0.recordStreamSequence < $1.recordStreamSequence }) {
            let checkpoint = anchor.checkpoint
            if let key, checkpoint.keyId != key.keyId || !checkpoint.isSigned(by: key) {
                fail(
                    failure(
                        .badAnchor, at: anchor.recordStreamSequence,
                        "the anchor log's checkpoint for record \(anchor.recordStreamSequence) is not validly signed by key \(key.keyId): the anchor log was edited"
                    ),
                    valid: Int64(result.validRecords))
                return false
            }
            let position = anchor.recordStreamSequence
            if position > last {
                result.expectedRecords = max(result.expectedRecords, Int(position))
                fail(
                    failure(
                        .truncated, at: last + 1, range: (last + 1)...position,
                        "records \(last + 1)–\(position) are missing: the anchor log holds checkpoint record \(position) (covering record \(checkpoint.streamSequence), signed \(JournalTimestamp.format(checkpoint.signedAt))), but the stream ends at record \(last): its tail was cut off"
                    ),
                    valid: last)
                return false
            }
            guard let record = seen[position], record.hash == anchor.recordHash else {
                fail(
                    failure(
                        .anchorMismatch, at: position, range: 1...position,
                        "record \(position) is not the checkpoint the anchor log remembers (hash \(anchor.recordHash)): the stream was rewritten up to here"
                    ),
                    valid: min(Int64(result.validRecords), position - 1))
                return false
            }
        }
        return true
    }
}
