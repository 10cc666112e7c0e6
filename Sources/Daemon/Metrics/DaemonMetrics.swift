import Foundation
import Synchronization

/// cutoverd's metrics, served as Prometheus text (format 0.0.4) on the control socket's `/metrics`.
///
/// One registry, safe to update from any thread or task (a `Mutex` guards it; every update is a
/// few dictionary operations, so nothing waits long). Label values are whatever the caller passes
/// — states, services, operations, step types, run IDs, target names — and are escaped on output.
///
/// Gauges by state (`cutover_runs`, `cutover_steps`) are set whole; a state that was reported
/// before and is missing from a later update drops to 0 instead of vanishing, so a dashboard sees
/// "no runs failed" rather than a gap.
public final class DaemonMetrics: Sendable {
    private struct State {
        var runs: [String: Int] = [:]
        var steps: [String: Int] = [:]
        var awsCalls: [[String]: Int] = [:]
        var retries: [String: Int] = [:]
        var windowRemaining: [String: Double] = [:]
        var approvalsWaiting = 0
        var journalRecords = 0
        var notifications: [[String]: Int] = [:]
        var journalRefusals: [String: Int] = [:]
        var runsHalted = 0
    }

    /// The `Content-Type` to serve `render()` with.
    public static let contentType = PrometheusText.contentType

    private let state = Mutex(State())
    /// What libraries report through swift-metrics (`DaemonMetricsFactory`), rendered after these.
    public let library = LibraryMetrics()
    /// When the daemon started, unix seconds.
    public let startTime: Double

    public init(startTime: Date = Date()) {
        self.startTime = startTime.timeIntervalSince1970
    }

    // MARK: Updates

    /// One AWS API call finished; `outcome` is e.g. `ok`, `error`, `throttled`, or an error code.
    public func awsCall(service: String, operation: String, outcome: String, count: Int = 1) {
        state.withLock { $0.awsCalls[[service, operation, outcome], default: 0] += count }
    }

    /// A step of `stepType` (`s3.recreate-bucket`, …) is being tried again.
    public func retry(stepType: String) {
        state.withLock { $0.retries[stepType, default: 0] += 1 }
    }

    /// The number of runs in each state (`running`, `paused`, `succeeded`, …).
    public func setRuns(_ byState: [String: Int]) {
        state.withLock { Self.replace(&$0.runs, with: byState) }
    }

    /// The number of steps in each state, over the active runs.
    public func setSteps(_ byState: [String: Int]) {
        state.withLock { Self.replace(&$0.steps, with: byState) }
    }

    /// Seconds left in `run`'s maintenance window (negative once past it); nil removes the run's
    /// series (the run ended or has no window).
    public func setWindowRemaining(run: String, seconds: Double?) {
        state.withLock { $0.windowRemaining[run] = seconds }
    }

    public func setApprovalsWaiting(_ count: Int) {
        state.withLock { $0.approvalsWaiting = count }
    }

    public func setJournalRecords(_ count: some BinaryInteger) {
        let count = Int(clamping: count)
        state.withLock { $0.journalRecords = count }
    }

    /// One notification delivery to `target` finished; `outcome` is `sent`, `failed` or `dropped`.
    public func notification(target: String, outcome: String) {
        state.withLock { $0.notifications[[target, outcome], default: 0] += 1 }
    }

    /// The journal refused a write and a run stopped; `code` is the journal's (`DiskFull`, …).
    public func journalRefusal(code: String) {
        state.withLock { $0.journalRefusals[code, default: 0] += 1 }
    }

    /// Runs stopped right now because the journal refused a write.
    public func setRunsHalted(_ count: Int) {
        state.withLock { $0.runsHalted = count }
    }

    private static func replace(_ gauge: inout [String: Int], with values: [String: Int]) {
        for key in gauge.keys { gauge[key] = 0 }
        gauge.merge(values) { _, new in new }
    }

    // MARK: Reads

    /// The value of one counter series, for tests and health checks.
    public func notificationCount(target: String, outcome: String) -> Int {
        state.withLock { $0.notifications[[target, outcome]] ?? 0 }
    }

    public func journalRefusalCount(code: String) -> Int {
        state.withLock { $0.journalRefusals[code] ?? 0 }
    }

    public func awsCallCount(service: String, operation: String, outcome: String) -> Int {
        state.withLock { $0.awsCalls[[service, operation, outcome]] ?? 0 }
    }

    /// Every metric in Prometheus' text format 0.0.4, series sorted by label values so the output
    /// is stable.
    public func render() -> String {
        let s = state.withLock { $0 }
        var out = ""
        func family(_ name: String, _ type: String, _ help: String, _ samples: [(labels: [(name: String, value: String)], value: Double)]) {
            out += "# HELP \(name) \(PrometheusText.escapeHelp(help))\n"
            out += "# TYPE \(name) \(type)\n"
            for sample in samples {
                out += "\(name)\(PrometheusText.labels(sample.labels)) \(PrometheusText.value(sample.value))\n"
            }
        }
        func byKey(_ values: [String: Int], _ label: String) -> [(labels: [(name: String, value: String)], value: Double)] {
            values.sorted { $0.key < $1.key }.map { ([(label, $0.key)], Double($0.value)) }
        }
        func byKeys(_ values: [[String]: Int], _ labels: [String]) -> [(labels: [(name: String, value: String)], value: Double)] {
            values.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map { entry in
                (Array(zip(labels, entry.key)).map { (name: $0.0, value: $0.1) }, Double(entry.value))
            }
        }

        family("cutover_runs", "gauge", "Runs known to the daemon, by state.", byKey(s.runs, "state"))
        family("cutover_steps", "gauge", "Steps of active runs, by state.", byKey(s.steps, "state"))
        family(
            "cutover_aws_calls_total", "counter", "AWS API calls made, by service, operation and outcome.",
            byKeys(s.awsCalls, ["service", "operation", "outcome"]))
        family("cutover_step_retries_total", "counter", "Step attempts retried, by step type.", byKey(s.retries, "step_type"))
        family(
            "cutover_window_remaining_seconds", "gauge", "Seconds left in each active run's maintenance window.",
            s.windowRemaining.sorted { $0.key < $1.key }.map { ([("run", $0.key)], $0.value) })
        family("cutover_approvals_waiting", "gauge", "Approvals the daemon is waiting for.", [([], Double(s.approvalsWaiting))])
        family("cutover_journal_records", "gauge", "Records in the journal.", [([], Double(s.journalRecords))])
        family(
            "cutover_journal_write_failures_total", "counter", "Journal writes refused (a run stopped), by journal error code.",
            byKey(s.journalRefusals, "code"))
        family(
            "cutover_runs_halted", "gauge", "Runs stopped because the journal refused a write, waiting for space and a resume.",
            [([], Double(s.runsHalted))])
        family(
            "cutover_notifications_total", "counter", "Notification deliveries, by target and outcome.",
            byKeys(s.notifications, ["target", "outcome"]))
        family("cutover_daemon_start_time_seconds", "gauge", "When the daemon started, in unix seconds.", [([], startTime)])
        return out + library.render()
    }
}
