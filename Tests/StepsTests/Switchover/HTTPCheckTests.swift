import AWSClient
import Engine
import Foundation
import Runbook
import Steps
import Synchronization
import TestSupport
import Testing

/// Issue 18: `http.check`, the health check after a switch-over, against a real loopback server
/// through libcurl, driven by the engine on the virtual clock.
@Suite struct HTTPCheckTests {
    static func plan(_ with: String) throws -> RunbookPlan {
        let runbook = try RunbookLoader(catalog: StepLibrary.catalog).load(
            text: """
                apiVersion: cutover/v1
                name: health
                region: us-east-1
                steps:
                  - id: health
                    uses: http.check
                    with: \(with)
                """, file: "health.yaml")
        return try RunbookPlanner(catalog: StepLibrary.catalog).plan(runbook, parameters: [:])
    }

    static func run(_ plan: RunbookPlan) async throws -> (EngineFixture, RunExecutor) {
        let fixture = try EngineFixture()
        var registry = StepRegistry()
        for (type, step) in SwitchoverSteps.executors() { registry.register(type, step) }
        fixture.registry = registry
        try fixture.reopen()
        let run = try await fixture.start(plan)
        return (fixture, run)
    }

    @Test func aHealthyAnswerCompletesTheStepWithItsStatus() async throws {
        let server = try LoopbackHTTPServer(handler: { _ in .text(200, "status: ok\n") })
        defer { server.stop() }
        let plan = try Self.plan("{ url: \"http://127.0.0.1:\(server.port)/health\", contains: ok }")
        let (fixture, run) = try await Self.run(plan)
        #expect(await fixture.driver.drive(run) == .finished(.completed))
        #expect(await run.state.steps["health"]?.outputs["status"] == "200")
        #expect(server.requests.map(\.path) == ["/health"])
    }

    @Test func aServiceThatComesUpLateIsRetriedUntilItAnswers() async throws {
        let answers = Mutex(0)
        let server = try LoopbackHTTPServer(handler: { _ in
            answers.withLock {
                $0 += 1
                return $0
            } < 3 ? .text(503, "maintenance") : .text(200, "ok")
        })
        defer { server.stop() }
        let plan = try Self.plan("{ url: \"http://127.0.0.1:\(server.port)/\", within: 2m, every: 10s }")
        let (fixture, run) = try await Self.run(plan)
        #expect(await fixture.driver.drive(run) == .finished(.completed))
        #expect(server.requests.count == 3)
        #expect(await run.state.steps["health"]?.attempts == 3)
    }

    @Test func aCheckThatNeverPassesStopsAfterItsLimitSayingWhatItSaw() async throws {
        let server = try LoopbackHTTPServer(handler: { _ in .text(200, "maintenance page") })
        defer { server.stop() }
        let plan = try Self.plan("{ url: \"http://127.0.0.1:\(server.port)/\", contains: healthy, within: 1m, every: 15s }")
        let (fixture, run) = try await Self.run(plan)
        #expect(await fixture.driver.drive(run) == .waitingForOperator)
        let step = try #require(await run.state.steps["health"])
        #expect(step.lastError?.code == "HealthCheckFailed")
        #expect(step.lastError?.message.contains("does not contain “healthy”") == true)
        #expect(step.lastError?.message.contains("maintenance page") == true)
        #expect((4...5).contains(server.requests.count), "\(server.requests.count) requests in a minute every 15 s")
    }

    @Test func aURLThatIsNotHTTPIsRefusedAtItsLine() throws {
        do {
            _ = try Self.plan("{ url: \"ftp://example.com/\", status: 999 }")
            Issue.record("planned")
        } catch let error as RunbookDiagnostics {
            #expect(error.diagnostics.map(\.code) == ["bad-value", "bad-value"])
            #expect(error.diagnostics.allSatisfy { $0.location.line == 7 })
        }
    }
}
