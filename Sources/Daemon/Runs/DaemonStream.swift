import Foundation
import Journal

/// The journal's `daemon` stream: the daemon's own life, for the audit log — every start (with
/// systemd's invocation ID), stop and configuration reload, and every run continued after the
/// journal refused a write.
public enum DaemonStream {
    public static let name = "daemon"

    public struct Started: Codable, Sendable {
        public var version: String
        public var pid: Int32
        public var uid: UInt32
        public var invocationId: String?
        public var configFile: String?
        public var journalRecords: Int64
        public var socketActivated: Bool
        public var clockScale: Double
        public var auditKeyId: String
    }

    public struct Stopped: Codable, Sendable {
        public var reason: String
        public var runsLeftOpen: [String]
    }

    public struct Reloaded: Codable, Sendable {
        public var configFile: String?
        public var outcome: String
        public var changes: [String]
    }

    /// An operator continued a run that had stopped because the journal refused a write; also the
    /// probe that the journal takes writes again.
    public struct RunRecovered: Codable, Sendable {
        public var run: String
        public var by: String
        public var haltedAt: Date
        public var code: String
        public var sqliteCode: Int32?
    }

    @discardableResult
    static func append<E: Encodable>(_ journal: Journal, kind: String, _ event: E, at time: Date) throws(JournalError) -> JournalRecord {
        try journal.append(stream: name, kind: kind, event: event, at: time)
    }
}
