import ControlProtocol
import Engine
import Foundation

/// `cutoverctl status` for people: where the run is, what each step is doing (the copy's
/// progress, the forced wait's countdown), the time left in the window, and — most important
/// during a cutover — who has to do what next, with the command to do it.
///
/// Countdowns are computed against the daemon's clock (`RunView.now`), not this host's: the
/// daemon's is the one the engine acts on (and demos scale it).
struct RunStatusRenderer {
    var style: Style

    func text(_ view: RunView) -> String {
        let run = view.run
        let now = view.now
        var lines: [String] = []
        lines.append(
            "Run \(style.bold(run.runId))  \(run.runbook)  \(RunStatusColour.apply(run.status, to: run.status.rawValue.uppercased(), style: style))  (\(run.reason))"
        )
        lines.append(
            "  plan \(run.planHash.prefix(12)) · started by \(run.initiator) at \(TimeText.time(run.createdAt)) · \(run.done) of \(run.steps.count) steps done"
        )
        lines.append("  " + window(run, now: now))

        lines.append("")
        lines.append(contentsOf: stepTable(run, now: now))

        if !view.pendingApprovals.isEmpty {
            lines.append("")
            lines.append(style.bold("Waiting for approval"))
            for approval in view.pendingApprovals { lines.append(contentsOf: self.approval(approval, run: run.runId, now: now)) }
        }
        if !view.pendingDecisions.isEmpty {
            lines.append("")
            lines.append(style.bold("Waiting for a decision"))
            for decision in view.pendingDecisions { lines.append(contentsOf: self.decision(decision, run: run.runId)) }
        }
        let next = nextActions(run)
        if !next.isEmpty {
            lines.append("")
            lines.append(contentsOf: next)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Time left in the maintenance window, against the daemon's clock.
    func window(_ run: RunSnapshot, now: Date) -> String {
        guard let end = run.windowEnd else { return "no maintenance window: steps may run at any time" }
        if let start = run.windowStart, now < start {
            return "window opens in \(TimeText.duration(start.timeIntervalSince(now))) (\(TimeText.time(start)) → \(TimeText.time(end)))"
        }
        let left = end.timeIntervalSince(now)
        if left <= 0 {
            return style.red("window closed \(TimeText.duration(left)) ago") + " (at \(TimeText.time(end)))"
        }
        let text = "window closes in \(TimeText.duration(left))"
        return (left < 30 * 60 ? style.yellow(text) : text) + " (at \(TimeText.time(end)))"
    }

    private func stepTable(_ run: RunSnapshot, now: Date) -> [String] {
        let idWidth = max(4, run.steps.map(\.id.count).max() ?? 0)
        let statusWidth = max(6, run.steps.map(\.status.rawValue.count).max() ?? 0)
        var lines = [
            style.bold(
                "STEP".padding(toLength: idWidth, withPad: " ", startingAt: 0) + "  "
                    + "STATUS".padding(toLength: statusWidth, withPad: " ", startingAt: 0) + "  DETAIL")
        ]
        for step in run.steps {
            let id = step.id.padding(toLength: idWidth, withPad: " ", startingAt: 0)
            let status = colour(step.status, step.status.rawValue.padding(toLength: statusWidth, withPad: " ", startingAt: 0))
            lines.append("\(id)  \(status)  \(detail(step, now: now))".trimmingTrailingSpaces())
        }
        return lines
    }

    func detail(_ step: RunSnapshot.Step, now: Date) -> String {
        var parts: [String] = []
        switch step.status {
        case .awaitingApproval:
            let required = step.approvalsRequired ?? 1
            parts.append("\(step.approvedBy.count) of \(required) approval\(required == 1 ? "" : "s")")
            if !step.approvedBy.isEmpty { parts.append("approved by \(step.approvedBy.joined(separator: ", "))") }
            if let deadline = step.nextAt { parts.append("times out \(countdown(deadline, now: now))") }
        case .awaitingDecision:
            parts.append("decision needed" + (step.decisionReason.map { ": \($0)" } ?? ""))
        case .waiting:
            if let progress = step.progress { parts.append(progress) }
            if let due = step.nextAt {
                let label = step.type == "wait" || step.attempts == 0 ? "waits" : "next attempt"
                parts.append("\(label) \(countdown(due, now: now))")
            }
        case .running, .undoing:
            parts.append(step.progress ?? "attempt \(max(step.attempts, 1))")
        case .succeeded, .undone:
            if let progress = step.progress { parts.append(progress) }
            if let finished = step.finishedAt { parts.append("at \(TimeText.clock(finished))") }
        case .failed, .undoFailed, .skippedAfterFailure, .pending:
            if let progress = step.progress, step.status != .pending { parts.append(progress) }
        }
        if step.attempts > 1 { parts.append("\(step.attempts) attempts") }
        if let error = step.lastError, step.status != .succeeded, step.status != .undone {
            parts.append(style.red(errorText(error)))
        }
        if step.irreversible && [.pending, .awaitingApproval, .running, .waiting].contains(step.status) {
            parts.append(style.yellow("irreversible"))
        }
        return parts.joined(separator: " · ")
    }

    /// `in 4m 05s (at 01:23:45)`, or `now (due 01:23:45)` once past.
    func countdown(_ due: Date, now: Date) -> String {
        let left = due.timeIntervalSince(now)
        return left > 0 ? "in \(TimeText.duration(left)) (at \(TimeText.clock(due)))" : "now (due \(TimeText.clock(due)))"
    }

    private func errorText(_ error: StepError) -> String {
        var text = "\(error.code): \(error.message)"
        var context: [String] = []
        if let account = error.account { context.append("account \(account)") }
        if let resource = error.resource { context.append(resource) }
        if let requestId = error.requestId { context.append("request \(requestId)") }
        if !context.isEmpty { text += " [\(context.joined(separator: ", "))]" }
        return text
    }

    private func approval(_ approval: PendingApproval, run: String, now: Date) -> [String] {
        var lines = [
            "  \(style.bold(approval.step))  \(approval.title)" + (approval.irreversible ? "  " + style.red("POINT OF NO RETURN") : "")
        ]
        if let message = approval.message { lines.append("    \(message)") }
        let who = approval.approvers.isEmpty ? "any approver" : approval.approvers.joined(separator: ", ")
        var rule = "needs \(approval.required) approval\(approval.required == 1 ? "" : "s") from \(who)"
        if approval.distinct && approval.required > 1 { rule += ", each by a different person" }
        rule += approval.initiatorMayApprove ? "; the initiator may approve" : "; not by the run's initiator"
        lines.append("    \(rule)")
        lines.append(
            "    approved so far: \(approval.approvedBy.isEmpty ? "nobody" : approval.approvedBy.joined(separator: ", ")) (\(approval.approvedBy.count) of \(approval.required))"
        )
        if let deadline = approval.deadline { lines.append("    times out \(countdown(deadline, now: now))") }
        lines.append(
            "    approve: " + style.cyan("cutoverctl approve \(run) \(approval.step)") + "   reject: "
                + style.cyan("cutoverctl reject \(run) \(approval.step) --comment WHY"))
        return lines
    }

    private func decision(_ decision: PendingDecision, run: String) -> [String] {
        [
            "  \(style.bold(decision.step))  \(decision.title)",
            "    \(decision.reason)",
            "    options: \(decision.options.joined(separator: ", "))",
            "    decide: " + style.cyan("cutoverctl decide \(run) \(decision.step) \(decision.options.first.map { $0 } ?? "OPTION")")
                + (decision.options.count > 1 ? "  (or another option)" : ""),
        ]
    }

    private func nextActions(_ run: RunSnapshot) -> [String] {
        var lines: [String] = []
        if run.status == .paused {
            lines.append(
                style.yellow("The run is paused.") + " Resume: " + style.cyan("cutoverctl resume \(run.runId)") + "  roll back: "
                    + style.cyan("cutoverctl rollback \(run.runId)"))
        }
        for step in run.steps where step.status == .failed {
            lines.append("Step \(step.id) failed. Retry: " + style.cyan("cutoverctl retry \(run.runId) \(step.id)"))
        }
        return lines
    }

    private func colour(_ status: StepState.Status, _ text: String) -> String {
        switch status {
        case .succeeded, .undone: return style.green(text)
        case .running, .undoing, .waiting: return style.cyan(text)
        case .awaitingApproval, .awaitingDecision, .skippedAfterFailure: return style.yellow(text)
        case .failed, .undoFailed: return style.red(text)
        case .pending: return style.dim(text)
        }
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
