import ControlProtocol
import Engine
import Foundation
import Journal
import Runbook

/// Follows every journaled record and turns it into what people outside the journal see:
/// Prometheus counters, notifications (approval or decision needed, step failed, run finished)
/// and systemd's STATUS= line.
actor RunObserver {
    let runs: DaemonRuns
    let metrics: DaemonMetrics
    let notifier: Notifier
    let systemd: SystemdNotifier
    let log: DaemonLog
    private var stepTypes: [String: [String: String]] = [:]

    init(runs: DaemonRuns, metrics: DaemonMetrics, notifier: Notifier, systemd: SystemdNotifier, log: DaemonLog) {
        self.runs = runs
        self.metrics = metrics
        self.notifier = notifier
        self.systemd = systemd
        self.log = log
    }

    func follow(_ records: AsyncStream<JournalRecord>) async {
        await updateStatus()
        for await record in records {
            metrics.setJournalRecords(record.sequence)
            guard record.stream != DaemonStream.name, let event = (try? RunEvent(record)).flatMap({ $0 }) else { continue }
            await observe(event, run: record.stream)
            if event.isStatusWorthy { await updateStatus() }
        }
    }

    private func observe(_ event: RunEvent, run runId: String) async {
        switch event {
        case let .awsCall(e):
            metrics.awsCall(service: e.call.service, operation: e.call.operation, outcome: e.call.outcome, count: e.call.callCount)
        case let .attemptFailed(e):
            if e.nextAttemptAt != nil {
                metrics.retry(stepType: await stepType(runId, e.step))
            } else if e.phase == .forward {
                await send(
                    .stepFailed, runId, step: e.step, title: "Step \(e.step) failed",
                    text: "\(e.error.code): \(e.error.message)\n\(e.exhausted ?? "no more attempts")."
                        + " Retry with `cutoverctl retry \(runId) \(e.step)` or roll back with `cutoverctl rollback \(runId)`.",
                    fields: ["error": e.error.code] + (e.error.requestId.map { ["requestId": $0] } ?? [:]))
            }
        case let .approvalRequested(e):
            let who = e.policy.approvers.map(\.description).joined(separator: ", ")
            await send(
                .approvalNeeded, runId, step: e.step, title: "Approval needed: \(e.step)",
                text: (e.message.map { "\($0)\n" } ?? "") + "Approvers: \(who) (\(e.policy.required) needed). "
                    + "Approve with `cutoverctl approve \(runId) \(e.step)`.",
                fields: ["approvers": who, "required": "\(e.policy.required)"])
        case let .decisionRequested(e):
            await send(
                .decisionNeeded, runId, step: e.step, title: "Decision needed: \(e.step)",
                text:
                    "\(e.reason)\nChoose with `cutoverctl decide \(runId) \(e.step) OPTION`, OPTION one of \(e.options.map(\.rawValue).joined(separator: ", ")).",
                fields: ["options": e.options.map(\.rawValue).joined(separator: ",")])
        case let .runStatusChanged(e) where e.status.isTerminal:
            stepTypes[runId] = nil  // a finished run retries nothing; keep nothing of it
            await send(
                .runFinished, runId, step: nil, title: "Run \(runId) \(e.status.rawValue)",
                text: "\(e.reason). Review it with `cutoverctl audit show \(runId)`.", fields: ["status": e.status.rawValue])
        default:
            break
        }
    }

    /// A run stopped because the journal refused a write: count it, page the operators, and
    /// show it in STATUS=. Runs on the daemon's memory only — the journal is what failed.
    func runHalted(_ halt: RunHalt) async {
        metrics.journalRefusal(code: halt.code)
        metrics.setRunsHalted(await runs.haltedRuns.count)
        await send(
            .runHalted, halt.runId, step: nil, title: "Run \(halt.runId) stopped: the journal could not be written",
            text: halt.message,
            fields: ["code": halt.code, "journal": halt.journal] + (halt.sqliteCode.map { ["sqlite": "\($0)"] } ?? [:]))
        await updateStatus()
    }

    func send(_ kind: CutoverNotification.Kind, _ runId: String, step: String?, title: String, text: String, fields: [String: String]) async
    {
        let runbook = (try? await runs.snapshot(of: runId).runbook) ?? ""
        await notifier.notify(
            CutoverNotification(kind: kind, runId: runId, runbook: runbook, step: step, title: title, text: text, fields: fields))
    }

    private func stepType(_ runId: String, _ step: String) async -> String {
        if let type = stepTypes[runId]?[step] { return type }
        guard let executor = try? await runs.executor(runId) else { return "unknown" }
        let types = Dictionary(await executor.state.plan.steps.map { ($0.id, $0.type) }, uniquingKeysWith: { a, _ in a })
        stepTypes[runId] = types
        return types[step] ?? "unknown"
    }

    /// `STATUS=r-…: 7/21 done; move-images.recreate waiting` — what `systemctl status` shows.
    func updateStatus() async {
        var parts: [String] = []
        for executor in await runs.active() {
            let snapshot = await executor.snapshot()
            let current = snapshot.steps.first { [.running, .waiting, .awaitingApproval, .awaitingDecision, .undoing].contains($0.status) }
            parts.append(
                "\(snapshot.runId) \(snapshot.status.rawValue) \(snapshot.done)/\(snapshot.steps.count)"
                    + (current.map { ": \($0.id) \($0.status.rawValue)" } ?? ""))
        }
        let halted = await runs.haltedRuns.keys.sorted()
        if !halted.isEmpty { parts.insert("STOPPED (journal cannot be written): \(halted.joined(separator: ", "))", at: 0) }
        systemd.status(parts.isEmpty ? "idle: no active runs" : parts.joined(separator: "; "))
    }
}

extension RunEvent {
    /// Events that change what STATUS= shows (not every AWS call).
    var isStatusWorthy: Bool {
        switch self {
        case .awsCall, .pollPending: return false
        default: return true
        }
    }
}

private func + (a: [String: String], b: [String: String]) -> [String: String] { a.merging(b) { x, _ in x } }
