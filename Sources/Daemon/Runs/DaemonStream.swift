import Foundation
import Journal

/// The journal's `daemon` stream: the daemon's own life, for the audit log — every start (with
/// systemd's invocation ID), stop and configuration reload.
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

    @discardableResult
    static func append<E: Encodable>(_ journal: Journal, kind: String, _ event: E, at time: Date) throws(JournalError) -> JournalRecord {
        try journal.append(stream: name, kind: kind, event: event, at: time)
    }
}
