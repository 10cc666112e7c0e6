import Foundation
import Journal

/// What `AuditVerifier` found, per stream, with the summary `cutoverctl audit verify` prints.
/// Valid (exit code 0) only when every record, link, checkpoint signature and anchor checked out.
public struct AuditVerification: Sendable, Hashable, CustomStringConvertible {
    /// Where the key that signatures were checked against came from.
    public enum KeySource: String, Sendable, Hashable {
        /// Given by the person verifying (`--key`): the only source that proves who signed.
        case pinned
        /// Named in the bundle's header: proves consistency, not origin.
        case bundle
        /// No key: signatures were not checked, and verification fails.
        case none
    }

    /// One stream's result.
    public struct Stream: Sendable, Hashable {
        public var stream: String
        /// Records present.
        public var records: Int
        /// Records there should be: more than `records` when an anchor or the header knows of later ones.
        public var expectedRecords: Int
        /// Records that passed every check before the first failure (all of them when valid).
        public var validRecords: Int
        /// Checkpoints whose signature verified and whose covered record matched.
        public var signedCheckpoints: Int
        /// The highest record a valid checkpoint covers.
        public var lastCovered: Int64?
        /// Non-checkpoint records after `lastCovered`: a run still in progress has some.
        public var unsignedTail: Int
        /// The stream ended with a terminal run status.
        public var ended: Bool
        public var firstTime: Date?
        public var lastTime: Date?
        public var failure: AuditFailure?

        public var valid: Bool { failure == nil }

        /// "N of N records valid, chain intact, signed checkpoints K, last checkpoint covers record
        /// M, time range A – B", or "INVALID: n of N records valid; record k (…): why".
        public var summary: String {
            if let failure {
                return "INVALID: \(validRecords) of \(expectedRecords) records valid; \(failure)"
            }
            let range = [firstTime, lastTime].map { $0.map(JournalTimestamp.format) ?? "-" }
            var text =
                "\(validRecords) of \(expectedRecords) records valid, chain intact, signed checkpoints \(signedCheckpoints), last checkpoint covers record \(lastCovered.map(String.init) ?? "none"), time range \(range[0]) – \(range[1])"
            if unsignedTail > 0 {
                text += "; \(unsignedTail) newer record(s) not yet signed (the run is in progress)"
            }
            return text
        }
    }

    public var streams: [Stream]
    /// Failures about the journal as a whole (global sequence numbers, a key mismatch).
    public var journalFailures: [AuditFailure]
    public var keyId: String?
    public var keySource: KeySource

    public var valid: Bool { journalFailures.isEmpty && streams.allSatisfy(\.valid) && !streams.isEmpty }

    /// 0 when everything checked out, 1 otherwise: what `cutoverctl audit verify` exits with.
    public var exitCode: Int32 { valid ? 0 : 1 }

    /// Every failure: one per failing stream (the most precise: they name a record of the
    /// stream), then journal-level ones.
    public var failures: [AuditFailure] { streams.compactMap(\.failure) + journalFailures }

    /// One line per stream (prefixed with the stream when there are several), then journal-level
    /// failures.
    public var summary: String {
        var lines = streams.map { streams.count == 1 ? $0.summary : "\($0.stream): \($0.summary)" }
        if streams.isEmpty { lines.append("INVALID: no records to verify") }
        lines += journalFailures.map { "INVALID: journal: \($0)" }
        return lines.joined(separator: "\n")
    }

    /// The summary and what the signatures were checked against.
    public var description: String {
        let key: String
        switch keySource {
        case .pinned: key = "signatures checked against the pinned key \(keyId ?? "?")"
        case .bundle:
            key = "signatures checked against key \(keyId ?? "?") named in the bundle (not pinned: pass --key to prove who signed)"
        case .none: key = "signatures NOT checked: no public key"
        }
        return summary + "\n" + key
    }
}
