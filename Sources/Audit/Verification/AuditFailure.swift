/// One thing verification found wrong, naming the record concerned.
///
/// `streamSequence` is the record a person should look at: for a changed record that record; for a
/// removed one the position it is missing from; for a rewritten stretch that a signed checkpoint
/// exposes, the covered head, with `suspectRange` saying which records may have been rewritten (all
/// a head hash can tell).
public struct AuditFailure: Sendable, Hashable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The record's content does not hash to its stored hash: it was edited in place.
        public static let hashMismatch = Code("HashMismatch")
        /// The record's content and hash agree, but the next record was chained to something else:
        /// it was rewritten and its hash recomputed.
        public static let rewritten = Code("Rewritten")
        /// A position in the stream has no record: it was deleted.
        public static let missingRecord = Code("MissingRecord")
        /// Records appear in another order than they were chained in.
        public static let outOfOrder = Code("OutOfOrder")
        /// A record appears twice.
        public static let duplicate = Code("Duplicate")
        /// Global sequence numbers skip or go back (whole-journal checks).
        public static let journalSequence = Code("JournalSequence")
        /// An `audit.checkpoint` record does not decode or names another stream or a later record.
        public static let badCheckpoint = Code("BadCheckpoint")
        /// A checkpoint names a key other than the one verification trusts.
        public static let unknownKey = Code("UnknownKey")
        /// A checkpoint's signature does not verify under the trusted key.
        public static let badSignature = Code("BadSignature")
        /// The record a valid checkpoint covers is not the one that was signed.
        public static let checkpointMismatch = Code("CheckpointMismatch")
        /// The stream ends before a checkpoint the anchor log (or the bundle header) knows of.
        public static let truncated = Code("Truncated")
        /// A checkpoint record differs from the one the anchor log remembers.
        public static let anchorMismatch = Code("AnchorMismatch")
        /// An anchor log entry is not validly signed by the trusted key.
        public static let badAnchor = Code("BadAnchor")
        /// No valid signed checkpoint in the stream.
        public static let unsigned = Code("Unsigned")
        /// The run ended but no signed checkpoint covers its end.
        public static let missingFinalCheckpoint = Code("MissingFinalCheckpoint")
        /// There is no public key to check signatures against.
        public static let noKey = Code("NoKey")
        /// The pinned key is not the key the bundle names.
        public static let keyMismatch = Code("KeyMismatch")
    }

    public var code: Code
    public var stream: String?
    /// The record named (1-based position in `stream`), when the failure is about one.
    public var streamSequence: Int64?
    /// Its global sequence, when it exists.
    public var sequence: Int64?
    /// Its kind, when it exists.
    public var kind: String?
    /// Records that may have been rewritten, when that is all the evidence can say.
    public var suspectRange: ClosedRange<Int64>?
    /// What did not match, for a person.
    public var message: String

    public init(
        code: Code, stream: String? = nil, streamSequence: Int64? = nil, sequence: Int64? = nil, kind: String? = nil,
        suspectRange: ClosedRange<Int64>? = nil, message: String
    ) {
        self.code = code
        self.stream = stream
        self.streamSequence = streamSequence
        self.sequence = sequence
        self.kind = kind
        self.suspectRange = suspectRange
        self.message = message
    }

    /// `record 7 (approval.decided, journal sequence 23): HashMismatch: …`
    public var description: String {
        var subject = ""
        if let streamSequence {
            var details: [String] = []
            if let kind { details.append(kind) }
            if let sequence { details.append("journal sequence \(sequence)") }
            subject = "record \(streamSequence)" + (details.isEmpty ? "" : " (\(details.joined(separator: ", ")))") + ": "
        }
        return "\(subject)\(code): \(message)"
    }
}
