import Foundation
import Journal

/// A signed statement "stream S had exactly these records up to #n, whose last hash is H", made
/// by the daemon's audit key. Journaled inside the stream it covers as a record of kind
/// `audit.checkpoint` (so the next checkpoint covers it in turn), and copied to the anchor log
/// outside the journal (`CheckpointAnchorLog`) so that cutting off a stream's tail — checkpoints
/// included — is detectable too.
///
/// Because each stream is a hash chain, signing the head hash signs every record before it: a
/// changed, removed, inserted or reordered record anywhere in #1…#n changes the head hash.
public struct AuditCheckpoint: Sendable, Hashable, Codable {
    /// The journal kind of checkpoint records. The engine's fold skips kinds it does not know, so
    /// checkpoints in a run's stream do not change the run's state.
    public static let kind = "audit.checkpoint"
    /// The first line of `signedBytes`; a new form needs a new tag.
    public static let formatTag = "cutover-checkpoint-v1"

    /// Why the checkpoint was made.
    public enum Reason: String, Sendable, Hashable, Codable, CaseIterable {
        /// The stream's first record (for a run: the plan that will execute), signed right away.
        case opening
        /// Every N records.
        case periodic
        /// The run reached a terminal status: nothing may follow this checkpoint except later
        /// operator records, which get their own.
        case final
        /// The daemon is stopping.
        case shutdown
        /// Asked for by an operator or a test.
        case manual
    }

    public var stream: String
    /// The covered head's position in the stream: the checkpoint covers records #1…#streamSequence,
    /// so this is also the number of records covered.
    public var streamSequence: Int64
    /// The covered head's global sequence in the journal.
    public var sequence: Int64
    /// The covered head's hash.
    public var hash: String
    /// The covered head's wall time: the end of the time range the checkpoint vouches for.
    public var headTime: Date
    /// When the checkpoint was signed (the daemon's clock).
    public var signedAt: Date
    public var reason: Reason
    /// `AuditPublicKey.keyId` of the signing key.
    public var keyId: String
    /// Base64 Ed25519 signature of `signedBytes`.
    public var signature: String

    /// The bytes the signature covers, a contract with verifiers in other languages: the UTF-8 of
    /// these fields joined by `\n`, no trailing line feed. Times in the journal's text form.
    ///
    /// ```
    /// cutover-checkpoint-v1
    /// <stream>
    /// <streamSequence>
    /// <sequence>
    /// <hash>
    /// <headTime>
    /// <signedAt>
    /// <reason>
    /// <keyId>
    /// ```
    public var signedBytes: [UInt8] {
        let fields = [
            Self.formatTag, stream, String(streamSequence), String(sequence), hash, JournalTimestamp.format(headTime),
            JournalTimestamp.format(signedAt), reason.rawValue, keyId,
        ]
        return Array(fields.joined(separator: "\n").utf8)
    }

    /// A signed checkpoint over `head`.
    public static func signing(
        _ head: JournalRecord, reason: Reason, at time: Date, with key: AuditKey
    ) throws(AuditError) -> AuditCheckpoint {
        var checkpoint = AuditCheckpoint(
            stream: head.stream, streamSequence: head.streamSequence, sequence: head.sequence, hash: head.hash,
            headTime: head.wallTime, signedAt: JournalTimestamp.normalized(time), reason: reason, keyId: key.keyId,
            signature: "")
        checkpoint.signature = Data(try key.sign(checkpoint.signedBytes)).base64EncodedString()
        return checkpoint
    }

    /// Whether the signature is `key`'s over these fields (the key ID is checked separately, so a
    /// caller can tell "another key" from "a bad signature").
    public func isSigned(by key: AuditPublicKey) -> Bool {
        guard let signature = Data(base64Encoded: signature) else { return false }
        return key.isValidSignature([UInt8](signature), of: signedBytes)
    }

    /// Reads the checkpoint a journal record carries.
    public init(record: JournalRecord) throws {
        self = try record.decodePayload(as: AuditCheckpoint.self)
    }

    public init(
        stream: String, streamSequence: Int64, sequence: Int64, hash: String, headTime: Date, signedAt: Date,
        reason: Reason, keyId: String, signature: String
    ) {
        self.stream = stream
        self.streamSequence = streamSequence
        self.sequence = sequence
        self.hash = hash
        self.headTime = headTime
        self.signedAt = signedAt
        self.reason = reason
        self.keyId = keyId
        self.signature = signature
    }
}
