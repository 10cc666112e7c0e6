import Foundation

/// The files in cutoverd's state directory (`StateDirectory=cutover`, /var/lib/cutover), which
/// `cutoverctl audit` reads offline.
public struct StateLayout: Sendable, Equatable {
    public var directory: String

    public init(directory: String) { self.directory = directory }

    /// The SQLite journal: every run's events and the daemon's own stream.
    public var journal: String { path("journal.db") }
    /// The Ed25519 audit key, generated on first start unless systemd passes one.
    public var auditKey: String { path("audit.key") }
    /// The append-only log of signed checkpoints (outside the journal, so truncating the journal shows).
    public var checkpointAnchors: String { path("checkpoints.jsonl") }

    /// `CUTOVER_STATE_DIRECTORY`, else systemd's `STATE_DIRECTORY`, else /var/lib/cutover.
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit = environment["CUTOVER_STATE_DIRECTORY"], !explicit.isEmpty { return explicit }
        if let systemd = environment["STATE_DIRECTORY"], !systemd.isEmpty {
            return String(systemd.split(separator: ":").first ?? Substring(systemd))
        }
        return "/var/lib/cutover"
    }

    private func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }
}
