import Engine
import Foundation
import Journal
import Runbook

/// Turns records into `AuditTimeline` entries and step summaries, one record at a time.
struct TimelineBuilder {
    let plan: RunbookPlan
    let accounts: [String: String]
    private var steps: [String: AuditTimeline.StepSummary] = [:]

    init(plan: RunbookPlan, accounts: [String: String]) {
        self.plan = plan
        self.accounts = accounts
        for step in plan.steps {
            steps[step.id] = AuditTimeline.StepSummary(
                id: step.id, title: step.title, type: step.type, account: step.account, mutating: step.effect == .mutating,
                irreversible: step.reversibility == .irreversible, startedAt: nil, endedAt: nil, durationSeconds: nil,
                outcome: "pending", attempts: 0, failures: 0, approvedBy: [], lastError: nil)
        }
    }

    func summaries() -> [AuditTimeline.StepSummary] { plan.steps.compactMap { steps[$0.id] } }

    private mutating func touch(_ id: String, at time: Date) {
        guard var step = steps[id] else { return }
        if step.startedAt == nil {
            step.startedAt = time
            step.outcome = "running"
        }
        steps[id] = step
    }

    private mutating func end(_ id: String, _ outcome: String, at time: Date) {
        touch(id, at: time)
        guard var step = steps[id] else { return }
        step.outcome = outcome
        step.endedAt = time
        step.durationSeconds = step.startedAt.map { time.timeIntervalSince($0) }
        steps[id] = step
    }

    /// `111111111111 (legacy)` for a runbook label, the text as given otherwise.
    func account(_ value: String?) -> String {
        guard let value else { return "no account" }
        if let id = accounts[value] { return "\(id) (\(value))" }
        if let label = accounts.first(where: { $0.value == value })?.key { return "\(value) (\(label))" }
        return value
    }

