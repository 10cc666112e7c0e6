/// Checks records one at a time, in the order they were committed, so a long journal can be
/// verified page by page without holding it in memory. `JournalVerifier.verify` runs one over an
/// array.
///
/// For each record, in this order: the global `sequence` increases (and, for `.wholeJournal`, by
/// exactly 1 from 1); the stream's `streamSequence` is the previous one plus 1, starting at 1;
/// `previousHash` is the stream's previous `hash` (the genesis hash for #1); `hash` is the SHA-256
/// of the canonical bytes. Sequence checks come first because a removed or reordered record is
/// reported more usefully as a gap or a reordering than as the broken link it also causes.
public struct ChainVerifier: Sendable {
    /// How much of the journal the records are claimed to be.
    public enum Coverage: String, Sendable, Hashable {
        /// Every record from sequence 1 (a whole store or a full export): global sequence numbers
        /// must run 1, 2, 3, … so that removing any record, even a stream's last, shows.
        case wholeJournal
        /// Whole streams, possibly interleaved with records left out (`records(stream:)`, one run's
        /// export): global sequence numbers need only increase.
        case streams
    }

    public let coverage: Coverage
    private var lastSequence: Int64 = 0
    private var heads: [String: (streamSequence: Int64, hash: String)] = [:]
    private var checked = 0
    private var failure: ChainFailure?

    public init(coverage: Coverage) {
        self.coverage = coverage
    }

    /// The result so far.
    public var report: ChainReport {
        ChainReport(recordsChecked: checked, streamsChecked: heads.count, firstFailure: failure, coverage: coverage)
    }

    /// Checks the next record. Returns `false` once a record has failed; later records are not
    /// examined, because after a failure the chain's position is unknown.
    @discardableResult
    public mutating func check(_ record: JournalRecord) -> Bool {
        guard failure == nil else { return false }
        checked += 1
        let head = heads[record.stream]
        func fail(_ reason: ChainFailure.Reason, _ detail: String) -> Bool {
            failure = ChainFailure(
                sequence: record.sequence, stream: record.stream, streamSequence: record.streamSequence,
                reason: reason, detail: detail)
            if head == nil { heads[record.stream] = (0, "") }
            return false
        }

        if record.sequence < 1 {
            return fail(.outOfOrder, "sequence \(record.sequence) is not a position in the journal (they start at 1)")
        }
        if record.sequence == lastSequence {
            return fail(.duplicate, "sequence \(record.sequence) appears twice")
        }
        if record.sequence < lastSequence {
            return fail(.outOfOrder, "sequence \(record.sequence) follows \(lastSequence)")
        }
        if coverage == .wholeJournal && record.sequence != lastSequence + 1 {
            return fail(
                .gap,
                "sequence jumps from \(lastSequence) to \(record.sequence): \(record.sequence - lastSequence - 1) record(s) missing"
            )
        }

        let expected = (head?.streamSequence ?? 0) + 1
        if record.streamSequence > expected {
            return fail(
                .gap,
                "stream \(record.stream) jumps from #\(expected - 1) to #\(record.streamSequence): \(record.streamSequence - expected) record(s) missing"
            )
        }
        if record.streamSequence == expected - 1 {
            return fail(.duplicate, "stream \(record.stream) has #\(record.streamSequence) twice")
        }
        if record.streamSequence < expected {
            return fail(
                .outOfOrder, "stream \(record.stream) goes back from #\(expected - 1) to #\(record.streamSequence)")
        }

        let expectedPrevious = head?.hash ?? JournalRecord.genesisHash
        if record.previousHash != expectedPrevious {
            return fail(
                .brokenLink,
                "previousHash \(record.previousHash) is not the hash of \(record.stream) #\(expected - 1), \(expectedPrevious)"
            )
        }
        let computed = record.computedHash
        if record.hash != computed {
            return fail(
                .hashMismatch,
                "stored hash \(record.hash) but the record's content hashes to \(computed): a field was changed after it was written"
            )
        }

        lastSequence = record.sequence
        heads[record.stream] = (record.streamSequence, record.hash)
        return true
    }
}
