import Foundation
import Logging
import Synchronization

/// swift-log's `LogHandler` for cutoverd: one line per message on stderr, prefixed with
/// journald's `<N>` syslog priority (systemd's stderr stream turns it into the entry's PRIORITY),
/// then the message and structured `key=value` fields. Fields whose key names a secret are
/// redacted, whatever the caller — a library logging through swift-log included.
///
/// Every handler made from one `Threshold` shares its level, so a reload (SIGHUP, `POST
/// /v1/reload`) changes the level of the daemon's own log and of every library's logger at once.
/// Setting `logLevel` on one logger still affects that logger only, as swift-log expects.
public struct JournaldLogHandler: LogHandler {
    /// The level the whole daemon logs at; shared by reference between handlers.
    public final class Threshold: Sendable {
        private let level: Mutex<Logger.Level>
        public init(_ level: Logger.Level) { self.level = Mutex(level) }
        public var value: Logger.Level {
            get { level.withLock { $0 } }
            set { level.withLock { $0 = newValue } }
        }
    }

    /// The metadata key under which `DaemonLog` passes the order its fields were given in (swift-log
    /// metadata is a dictionary); it is never printed. Fields without an order print sorted by key.
    public static let fieldOrderKey = "cutover.field-order"

    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let threshold: Threshold
    private var ownLevel: Logger.Level?
    private let sink: @Sendable (String) -> Void

    public init(threshold: Threshold, sink: @escaping @Sendable (String) -> Void = DaemonLog.standardError) {
        self.threshold = threshold
        self.sink = sink
    }

    public var logLevel: Logger.Level {
        get { ownLevel ?? threshold.value }
        set { ownLevel = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let explicit = event.metadata { merged.merge(explicit) { _, new in new } }
        sink(DaemonLog.line(Self.priority(event.level), event.message.description, Self.fields(merged)))
    }

    /// swift-log's levels on syslog's priorities; `trace` has none of its own and logs as debug.
    static func priority(_ level: Logger.Level) -> DaemonLog.Level {
        switch level {
        case .trace, .debug: .debug
        case .info: .info
        case .notice: .notice
        case .warning: .warning
        case .error: .error
        case .critical: .critical
        }
    }

    /// The fields in the order `fieldOrderKey` gives, then the rest sorted by key.
    static func fields(_ metadata: Logger.Metadata) -> [(String, String)] {
        var rest = metadata
        var ordered: [(String, String)] = []
        if case .array(let keys)? = rest.removeValue(forKey: fieldOrderKey) {
            for case .string(let key) in keys {
                if let value = rest.removeValue(forKey: key) { ordered.append((key, text(value))) }
            }
        }
        return ordered + rest.sorted { $0.key < $1.key }.map { ($0.key, text($0.value)) }
    }

    private static func text(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let string): string
        case .stringConvertible(let convertible): convertible.description
        default: value.description
        }
    }
}
