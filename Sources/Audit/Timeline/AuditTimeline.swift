import Engine
import Foundation
import Journal
import Runbook

/// A run's history for people: who started it, each step with its times and attempts, every
/// approval with the OS identity behind it, every AWS call with its account and request ID (to
/// match CloudTrail), failures and retries, waits with their due times, operator decisions, and
/// the signed checkpoints. Built from the records alone (a bundle or a read-only journal), so it
/// shows exactly what the audit log holds; rendered as text (`text`), JSON (`json()`) and HTML
/// (`AuditHTMLReport`).
public struct AuditTimeline: Sendable, Codable {
    public var runId: String
    public var runbookName: String
    public var runbookFile: String
    public var planHash: String
    public var region: String
    /// Account labels of the runbook and their 12-digit IDs.
    public var accounts: [String: String]
    public var initiator: OperatorIdentity
    public var startedAt: Date
    /// When the run reached a terminal status; nil while it is in progress.
    public var endedAt: Date?
    public var status: String
    public var statusReason: String
    public var steps: [StepSummary]
    public var entries: [Entry]

    /// One planned step, as far as the run got with it.
    public struct StepSummary: Sendable, Codable, Hashable {
        public var id: String
        public var title: String
        public var type: String
        public var account: String?
        public var mutating: Bool
        public var irreversible: Bool
        /// First attempt, approval request or timer, whichever came first.
        public var startedAt: Date?
        /// Success, final failure or undo.
        public var endedAt: Date?
        public var durationSeconds: Double?
        /// `pending`, `running`, `succeeded`, `failed`, `undone`.
        public var outcome: String
        public var attempts: Int
        public var failures: Int
        public var approvedBy: [OperatorIdentity]
        public var lastError: String?
    }

    /// One record of the run, explained.
    public struct Entry: Sendable, Codable, Hashable {
        /// The record's position in the run's stream (what `audit verify` names).
        public var record: Int64
        public var at: Date
        /// The journal kind (`approval.decided`, `aws.call`, …).
        public var kind: String
        public var step: String?
        /// One line for people.
        public var text: String
        /// Who acted, for approvals, decisions, operator actions and status changes.
        public var actor: OperatorIdentity?
        public var aws: AWSCallRecord?
        public var attempt: Int?
        public var error: StepError?
        /// A due time: a forced wait's end, the next retry, an approval deadline.
        public var due: Date?
    }

    /// Entries that record an AWS mutation.
    public var awsMutations: [Entry] { entries.filter { $0.aws?.mutating == true } }
    /// Entries that record an approval verdict.
    public var approvals: [Entry] { entries.filter { $0.kind == "approval.decided" } }

    /// Builds the timeline of one run from its stream's records (in order; checkpoints included).
    public init(records: [JournalRecord]) throws(AuditError) {
        guard let first = records.first else { throw AuditError(.runNotFound, "no records") }
        guard case let .runCreated(created)? = try? RunEvent(first) else {
            throw AuditError(.runNotFound, "\(first.stream) record 1 is \(first.kind), not run.created: not a run")
        }
        runId = created.runId
        runbookName = created.plan.runbookName
        runbookFile = created.plan.runbookFile
        planHash = created.planHash
        region = created.plan.region
        accounts = Dictionary(
            created.plan.accounts.compactMap { spec in spec.accountId.map { (spec.name, $0) } }, uniquingKeysWith: { a, _ in a })
        initiator = created.initiator
        startedAt = first.wallTime
        status = RunStatus.running.rawValue
        statusReason = "started"
        var builder = TimelineBuilder(plan: created.plan, accounts: accounts)
        var entries: [Entry] = []
        for record in records {
            let entry = builder.entry(for: record)
            if record.kind == "run.status", case let .runStatusChanged(change)? = try? RunEvent(record) {
                status = change.status.rawValue
                statusReason = change.reason
                endedAt = change.status.isTerminal ? record.wallTime : nil
            }
            entries.append(entry)
        }
        self.entries = entries
        steps = builder.summaries()
    }

