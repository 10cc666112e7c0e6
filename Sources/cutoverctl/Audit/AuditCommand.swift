import ArgumentParser

/// `cutoverctl audit …`: the audit log, offline. Reads the journal in cutoverd's state directory
/// read-only (or an exported bundle); needs no daemon and never changes anything.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Review, verify and export the audit log, offline.",
        discussion: """
            These commands read cutoverd's journal (journal.db), checkpoint anchor log \
            (checkpoints.jsonl) and key (audit.key) in the state directory: --state-dir, else \
            $CUTOVER_STATE_DIRECTORY, else /var/lib/cutover. The journal is opened read-only, so they \
            are safe beside a running daemon. The directory belongs to cutoverd's user: run them with \
            sudo, on a copy, or on an exported bundle.
            """,
        subcommands: [AuditShowCommand.self, AuditVerifyCommand.self, AuditExportCommand.self, AuditKeyCommand.self])
}
