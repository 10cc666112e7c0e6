import CCrypto
import Foundation

/// One committed journal record: an event of one stream, chained to the stream's previous record.
///
/// Records are what `Journal` stores and returns and what `JournalVerifier` checks. Each stream (a
/// run id, or `"daemon"`) is its own hash chain: `previousHash` is the `hash` of the stream's
/// previous record, or `JournalRecord.genesisHash` for its first. `sequence` orders records across
/// all streams but is not part of the hash (see `canonicalBytes`).
///
/// As `Codable`, `wallTime` is always written as its canonical text (`2026-12-01T01:00:00.000Z`),
/// whatever the coder's date strategy, so an exported record carries exactly the bytes that were
/// hashed.
public struct JournalRecord: Sendable, Hashable, Codable {
    /// Global, 1-based position in the order of commit across all streams.
    public var sequence: Int64
    /// The chain this record belongs to: a run id, or `"daemon"` for daemon-level events.
    public var stream: String
    /// 1-based position within `stream`, contiguous.
    public var streamSequence: Int64
    /// The event type, defined by the engine (`run.created`, `attempt.started`, …).
    public var kind: String
    /// The caller's clock at append, rounded to the millisecond.
    public var wallTime: Date
    /// `CLOCK_MONOTONIC` (or the injected source) at append, in nanoseconds. Orders records of one
    /// boot independently of wall-clock steps; meaningless across reboots.
    public var monotonicNanos: UInt64
    /// The event as JSON text, stored and hashed exactly as given.
    public var payload: String
    /// Lower-case hex SHA-256 of the stream's previous record, or `genesisHash`.
    public var previousHash: String
    /// Lower-case hex SHA-256 of `canonicalBytes`.
    public var hash: String

    /// The `previousHash` of every stream's first record: 64 `"0"`.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// The version line that starts every record's canonical bytes.
    public static let canonicalFormatTag = "cutover-journal-v1"

    public init(
        sequence: Int64, stream: String, streamSequence: Int64, kind: String, wallTime: Date,
        monotonicNanos: UInt64, payload: String, previousHash: String, hash: String
    ) {
        self.sequence = sequence
        self.stream = stream
        self.streamSequence = streamSequence
        self.kind = kind
        self.wallTime = wallTime
        self.monotonicNanos = monotonicNanos
        self.payload = payload
        self.previousHash = previousHash
        self.hash = hash
    }

    /// `wallTime` as stored and hashed: `2026-12-01T01:00:00.000Z`.
    public var wallTimeText: String { JournalTimestamp.format(wallTime) }

    /// The bytes `hash` is the SHA-256 of. This exact form is a contract with the audit tooling and
    /// with offline verifiers written in other languages; changing it means a new format tag.
    ///
    /// The UTF-8 encoding of these fields joined by a single line feed (`\n`, 0x0A), with no
    /// trailing line feed:
    ///
    /// ```
    /// cutover-journal-v1
    /// <previousHash>         64 lower-case hex digits; 64 "0" for a stream's first record
    /// <stream>
    /// <streamSequence>       decimal, no sign, no leading zeros
    /// <kind>
    /// <wallTimeText>         ISO-8601 UTC, exactly 3 fractional digits: 2026-12-01T01:00:00.000Z
    /// <monotonicNanos>       decimal
    /// <payload>              the JSON text exactly as stored (may itself contain line feeds)
    /// ```
    ///
    /// `stream` and `kind` never contain a line feed (`Journal.append` refuses them), and `payload`
    /// comes last, so the form is unambiguous. The global `sequence` is deliberately not covered:
    /// it is the store's commit order, checked for monotonicity by the verifier, while each chain
    /// is self-contained.
    public var canonicalBytes: [UInt8] {
        Self.canonicalBytes(
            previousHash: previousHash, stream: stream, streamSequence: streamSequence, kind: kind,
            wallTimeText: wallTimeText, monotonicNanos: monotonicNanos, payload: payload)
    }

    /// The canonical bytes from their parts; see `canonicalBytes`.
    public static func canonicalBytes(
        previousHash: String, stream: String, streamSequence: Int64, kind: String, wallTimeText: String,
        monotonicNanos: UInt64, payload: String
    ) -> [UInt8] {
        var text = canonicalFormatTag
        text.reserveCapacity(160 + stream.utf8.count + kind.utf8.count + payload.utf8.count)
        for field in [
            previousHash, stream, String(streamSequence), kind, wallTimeText, String(monotonicNanos), payload,
        ] {
            text += "\n"
            text += field
        }
        return Array(text.utf8)
    }

    /// SHA-256 of this record's canonical bytes, in lower-case hex: what `hash` must equal.
    public var computedHash: String { Self.sha256Hex(canonicalBytes) }

    /// Lower-case hex SHA-256 of `bytes`.
    static func sha256Hex(_ bytes: [UInt8]) -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        let ok = bytes.withUnsafeBytes { input in
            digest.withUnsafeMutableBufferPointer { output in
                cutover_sha256(input.baseAddress, input.count, output.baseAddress!)
            }
        }
        precondition(ok == 1, "libcrypto SHA-256 failed")
        let hexDigits = Array("0123456789abcdef".utf8)
        var hex = [UInt8]()
        hex.reserveCapacity(64)
        for byte in digest {
            hex.append(hexDigits[Int(byte >> 4)])
            hex.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    private enum CodingKeys: String, CodingKey {
        case sequence, stream, streamSequence, kind, wallTime, monotonicNanos, payload, previousHash, hash
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let text = try container.decode(String.self, forKey: .wallTime)
        guard let wallTime = JournalTimestamp.parse(text) else {
            throw DecodingError.dataCorruptedError(
                forKey: .wallTime, in: container,
                debugDescription: "wallTime \(text) is not of the form 2026-12-01T01:00:00.000Z")
        }
        self.init(
            sequence: try container.decode(Int64.self, forKey: .sequence),
            stream: try container.decode(String.self, forKey: .stream),
            streamSequence: try container.decode(Int64.self, forKey: .streamSequence),
            kind: try container.decode(String.self, forKey: .kind),
            wallTime: wallTime,
            monotonicNanos: try container.decode(UInt64.self, forKey: .monotonicNanos),
            payload: try container.decode(String.self, forKey: .payload),
            previousHash: try container.decode(String.self, forKey: .previousHash),
            hash: try container.decode(String.self, forKey: .hash))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(sequence, forKey: .sequence)
        try container.encode(stream, forKey: .stream)
        try container.encode(streamSequence, forKey: .streamSequence)
        try container.encode(kind, forKey: .kind)
        try container.encode(wallTimeText, forKey: .wallTime)
        try container.encode(monotonicNanos, forKey: .monotonicNanos)
        try container.encode(payload, forKey: .payload)
        try container.encode(previousHash, forKey: .previousHash)
        try container.encode(hash, forKey: .hash)
    }
}