    mutating func entry(for record: JournalRecord) -> AuditTimeline.Entry {
        var entry = AuditTimeline.Entry(
            record: record.streamSequence, at: record.wallTime, kind: record.kind, step: nil, text: record.kind,
            actor: nil, aws: nil, attempt: nil, error: nil, due: nil)
        let person = AuditTimeline.person
        let time = AuditTimeline.time
        if record.kind == AuditCheckpoint.kind {
            if let checkpoint = try? AuditCheckpoint(record: record) {
                entry.text =
                    "signed checkpoint (\(checkpoint.reason.rawValue)) covering records 1–\(checkpoint.streamSequence), key \(checkpoint.keyId)"
            } else {
                entry.text = "audit.checkpoint record that does not decode"
            }
            return entry
        }
        let event: RunEvent?
        do {
            event = try RunEvent(record)
        } catch {
            entry.text = "\(record.kind) record that does not decode: \(error)"
            return entry
        }
        guard let event else {
            entry.text = "\(record.kind) (not a run event)"
            return entry
        }
        entry.step = event.stepId
        let at = record.wallTime
        switch event {
        case let .runCreated(e):
            entry.actor = e.initiator
            entry.text = "run created by \(person(e.initiator)): \(e.plan.steps.count) steps of \(e.plan.runbookName), plan \(e.planHash)"
        case let .runStatusChanged(e):
            entry.actor = e.by
            entry.text = "run \(e.status.rawValue) (\(e.reason)) by \(person(e.by))"
        case let .attemptStarted(e):
            touch(e.step, at: at)
            entry.attempt = e.attempt
            if e.phase == .forward, let attempts = steps[e.step]?.attempts { steps[e.step]?.attempts = max(attempts, e.attempt) }
            entry.text =
                "\(e.step): \(e.phase == .undo ? "undo " : "")attempt \(e.attempt) started"
                + (e.decision.map { " (after decision \($0))" } ?? "")
        case let .attemptSucceeded(e):
            entry.attempt = e.attempt
            end(e.step, e.phase == .undo ? "undone" : "succeeded", at: at)
            entry.text = "\(e.step): \(e.phase == .undo ? "undo " : "")attempt \(e.attempt) succeeded"
            let outputs = e.outputs.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            if !outputs.isEmpty { entry.text += " (" + outputs.joined(separator: ", ") + ")" }
        case let .attemptFailed(e):
            entry.attempt = e.attempt
            entry.error = e.error
            entry.due = e.nextAttemptAt
            steps[e.step]?.failures += 1
            steps[e.step]?.lastError = e.error.description
            entry.text = "\(e.step): \(e.phase == .undo ? "undo " : "")attempt \(e.attempt) failed: \(e.error)"
            if let next = e.nextAttemptAt {
                entry.text += "; retry at \(time(next))"
            } else {
                end(e.step, "failed", at: at)
                entry.text += "; no retry (\(e.exhausted ?? "not retryable"))"
            }
        case let .pollPending(e):
            touch(e.step, at: at)
            entry.attempt = e.attempt
            entry.due = e.nextPollAt
            entry.text = "\(e.step): not yet (\(e.progress)); next poll \(time(e.nextPollAt))"
        case let .attemptReconciled(e):
            entry.attempt = e.attempt
            entry.text =
                "\(e.step): attempt \(e.attempt) reconciled after a restart: \(e.finding.rawValue)"
                + (e.detail.map { " (\($0))" } ?? "")
            if e.finding == .done { end(e.step, e.phase == .undo ? "undone" : "succeeded", at: at) }
        case let .awsCall(e):
            entry.attempt = e.attempt
            entry.aws = e.call
            let call = e.call
            var text = "\(e.step): \(call.service) \(call.operation) in \(account(call.account))"
            if let region = call.region { text += " \(region)" }
            if let resource = call.resource { text += " on \(resource)" }
            text += " → \(call.outcome)"
            text += ", request ID \(call.requestId ?? "none")"
            if call.retries > 0 { text += ", \(call.retries) transport retr\(call.retries == 1 ? "y" : "ies")" }
            text += call.mutating ? " (mutation)" : " (read)"
            entry.text = text
        case let .timerSet(e):
            touch(e.step, at: at)
            entry.due = e.due
            entry.text =
                e.purpose == .wait
                ? "\(e.step): waiting until \(time(e.due)) (\(AuditTimeline.duration(e.due.timeIntervalSince(at))) forced wait)"
                : "\(e.step): approval deadline \(time(e.due))"
        case let .approvalRequested(e):
            touch(e.step, at: at)
            entry.due = e.deadline
            let approvers = e.policy.approvers.map(\.description).joined(separator: ", ")
            entry.text =
                "\(e.step): approval requested from \(approvers.isEmpty ? "anyone allowed" : approvers), \(e.policy.required) needed"
                + (e.message.map { ": \($0)" } ?? "")
        case let .approvalDecided(e):
            entry.actor = e.by
            if e.verdict == .approved { steps[e.step]?.approvedBy.append(e.by) }
            entry.text = "\(e.step): \(e.verdict.rawValue) by \(person(e.by))" + (e.comment.map { ": \"\($0)\"" } ?? "")
        case let .approvalSkipped(e):
            entry.text = e.summary
        case let .decisionRequested(e):
            entry.text = "\(e.step): decision needed (\(e.options.map(\.rawValue).joined(separator: " | "))): \(e.reason)"
        case let .decisionMade(e):
            entry.actor = e.by
            entry.text = "\(e.step): decision \(e.option) by \(person(e.by))" + (e.comment.map { ": \"\($0)\"" } ?? "")
        case let .operatorAction(e):
            entry.actor = e.by
            // Put back by hand after its undo failed: the step ends undone, the comment says how.
            if e.action == .markUndone, let step = e.step { end(step, "undone", at: at) }
            entry.text =
                "operator \(e.action.rawValue)" + (e.step.map { " of \($0)" } ?? "") + " by \(person(e.by))"
                + (e.comment.map { ": \"\($0)\"" } ?? "")
        case let .windowOverrun(e):
            entry.text = "maintenance window ended at \(time(e.windowEnd)) with work left: \(e.action.rawValue)"
        case let .guardChecked(e):
            entry.text = GuardChecked.summary(e)
        }
        return entry
    }
}
