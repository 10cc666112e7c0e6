import Audit
import Foundation

/// The rehearsal report as one self-contained HTML file, styled as the audit report
/// (`AuditHTMLReport`): inline CSS, no scripts, no external assets, every text escaped.
extension RehearsalReport {
    public func html(generatedAt: Date) -> String {
        let e = Self.escape
        let d = RehearsalText.duration
        var html = HTMLReportPage.head(title: "Rehearsal report: \(runbook.name)", highlightedRow: "critical")
        html += "<h1>Rehearsal of <code>\(e(runbook.name))</code></h1>\n"
        html += "<p class=\"muted\">Runbook \(e(runbook.file)), plan <code>\(e(runbook.planHash))</code>, region \(e(runbook.region)). "
        html += "Time ×\(e(ProjectionRates.number(run.speed))), \(e(d(run.realSeconds))) real"
        if let simulated = run.simulatedSeconds { html += " for \(e(d(simulated))) simulated" }
        html += ". Report generated \(e(RehearsalText.time(generatedAt))).</p>\n"
        html +=
            run.succeeded
            ? "<div class=\"verdict ok\"><b>The unchanged runbook ran to its end on the twin.</b></div>\n"
            : "<div class=\"verdict bad\"><b>The run on the twin did not go through: \(e(run.status))</b><br>\(e(run.reason))</div>\n"

        html +=
            "<h2>Window projection (real time)</h2>\n<p>Whole run <b>\(e(d(window.totalSeconds)))</b> on the critical path; in-window work <b>\(e(d(window.inWindowSeconds)))</b>"
        if let length = window.windowSeconds, let spare = window.spareSeconds {
            html +=
                spare >= 0
                ? "; window \(e(d(length))): <span class=\"ok\">fits, \(e(d(spare))) to spare</span>"
                : "; window \(e(d(length))): <span class=\"bad\">does not fit, \(e(d(-spare))) over</span>"
        }
        html += ".<br><span class=\"muted\">Critical path:</span> <code>\(e(window.criticalPath.joined(separator: " → ")))</code></p>\n"

        html +=
            "<h2>Steps</h2>\n<table><tr><th>Step</th><th>Type</th><th>Account</th><th>Outcome</th><th>Simulated</th><th>Projected</th><th>Basis</th></tr>\n"
        for step in steps {
            let cls =
                ["failed", "awaiting-decision", "undo-failed"].contains(step.outcome)
                ? " class=\"bad\"" : step.outcome == "succeeded" ? " class=\"ok\"" : ""
            html +=
                "<tr\(step.onCriticalPath ? " class=\"critical\"" : "")><td><code>\(e(step.id))</code><br><span class=\"muted\">\(e(step.title))</span></td>"
            html +=
                "<td>\(e(step.type))\(step.pointOfNoReturn ? " <b>(point of no return)</b>" : "")</td><td>\(e(step.account ?? "–"))</td>"
            html += "<td\(cls)>\(e(step.outcome))\(step.error.map { "<br><span class=\"mono\">\(e($0))</span>" } ?? "")</td>"
            html += "<td>\(e(step.simulatedSeconds.map(d) ?? "–"))</td><td>\(e(d(step.projection.seconds)))</td>"
            html += "<td>\(e(step.projection.basis))<br><span class=\"muted\">\(e(step.projection.detail))</span></td></tr>\n"
        }
        html += "</table>\n<p class=\"muted\">Highlighted rows are on the critical path.</p>\n"

        html += "<h2>Failed, or would fail in the real run</h2>\n"
        html +=
            failures.isEmpty
            ? "<p class=\"ok\">Nothing.</p>\n"
            : "<ul>" + failures.map { "<li class=\"bad\">\($0.step.map { "<code>\(e($0))</code>: " } ?? "")\(e($0.error))</li>" }.joined()
                + "</ul>\n"

        html +=
            "<h2>Approvals answered by the rehearsal</h2>\n<table><tr><th>Simulated time</th><th>Step</th><th>The real run needs</th><th>Message</th></tr>\n"
        for approval in approvals {
            html += "<tr><td class=\"mono\">\(e(RehearsalText.time(approval.answeredAt)))</td><td><code>\(e(approval.step))</code>"
            html +=
                "\(approval.pointOfNoReturn ? " <b>(point of no return)</b>" : "")</td><td>\(e(approval.realPolicy))</td><td>\(e(approval.message ?? ""))</td></tr>\n"
        }
        html += "</table>\n"

        html += "<h2>Points of no return</h2>\n<table><tr><th>Step</th><th>Kind</th><th>On the twin</th><th>What</th></tr>\n"
        for point in pointsOfNoReturn {
            html +=
                "<tr><td><code>\(e(point.step))</code></td><td>\(e(point.reversibility))</td><td>\(point.reached ? "crossed" : "not reached")</td><td>\(e(point.title))</td></tr>\n"
        }
        html += "</table>\n"

        html += "<h2>Preflight on the twin</h2>\n<table><tr><th>Check</th><th>Account</th><th>Outcome</th><th>Detail</th></tr>\n"
        for finding in preflight {
            let cls = finding.outcome == "ok" ? "ok" : "bad"
            html +=
                "<tr><td>\(e(finding.check))</td><td>\(e(finding.account ?? "–"))</td><td class=\"\(cls)\">\(e(finding.outcome))</td><td>\(e(finding.detail))</td></tr>\n"
        }
        html += "</table>\n"
        if !discoveryProblems.isEmpty {
            html += "<h2>Discovery could not read</h2>\n<ul>" + discoveryProblems.map { "<li>\(e($0))</li>" }.joined() + "</ul>\n"
        }
        html += "<h2>Estimates</h2>\n<ul>" + basis.map { "<li>\(e($0))</li>" }.joined() + "</ul>\n"
        html += "<h2>Where the twin is not the real accounts</h2>\n<ul>" + fidelityGaps.map { "<li>\(e($0))</li>" }.joined() + "</ul>\n"
        html += "</body></html>\n"
        return html
    }

    static func escape(_ text: String) -> String { HTMLReportPage.escape(text) }
}
