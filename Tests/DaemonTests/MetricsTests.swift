import Daemon
import Foundation
import TestSupport
import Testing

/// `DaemonMetrics`: what `/metrics` serves, checked line by line, against a strict reading of the
/// text format 0.0.4 (`MetricsExposition`), and against Prometheus' own Python parser when it is
/// installed.
@Suite struct MetricsTests {
    func sample() -> DaemonMetrics {
        let metrics = DaemonMetrics(startTime: Date(timeIntervalSince1970: 1_700_000_000.5))
        metrics.setRuns(["running": 1, "paused": 2])
        metrics.setSteps(["succeeded": 7, "waiting": 1])
        metrics.awsCall(service: "s3", operation: "CreateBucket", outcome: "ok")
        metrics.awsCall(service: "s3", operation: "CreateBucket", outcome: "OperationAborted")
        metrics.awsCall(service: "s3", operation: "CreateBucket", outcome: "OperationAborted")
        metrics.retry(stepType: "s3.recreate-bucket")
        metrics.setWindowRemaining(run: "r-1", seconds: 5400.25)
        metrics.setApprovalsWaiting(1)
        metrics.setJournalRecords(Int64(42))
        metrics.notification(target: "webhook:hooks.slack.com", outcome: "sent")
        return metrics
    }

    @Test func rendersEveryFamilyWithHelpAndType() {
        #expect(
            sample().render() == """
                # HELP cutover_runs Runs known to the daemon, by state.
                # TYPE cutover_runs gauge
                cutover_runs{state="paused"} 2
                cutover_runs{state="running"} 1
                # HELP cutover_steps Steps of active runs, by state.
                # TYPE cutover_steps gauge
                cutover_steps{state="succeeded"} 7
                cutover_steps{state="waiting"} 1
                # HELP cutover_aws_calls_total AWS API calls made, by service, operation and outcome.
                # TYPE cutover_aws_calls_total counter
                cutover_aws_calls_total{service="s3",operation="CreateBucket",outcome="OperationAborted"} 2
                cutover_aws_calls_total{service="s3",operation="CreateBucket",outcome="ok"} 1
                # HELP cutover_step_retries_total Step attempts retried, by step type.
                # TYPE cutover_step_retries_total counter
                cutover_step_retries_total{step_type="s3.recreate-bucket"} 1
                # HELP cutover_window_remaining_seconds Seconds left in each active run's maintenance window.
                # TYPE cutover_window_remaining_seconds gauge
                cutover_window_remaining_seconds{run="r-1"} 5400.25
                # HELP cutover_approvals_waiting Approvals the daemon is waiting for.
                # TYPE cutover_approvals_waiting gauge
                cutover_approvals_waiting 1
                # HELP cutover_journal_records Records in the journal.
                # TYPE cutover_journal_records gauge
                cutover_journal_records 42
                # HELP cutover_journal_write_failures_total Journal writes refused (a run stopped), by journal error code.
                # TYPE cutover_journal_write_failures_total counter
                # HELP cutover_runs_halted Runs stopped because the journal refused a write, waiting for space and a resume.
                # TYPE cutover_runs_halted gauge
                cutover_runs_halted 0
                # HELP cutover_notifications_total Notification deliveries, by target and outcome.
                # TYPE cutover_notifications_total counter
                cutover_notifications_total{target="webhook:hooks.slack.com",outcome="sent"} 1
                # HELP cutover_daemon_start_time_seconds When the daemon started, in unix seconds.
                # TYPE cutover_daemon_start_time_seconds gauge
                cutover_daemon_start_time_seconds 1700000000.5

                """)
        #expect(DaemonMetrics.contentType == "text/plain; version=0.0.4; charset=utf-8")
    }

    @Test func aFreshRegistryStillDeclaresEveryFamily() throws {
        let families = try MetricsExposition.parse(DaemonMetrics().render())
        #expect(
            families.map(\.name) == [
                "cutover_runs", "cutover_steps", "cutover_aws_calls_total", "cutover_step_retries_total",
                "cutover_window_remaining_seconds", "cutover_approvals_waiting", "cutover_journal_records",
                "cutover_journal_write_failures_total", "cutover_runs_halted", "cutover_notifications_total",
                "cutover_daemon_start_time_seconds",
            ])
        #expect(families.first { $0.name == "cutover_approvals_waiting" }?.samples.first?.value == 0)
    }

    @Test func labelValuesAreEscapedAndReadBackIntact() throws {
        let metrics = DaemonMetrics()
        let awkward = "a \"quoted\" back\\slash\nand a new line, {braces}=, ünïcödé"
        metrics.setWindowRemaining(run: awkward, seconds: -12.5)
        metrics.awsCall(service: "s3", operation: awkward, outcome: "")
        let text = metrics.render()
        #expect(
            text.contains(#"cutover_window_remaining_seconds{run="a \"quoted\" back\\slash\nand a new line, {braces}=, ünïcödé"} -12.5"#))
        let families = try MetricsExposition.parse(text)
        let window = try #require(families.first { $0.name == "cutover_window_remaining_seconds" })
        #expect(window.samples.map(\.labels) == [["run": awkward]])
        #expect(window.samples.map(\.value) == [-12.5])
        let calls = try #require(families.first { $0.name == "cutover_aws_calls_total" })
        #expect(calls.samples.map(\.labels) == [["service": "s3", "operation": awkward, "outcome": ""]])
    }

    @Test func aStateThatDisappearsDropsToZero() throws {
        let metrics = DaemonMetrics()
        metrics.setRuns(["running": 2, "failed": 1])
        metrics.setRuns(["succeeded": 3])
        let runs = try #require(try MetricsExposition.parse(metrics.render()).first { $0.name == "cutover_runs" })
        #expect(runs.samples.map { "\($0.labels["state"]!)=\($0.value)" } == ["failed=0.0", "running=0.0", "succeeded=3.0"])
    }

    @Test func windowRemainingNilRemovesTheRun() throws {
        let metrics = DaemonMetrics()
        metrics.setWindowRemaining(run: "r-1", seconds: 60)
        metrics.setWindowRemaining(run: "r-2", seconds: 30)
        metrics.setWindowRemaining(run: "r-1", seconds: nil)
        let window = try #require(try MetricsExposition.parse(metrics.render()).first { $0.name == "cutover_window_remaining_seconds" })
        #expect(window.samples.map(\.labels) == [["run": "r-2"]])
    }

    @Test func concurrentUpdatesAreAllCounted() async throws {
        let metrics = DaemonMetrics()
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    for i in 0..<500 {
                        metrics.awsCall(service: "s3", operation: "CopyObject", outcome: "ok")
                        metrics.retry(stepType: "s3.copy-objects")
                        metrics.notification(target: "t\(worker % 2)", outcome: "sent")
                        metrics.setWindowRemaining(run: "r-\(worker)", seconds: Double(i))
                        if i % 50 == 0 { _ = metrics.render() }
                    }
                }
            }
        }
        #expect(metrics.awsCallCount(service: "s3", operation: "CopyObject", outcome: "ok") == 4000)
        #expect(metrics.notificationCount(target: "t0", outcome: "sent") == 2000)
        let families = try MetricsExposition.parse(metrics.render())
        #expect(families.first { $0.name == "cutover_step_retries_total" }?.samples.first?.value == 4000)
        #expect(families.first { $0.name == "cutover_window_remaining_seconds" }?.samples.count == 8)
    }

    @Test func specialValuesUseTheFormatsSpelling() throws {
        let metrics = DaemonMetrics()
        metrics.setWindowRemaining(run: "inf", seconds: .infinity)
        metrics.setWindowRemaining(run: "nan", seconds: .nan)
        metrics.setWindowRemaining(run: "big", seconds: 1e20)
        let text = metrics.render()
        #expect(text.contains("cutover_window_remaining_seconds{run=\"inf\"} +Inf\n"))
        #expect(text.contains("cutover_window_remaining_seconds{run=\"nan\"} NaN\n"))
        #expect(try MetricsExposition.parse(text).count == 11)
    }

    @Test func prometheusClientParserReadsTheExposition() async throws {
        // Not skipped when the parser is missing: scripts/bootstrap installs prometheus_client, and
        // a check that silently does not run is not a passing check (issue 21).
        try #require(await PythonPrometheusParser.isAvailable(), "needs python3 with prometheus_client: run scripts/bootstrap")
        let metrics = sample()
        metrics.setWindowRemaining(run: "a \"quoted\" back\\slash\nnew line", seconds: -1.5)
        let text = metrics.render()
        let parsed = try await PythonPrometheusParser.parse(text)
        // The parser drops `_total` from counter family names, as the OpenMetrics model does.
        #expect(parsed["cutover_aws_calls"]?.type == "counter")
        #expect(parsed["cutover_runs"]?.type == "gauge")
        #expect(parsed["cutover_runs"]?.samples.count == 2)
        #expect(
            parsed["cutover_aws_calls"]?.samples.contains {
                $0.name == "cutover_aws_calls_total" && $0.labels["outcome"] == "OperationAborted" && $0.value == 2
            } == true)
        #expect(
            parsed["cutover_window_remaining_seconds"]?.samples.contains {
                $0.labels["run"] == "a \"quoted\" back\\slash\nnew line" && $0.value == -1.5
            } == true)
        #expect(parsed["cutover_daemon_start_time_seconds"]?.samples.first?.value == 1_700_000_000.5)
        // Every family the exposition declares, no more and no fewer, as our own reader counts them.
        #expect(parsed.count == (try MetricsExposition.parse(text).count))
    }
}

