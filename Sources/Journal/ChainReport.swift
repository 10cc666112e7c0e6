/// What `JournalVerifier` found: how many records it checked and the first one that failed.
public struct ChainReport: Sendable, Hashable, CustomStringConvertible {
    /// Records examined, including the failing one; the verifier stops at the first failure.
    public var recordsChecked: Int
    /// Distinct streams among the records examined.
    public var streamsChecked: Int
    /// The first failure in record order, or `nil` when every check passed.
    public var firstFailure: ChainFailure?
    /// Whether global sequence numbers were also required to run from 1 without holes.
    public var coverage: ChainVerifier.Coverage

    public var valid: Bool { firstFailure == nil }

    public init(
        recordsChecked: Int, streamsChecked: Int, firstFailure: ChainFailure?, coverage: ChainVerifier.Coverage
    ) {
        self.recordsChecked = recordsChecked
        self.streamsChecked = streamsChecked
        self.firstFailure = firstFailure
        self.coverage = coverage
    }

    /// A sentence for `cutoverctl audit verify`, saying what was checked and what was not.
    public var description: String {
        if let firstFailure {
            return "INVALID after \(recordsChecked) record(s): \(firstFailure.description)"
        }
        let scope =
            coverage == .wholeJournal
            ? "every record's hash, the links of \(streamsChecked) stream(s), and gap-free sequence numbers"
            : "every record's hash and the links of \(streamsChecked) stream(s)"
        return
            "valid: \(recordsChecked) record(s) checked — \(scope). The chain alone cannot show that records were removed from the end of a stream; signed checkpoints cover that."
    }
}

/// One record that failed verification, and why.
public struct ChainFailure: Sendable, Hashable, CustomStringConvertible {
    public enum Reason: String, Sendable, Hashable, CaseIterable {
        /// The record's `hash` is not the SHA-256 of its canonical bytes: a field was changed.
        case hashMismatch
        /// `previousHash` is not the hash of the stream's previous record (or not the genesis hash).
        case brokenLink
        /// A sequence number was skipped: records are missing.
        case gap
        /// A sequence number goes backwards: records were reordered.
        case outOfOrder
        /// A sequence number repeats: a record appears twice.
        case duplicate
    }

    /// The failing record's global sequence.
    public var sequence: Int64
    public var stream: String
    public var streamSequence: Int64
    public var reason: Reason
    /// What exactly did not match, for a person.
    public var detail: String

    public init(sequence: Int64, stream: String, streamSequence: Int64, reason: Reason, detail: String) {
        self.sequence = sequence
        self.stream = stream
        self.streamSequence = streamSequence
        self.reason = reason
        self.detail = detail
    }

    public var description: String {
        "record \(sequence) (\(stream) #\(streamSequence)): \(reason.rawValue): \(detail)"
    }
}
