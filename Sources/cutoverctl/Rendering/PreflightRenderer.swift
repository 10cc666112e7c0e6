import ControlProtocol
import Foundation

/// The preflight findings under a plan: one line per check, failures first in the operator's eye.
struct PreflightRenderer {
    var style: Style

    func text(_ checks: [PreflightCheck]) -> String {
        guard !checks.isEmpty else { return "Preflight\n  (no checks for this runbook)\n" }
        var lines = ["Preflight"]
        let accountWidth = max(7, checks.map { ($0.account ?? "-").count }.max() ?? 0)
        let checkWidth = checks.map(\.check.count).max() ?? 0
        for check in checks {
            let outcome: String
            switch check.outcome {
            case .ok: outcome = style.green("ok     ")
            case .warning: outcome = style.yellow("warning")
            case .failed: outcome = style.red("FAILED ")
            }
            let account = (check.account ?? "-").padding(toLength: accountWidth, withPad: " ", startingAt: 0)
            let name = check.check.padding(toLength: checkWidth, withPad: " ", startingAt: 0)
            lines.append("  \(outcome)  \(account)  \(name)  \(check.detail)")
        }
        let failed = checks.filter { $0.outcome == .failed }.count
        let warnings = checks.filter { $0.outcome == .warning }.count
        lines.append("  \(checks.count) checks: \(failed) failed, \(warnings) warning(s)")
        return lines.joined(separator: "\n") + "\n"
    }
}