/// Runs `prometheus_client.parser.text_string_to_metric_families` on an exposition and returns
/// what it understood, as JSON.
enum PythonPrometheusParser {
    struct Sample: Decodable {
        var name: String
        var labels: [String: String]
        var value: Double
    }
    struct Family: Decodable {
        var type: String
        var samples: [Sample]
    }

    static let script = """
        import json, sys
        from prometheus_client.parser import text_string_to_metric_families
        out = {}
        for family in text_string_to_metric_families(sys.stdin.read()):
            out[family.name] = {"type": family.type, "samples": [
                {"name": s.name, "labels": s.labels, "value": s.value} for s in family.samples]}
        print(json.dumps(out))
        """

    static func isAvailable() async -> Bool { (try? await run(["-c", "import prometheus_client"], input: "")) != nil }

    static func parse(_ exposition: String) async throws -> [String: Family] {
        try JSONDecoder().decode([String: Family].self, from: await run(["-c", script], input: exposition))
    }

    static func run(_ arguments: [String], input: String) async throws -> Data {
        try await runOffPool { try runWaiting(arguments, input: input) }
    }

    private static func runWaiting(_ arguments: [String], input: String) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw MetricsExposition.Problem(line: 0, message: "python3 exited \(process.terminationStatus)")
        }
        return output
    }
}
