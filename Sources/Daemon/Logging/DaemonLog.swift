import Foundation
import Logging

/// cutoverd's log: a thin wrapper over a swift-log `Logger` whose `JournaldLogHandler` writes one
/// line per message on stderr, prefixed with journald's `<N>` syslog priority (systemd's stderr
/// stream turns it into the entry's PRIORITY), then the message and structured `key=value` fields.
/// Fields whose key names a secret are redacted, whatever the caller.
public final class DaemonLog: Sendable {
    public enum Level: Int, Sendable, Comparable, CaseIterable {
        case emergency = 0, alert, critical, error, warning, notice, info, debug

        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }

        public var name: String {
            switch self {
            case .emergency: return "emerg"
            case .alert: return "alert"
            case .critical: return "crit"
            case .error: return "err"
            case .warning: return "warning"
            case .notice: return "notice"
            case .info: return "info"
            case .debug: return "debug"
            }
        }

        /// `info`, `warning`/`warn`, `err`/`error`, `debug`, …
        /// The swift-log level that logs at this priority (`emergency` and `alert` log as `critical`).
        public var loggerLevel: Logger.Level {
            switch self {
            case .emergency, .alert, .critical: .critical
            case .error: .error
            case .warning: .warning
            case .notice: .notice
            case .info: .info
            case .debug: .debug
            }
        }

        init(_ level: Logger.Level) { self = JournaldLogHandler.priority(level) }

        public init?(name: String) {
            switch name.lowercased() {
            case "emerg", "emergency": self = .emergency
            case "alert": self = .alert
            case "crit", "critical": self = .critical
            case "err", "error": self = .error
            case "warning", "warn": self = .warning
            case "notice": self = .notice
            case "info": self = .info
            case "debug": self = .debug
            default: return nil
            }
        }
    }

    private let threshold: JournaldLogHandler.Threshold
    private let sink: @Sendable (String) -> Void
    /// The swift-log logger behind this log (label `cutoverd`), for code that takes a `Logger`.
    public let logger: Logger

    public init(level: Level = .info, sink: @escaping @Sendable (String) -> Void = DaemonLog.standardError) {
        let threshold = JournaldLogHandler.Threshold(level.loggerLevel)
        self.threshold = threshold
        self.sink = sink
        logger = Logger(label: "cutoverd") { _ in JournaldLogHandler(threshold: threshold, sink: sink) }
    }

    /// The daemon's level; setting it (a reload) applies to every handler `makeHandler` made.
    /// `emergency` and `alert` have no swift-log level of their own and read back as `critical`.
    public var level: Level {
        get { Level(threshold.value) }
        set { threshold.value = newValue.loggerLevel }
    }

    /// A handler that writes where this log writes, at this log's level: `cutoverd` bootstraps
    /// swift-log with it so the libraries' loggers (`cutover.aws`, `cutover.engine`) join the journal.
    public func makeHandler(label: String) -> JournaldLogHandler {
        JournaldLogHandler(threshold: threshold, sink: sink)
    }

    /// Logs through swift-log; the fields keep the order they were given in.
    public func log(_ level: Level, _ message: String, _ fields: KeyValuePairs<String, String> = [:]) {
        var metadata: Logger.Metadata = [:]
        for (key, value) in fields { metadata[key] = .string(value) }
        if fields.count > 1 { metadata[JournaldLogHandler.fieldOrderKey] = .array(fields.map { .string($0.key) }) }
        logger.log(level: level.loggerLevel, "\(message)", metadata: metadata)
    }

    public func critical(_ message: String, _ fields: KeyValuePairs<String, String> = [:]) { log(.critical, message, fields) }
    public func error(_ message: String, _ fields: KeyValuePairs<String, String> = [:]) { log(.error, message, fields) }
    public func warning(_ message: String, _ fields: KeyValuePairs<String, String> = [:]) { log(.warning, message, fields) }
    public func notice(_ message: String, _ fields: KeyValuePairs<String, String> = [:]) { log(.notice, message, fields) }
    public func info(_ message: String, _ fields: KeyValuePairs<String, String> = [:]) { log(.info, message, fields) }
    public func debug(_ message: String, _ fields: KeyValuePairs<String, String> = [:]) { log(.debug, message, fields) }

    /// `<6>run started run=r-1 runbook="admin console"`; newlines in the message become spaces
    /// (one entry per line in the journal).
    public static func line(_ level: Level, _ message: String, _ fields: [(String, String)]) -> String {
        var text = "<\(level.rawValue)>" + message.replacingOccurrences(of: "\n", with: " ")
        for (key, value) in fields {
            let shown = isSecretKey(key) ? "[redacted]" : value
            text += " \(key)=\(quoted(shown))"
        }
        return text
    }

    static func isSecretKey(_ key: String) -> Bool {
        let lower = key.lowercased()
        return ["secret", "token", "password", "credential", "authorization", "signature"].contains { lower.contains($0) }
    }

    static func quoted(_ value: String) -> String {
        let plain = !value.isEmpty && value.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7F && $0 != "\"" && $0 != "=" }
        if plain { return value }
        let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
        return "\"\(escaped)\""
    }

    public static let standardError: @Sendable (String) -> Void = { line in
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