    /// The timeline as indented JSON (sorted keys, journal time format).
    public func json() throws(AuditError) -> String {
        let encoder = Journal.eventEncoder()
        encoder.outputFormatting.insert(.prettyPrinted)
        do {
            return String(decoding: try encoder.encode(self), as: UTF8.self)
        } catch {
            throw AuditError(.io, "cannot encode the timeline: \(error)")
        }
    }

    // MARK: Text

    /// The timeline as plain text, for `cutoverctl audit show`.
    public var text: String {
        var lines: [String] = []
        lines.append("Run \(runId): runbook \(runbookName) (\(runbookFile)), plan \(planHash), region \(region)")
        var status = "Started \(Self.time(startedAt)) by \(Self.person(initiator)); status \(self.status)"
        if let endedAt {
            status += " at \(Self.time(endedAt)) after \(Self.duration(endedAt.timeIntervalSince(startedAt)))"
        }
        lines.append(status + " (\(statusReason))")

        lines.append("")
        lines.append("Steps")
        let width = max(steps.map(\.id.count).max() ?? 0, 4)
        for step in steps {
            var line = "  " + step.id.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
            line += step.outcome.padding(toLength: 9, withPad: " ", startingAt: 0)
            if let start = step.startedAt {
                line += "  \(Self.time(start)) → \(step.endedAt.map(Self.time) ?? "…")"
            }
            if let seconds = step.durationSeconds { line += "  \(Self.duration(seconds))" }
            if step.attempts > 0 { line += ", \(step.attempts) attempt\(step.attempts == 1 ? "" : "s")" }
            if step.failures > 0 { line += ", \(step.failures) failed" }
            if !step.approvedBy.isEmpty { line += "; approved by " + step.approvedBy.map(Self.person).joined(separator: ", ") }
            lines.append(line)
        }

        lines.append("")
        lines.append("Approvals")
        if approvals.isEmpty { lines.append("  none") }
        for entry in approvals { lines.append("  \(Self.time(entry.at))  \(entry.text)") }

        lines.append("")
        lines.append("AWS mutations")
        if awsMutations.isEmpty { lines.append("  none") }
        for entry in awsMutations { lines.append("  \(Self.time(entry.at))  \(entry.text)") }

        lines.append("")
        lines.append("Timeline")
        let recordWidth = String(entries.last?.record ?? 0).count
        for entry in entries {
            let number = String(entry.record)
            lines.append(
                "  #" + String(repeating: " ", count: recordWidth - number.count) + number + "  \(Self.time(entry.at))  \(entry.text)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func time(_ date: Date) -> String { JournalTimestamp.format(date) }

    /// `alice (uid 1002)`, `root (uid 0; login alice, uid 1002)`.
    public static func person(_ identity: OperatorIdentity) -> String {
        var text = "\(identity.user) (uid \(identity.uid)"
        if let loginUser = identity.loginUser, loginUser != identity.user || identity.loginUid != identity.uid {
            text += "; login \(loginUser)" + (identity.loginUid.map { ", uid \($0)" } ?? "")
        } else if identity.loginUser == nil, let loginUid = identity.loginUid, loginUid != identity.uid {
            text += "; login uid \(loginUid)"
        }
        return text + ")"
    }

    /// `350ms`, `42s`, `5m 10s`, `1h 00m 41s`.
    public static func duration(_ seconds: Double) -> String {
        if seconds < 1 { return "\(Int((seconds * 1000).rounded()))ms" }
        let total = Int(seconds.rounded())
        let (h, m, s) = (total / 3600, total / 60 % 60, total % 60)
        if h > 0 { return "\(h)h \(m < 10 ? "0" : "")\(m)m \(s < 10 ? "0" : "")\(s)s" }
        if m > 0 { return "\(m)m \(s)s" }
        return "\(s)s"
    }
}
