import Foundation

/// Formatting shared by the text and HTML reports.
enum RehearsalText {
    /// `1h02m`, `4m30s`, `12s`, `0.4s`.
    static func duration(_ seconds: Double) -> String {
        if seconds < 10 && seconds != seconds.rounded() { return String(format: "%.1fs", seconds) }
        let total = Int(seconds.rounded())
        let (h, m, s) = (total / 3600, total % 3600 / 60, total % 60)
        if h > 0 { return m == 0 && s == 0 ? "\(h)h" : String(format: "%dh%02dm", h, m + (s >= 30 ? 1 : 0)) }
        if m > 0 { return s == 0 ? "\(m)m" : String(format: "%dm%02ds", m, s) }
        return "\(s)s"
    }

    static func time(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: false))
    }
}

extension RehearsalReport {
    /// The report for people, as `cutoverctl rehearse` prints it.
    public var text: String {
        var lines: [String] = []
        let verdict =
            run.succeeded
            ? "the unchanged runbook ran to its end on the twin"
            : "the run on the twin did NOT go through: \(run.status) (\(run.reason))"
        lines.append("Rehearsal of \(runbook.name) (\(runbook.file)), plan \(runbook.planHash.prefix(12)), region \(runbook.region)")
        lines.append("  \(verdict)")
        if !discoveryProblems.isEmpty {
            lines.append(
                "  discovery could not read \(discoveryProblems.count) thing(s): the twin lacks them, so some failures below may be the twin's, not the real run's"
            )
        }
        var timing = "  time ×\(ProjectionRates.number(run.speed)): \(RehearsalText.duration(run.realSeconds)) real"
        if let simulated = run.simulatedSeconds { timing += " for \(RehearsalText.duration(simulated)) simulated" }
        lines.append(timing)
        lines.append("")
        lines.append("Steps (simulated = on the twin; projected = real-time estimate, basis in brackets; * = critical path)")
        let rows =
            [["  step", "outcome", "simulated", "projected", "basis"]]
            + steps.map { step in
                [
                    (step.onCriticalPath ? "* " : "  ") + step.id + (step.pointOfNoReturn ? " (point of no return)" : ""),
                    step.outcome + (step.attempts > 1 ? " (\(step.attempts) attempts)" : ""),
                    step.simulatedSeconds.map(RehearsalText.duration) ?? "-",
                    RehearsalText.duration(step.projection.seconds),
                    step.projection.basis,
                ]
            }
        let widths = (0..<5).map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            var line = "  " + row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
            while line.hasSuffix(" ") { line.removeLast() }
            lines.append(line)
        }
        for step in steps where !["twin-duration", "twin-real-time", "runbook-estimate"].contains(step.projection.basis) {
            lines.append("    \(step.id): \(step.projection.detail)")
        }
        lines.append("")
        lines.append("Approvals answered by the rehearsal (\(approvals.count))")
        if approvals.isEmpty { lines.append("  none") }
        for approval in approvals {
            var line =
                "  \(approval.step)\(approval.pointOfNoReturn ? " (POINT OF NO RETURN)" : ""): the real run needs \(approval.realPolicy)"
            if let message = approval.message { line += " — \(message)" }
            lines.append(line)
        }
        lines.append("")
        lines.append("Points of no return")
        if pointsOfNoReturn.isEmpty { lines.append("  none") }
        for point in pointsOfNoReturn {
            lines.append(
                "  \(point.step) (\(point.reversibility))\(point.reached ? ", crossed on the twin" : ", not reached"): \(point.title)")
        }
        lines.append("")
        lines.append("Preflight on the twin")
        if preflight.isEmpty { lines.append("  no checks ran") }
        let problems = preflight.filter { $0.outcome != "ok" }
        if !preflight.isEmpty && problems.isEmpty { lines.append("  all \(preflight.count) checks ok") }
        for finding in problems {
            lines.append("  \(finding.outcome.uppercased()) \(finding.check)\(finding.account.map { " (\($0))" } ?? ""): \(finding.detail)")
        }
        if !discoveryProblems.isEmpty {
            lines.append("")
            lines.append("Discovery could not read (the twin lacks it)")
            lines += discoveryProblems.map { "  - \($0)" }
        }
        lines.append("")
        lines.append("Failed, or would fail in the real run")
        if failures.isEmpty { lines.append("  nothing") }
        for failure in failures {
            lines.append("  \(failure.step.map { "\($0): " } ?? "")\(failure.error)")
        }
        lines.append("")
        lines.append("Window projection (real time)")
        lines.append(
            "  whole run \(RehearsalText.duration(window.totalSeconds)) on the critical path; in-window work \(RehearsalText.duration(window.inWindowSeconds))"
        )
        if let length = window.windowSeconds, let spare = window.spareSeconds {
            lines.append(
                "  window \(RehearsalText.duration(length)): "
                    + (spare >= 0
                        ? "fits, \(RehearsalText.duration(spare)) to spare" : "DOES NOT FIT, \(RehearsalText.duration(-spare)) over"))
        }
        lines.append("  critical path: " + window.criticalPath.joined(separator: " → "))
        lines.append("")
        lines.append("Estimates (basis)")
        lines += basis.map { "  - \($0)" }
        lines.append("Where the twin is not the real accounts")
        lines += fidelityGaps.map { "  - \($0)" }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The `--output json` document: sorted keys, ISO 8601 dates.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(self)
    }
}
