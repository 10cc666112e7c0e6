import Foundation

/// What a caller hands to `Journal.append`: an event for one stream, before the journal gives it a
/// place in the chain.
public struct JournalEntry: Sendable, Hashable {
    /// A run id, or `"daemon"`. Non-empty, no control characters.
    public var stream: String
    /// The event type (`run.created`, `attempt.started`, …). Non-empty, no control characters.
    public var kind: String
    /// The event as JSON text. Stored and hashed exactly as given, so whoever produces it decides
    /// its byte form (`Journal.append(stream:kind:event:at:)` uses sorted keys).
    public var payload: String
    /// The caller's clock (an injectable one, in the engine). Stored rounded to the millisecond.
    public var wallTime: Date

    public init(stream: String, kind: String, payload: String, wallTime: Date) {
        self.stream = stream
        self.kind = kind
        self.payload = payload
        self.wallTime = wallTime
    }
}
