import CoreMetrics
import Daemon
import Foundation
import Testing

/// What libraries report through swift-metrics, as `/metrics` serves it: after the daemon's own
/// families, histograms with cumulative buckets, readable by our strict reader and by Prometheus'
/// own parser.
@Suite struct LibraryMetricsTests {
    func sample() -> DaemonMetrics {
        let metrics = DaemonMetrics(startTime: Date(timeIntervalSince1970: 1_700_000_000))
        let factory = DaemonMetricsFactory(metrics)
        let call = factory.makeTimer(
            label: "cutover_aws_call_duration_seconds",
            dimensions: [("service", "s3"), ("operation", "CreateBucket"), ("outcome", "ok")])
        call.recordNanoseconds(30_000_000)
        call.recordNanoseconds(2_000_000_000)
        factory.makeTimer(
            label: "cutover_step_duration_seconds",
            dimensions: [("step_type", "wait"), ("phase", "run"), ("outcome", "done")]
        ).recordNanoseconds(0)
        return metrics
    }

    @Test func timersBecomeHistogramsAfterTheDaemonsFamilies() throws {
        let text = sample().render()
        #expect(
            text.contains(
                """
                # HELP cutover_aws_call_duration_seconds AWS API call latency including retries, by service, operation and outcome.
                # TYPE cutover_aws_call_duration_seconds histogram
                cutover_aws_call_duration_seconds_bucket{service="s3",operation="CreateBucket",outcome="ok",le="0.005"} 0
                cutover_aws_call_duration_seconds_bucket{service="s3",operation="CreateBucket",outcome="ok",le="0.01"} 0
                cutover_aws_call_duration_seconds_bucket{service="s3",operation="CreateBucket",outcome="ok",le="0.025"} 0
                cutover_aws_call_duration_seconds_bucket{service="s3",operation="CreateBucket",outcome="ok",le="0.05"} 1
                cutover_aws_call_duration_seconds_bucket{service="s3",operation="CreateBucket",outcome="ok",le="0.1"} 1
                cutover_aws_call_duration_seconds_bucket{service="s3",operation="CreateBucket",outcome="ok",le="0.25"} 1
                cutover_aws_call_duration_seconds_bucket{service="s3",operation="CreateBucket",outcome="ok",le="0.5"} 1
                cutover_aws_call_duration_seconds_bucket{service="s3",operation="CreateBucket",outcome="ok",le="1"} 1
                cutover_aws_call_duration_seconds_bucket{service="s3",operation="CreateBucket",outcome="ok",le="2.5"} 2
                cutover_aws_call_duration_seconds_bucket{service="s3",operation="CreateBucket",outcome="ok",le="5"} 2
                cutover_aws_call_duration_seconds_bucket{service="s3",operation="CreateBucket",outcome="ok",le="10"} 2
                cutover_aws_call_duration_seconds_bucket{service="s3",operation="CreateBucket",outcome="ok",le="30"} 2
                cutover_aws_call_duration_seconds_bucket{service="s3",operation="CreateBucket",outcome="ok",le="60"} 2
                cutover_aws_call_duration_seconds_bucket{service="s3",operation="CreateBucket",outcome="ok",le="+Inf"} 2
                cutover_aws_call_duration_seconds_sum{service="s3",operation="CreateBucket",outcome="ok"} 2.03
                cutover_aws_call_duration_seconds_count{service="s3",operation="CreateBucket",outcome="ok"} 2

                """))
        let families = try MetricsExposition.parse(text)
        #expect(
            families.map(\.name).suffix(3) == [
                "cutover_daemon_start_time_seconds", "cutover_aws_call_duration_seconds", "cutover_step_duration_seconds",
            ])
        #expect(families.first { $0.name == "cutover_step_duration_seconds" }?.type == "histogram")
    }

    @Test func prometheusClientParserReadsTheHistograms() async throws {
        // Not skipped when the parser is missing: scripts/bootstrap installs prometheus_client, and
        // a check that silently does not run is not a passing check (issue 21).
        try #require(await PythonPrometheusParser.isAvailable(), "needs python3 with prometheus_client: run scripts/bootstrap")
        let parsed = try await PythonPrometheusParser.parse(sample().render())
        let calls = try #require(parsed["cutover_aws_call_duration_seconds"])
        #expect(calls.type == "histogram")
        #expect(calls.samples.contains { $0.name == "cutover_aws_call_duration_seconds_count" && $0.value == 2 })
        #expect(
            calls.samples.contains { $0.name == "cutover_aws_call_duration_seconds_bucket" && $0.labels["le"] == "0.05" && $0.value == 1 })
        #expect(parsed["cutover_step_duration_seconds"]?.type == "histogram")
    }
}
