import Foundation
import Journal

/// A run's audit report as one self-contained HTML file: inline CSS, no scripts, no external
/// assets (an auditor opens it from an e-mail or an evidence archive, often offline). Every text
/// that came from the journal is HTML-escaped, so a runbook message or an error text cannot inject
/// markup.
public struct AuditHTMLReport: Sendable {
    public var timeline: AuditTimeline
    /// The verification result to show at the top; nil renders "not verified".
    public var verification: AuditVerification?
    public var generatedAt: Date

    public init(timeline: AuditTimeline, verification: AuditVerification?, generatedAt: Date = Date()) {
        self.timeline = timeline
        self.verification = verification
        self.generatedAt = generatedAt
    }

    public func render() -> String {
        let t = timeline
        let e = Self.escape
        let time = AuditTimeline.time
        var html = HTMLReportPage.head(title: "Audit report: run \(t.runId)", highlightedRow: "mutation")
        html += "<h1>Run <code>\(e(t.runId))</code></h1>\n"
        html +=
            "<p class=\"muted\">Runbook <b>\(e(t.runbookName))</b> (\(e(t.runbookFile))), plan <code>\(e(t.planHash))</code>, region \(e(t.region)). Report generated \(e(time(generatedAt))).</p>\n"
        html +=
            "<p>Started \(e(time(t.startedAt))) by <b>\(e(AuditTimeline.person(t.initiator)))</b>; status <b>\(e(t.status))</b> (\(e(t.statusReason)))"
        if let end = t.endedAt {
            html += " at \(e(time(end))) after \(e(AuditTimeline.duration(end.timeIntervalSince(t.startedAt))))"
        }
        html += ".</p>\n"

        if let verification {
            let ok = verification.valid
            html += "<div class=\"verdict \(ok ? "ok" : "bad")\"><b>\(ok ? "Verified" : "VERIFICATION FAILED")</b><br><span class=\"mono\">"
            html += verification.description.split(separator: "\n").map { e(String($0)) }.joined(separator: "<br>")
            html += "</span></div>\n"
        } else {
            html += "<div class=\"verdict bad\">Not verified: run <code>cutoverctl audit verify</code> on the bundle.</div>\n"
        }

        html +=
            "<h2>Steps</h2>\n<table><tr><th>Step</th><th>Type</th><th>Account</th><th>Outcome</th><th>Start</th><th>End</th><th>Duration</th><th>Attempts</th><th>Approved by</th></tr>\n"
        for step in t.steps {
            let cls = step.outcome == "failed" ? " class=\"bad\"" : step.outcome == "succeeded" ? " class=\"ok\"" : ""
            html +=
                "<tr><td><code>\(e(step.id))</code><br><span class=\"muted\">\(e(step.title))</span></td><td>\(e(step.type))\(step.irreversible ? " <b>(irreversible)</b>" : "")</td>"
            html += "<td>\(e(step.account ?? "–"))</td><td\(cls)>\(e(step.outcome))</td>"
            html +=
                "<td class=\"mono\">\(e(step.startedAt.map(time) ?? "–"))</td><td class=\"mono\">\(e(step.endedAt.map(time) ?? "–"))</td>"
            html +=
                "<td>\(e(step.durationSeconds.map(AuditTimeline.duration) ?? "–"))</td><td>\(step.attempts)\(step.failures > 0 ? " (\(step.failures) failed)" : "")</td>"
            html += "<td>\(e(step.approvedBy.map(AuditTimeline.person).joined(separator: ", ")))</td></tr>\n"
        }
        html += "</table>\n"

        html += "<h2>Approvals and decisions</h2>\n<table><tr><th>Time</th><th>Step</th><th>Who</th><th>What</th></tr>\n"
        for entry in t.entries where entry.actor != nil && entry.kind != "run.created" {
            html += "<tr><td class=\"mono\">\(e(time(entry.at)))</td><td><code>\(e(entry.step ?? "–"))</code></td>"
            html += "<td>\(e(entry.actor.map(AuditTimeline.person) ?? ""))</td><td>\(e(entry.text))</td></tr>\n"
        }
        html += "</table>\n"

        html +=
            "<h2>AWS calls</h2>\n<table><tr><th>Time</th><th>Step</th><th>Call</th><th>Account</th><th>Region</th><th>Resource</th><th>Outcome</th><th>Request ID</th></tr>\n"
        for entry in t.entries {
            guard let call = entry.aws else { continue }
            html +=
                "<tr\(call.mutating ? " class=\"mutation\"" : "")><td class=\"mono\">\(e(time(entry.at)))</td><td><code>\(e(entry.step ?? "–"))</code></td>"
            html +=
                "<td>\(e(call.service)) \(e(call.operation))\(call.mutating ? " <b>(mutation)</b>" : "")</td><td>\(e(call.account ?? "–"))</td>"
            html +=
                "<td>\(e(call.region ?? "–"))</td><td class=\"mono\">\(e(call.resource ?? "–"))</td><td>\(e(call.outcome))\(call.retries > 0 ? " (\(call.retries) retries)" : "")</td>"
            html += "<td class=\"mono\">\(e(call.requestId ?? "–"))</td></tr>\n"
        }
        html += "</table>\n"

        html += "<h2>Full timeline</h2>\n<table><tr><th>#</th><th>Time</th><th>Kind</th><th>Event</th></tr>\n"
        for entry in t.entries {
            let failed = entry.error != nil
            html += "<tr><td>\(entry.record)</td><td class=\"mono\">\(e(time(entry.at)))</td><td class=\"mono\">\(e(entry.kind))</td>"
            html += "<td\(failed ? " class=\"bad\"" : "")>\(e(entry.text))</td></tr>\n"
        }
        html += "</table>\n</body></html>\n"
        return html
    }

    /// Escapes the five characters that matter in HTML text and attribute values.
    public static func escape(_ text: String) -> String { HTMLReportPage.escape(text) }
}
