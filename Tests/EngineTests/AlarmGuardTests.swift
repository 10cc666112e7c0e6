import Engine
import Foundation
import Runbook
import Synchronization
import TestSupport
import Testing

/// The alarm guard's place in the engine, with a scripted reader: what is gated (a step's first
/// attempt, every attempt of a point of no return; not retries, not rollback), that it fails
/// closed, and that the clearance does not survive a restart. CloudWatch itself is in
/// Tests/StepsTests/Generic/AlarmGuardMotoTests.
@Suite struct AlarmGuardTests {
    /// Answers from a script, one per read (the last repeats); counts reads.
    final class ScriptedGuard: RunGuard {
        let answers: Mutex<[GuardReading]>
        let reads = Mutex(0)
        init(_ answers: [GuardReading]) { self.answers = Mutex(answers) }
        func read(_ spec: RunGuardSpec) async -> GuardReading {
            reads.withLock { $0 += 1 }
            return answers.withLock { $0.count > 1 ? $0.removeFirst() : $0[0] }
        }
    }

    static let spec = RunGuardSpec(alarms: ["admin-5xx"], account: "legacy")
    static func reading(_ state: String, since: String = "2026-12-01T01:00:00Z") -> GuardReading {
        GuardReading(account: "legacy (111111111111)", alarms: [.init(name: "admin-5xx", state: state, reason: "spike", since: since)])
    }

    static func plan(_ build: (inout TestPlan) -> Void) -> RunbookPlan {
        var plan = TestPlan()
        build(&plan)
        var built = plan.build()
        built.runGuard = spec
        return built
    }

    static func guardChecks(_ fixture: EngineFixture, _ run: RunExecutor) throws -> [GuardChecked] {
        try fixture.events(run.runId).compactMap { if case .guardChecked(let e) = $0.0 { return e } else { return nil } }
    }

    @Test func aRunWithAGuardAndNoReaderPausesBeforeItsFirstStep() async throws {
        let fixture = try EngineFixture()
        let run = try await fixture.start(Self.plan { $0.add("one") })
        #expect(await fixture.driver.drive(run) == .waitingForOperator)
        #expect(await run.state.status == .paused)
        #expect(await run.state.statusReason.contains("could not be read before one"))
        #expect(fixture.world.count("one") == 0)
        #expect(try Self.guardChecks(fixture, run).map(\.verdict) == [.unreadable])
    }

    @Test func retriesAreNotGatedButEveryAttemptOfAPointOfNoReturnIs() async throws {
        let fixture = try EngineFixture()
        let reader = ScriptedGuard([Self.reading("OK")])
        fixture.registry.runGuard = reader
        try fixture.reopen()
        fixture.world.script("flaky", ["ServiceUnavailable", "ServiceUnavailable"])
        fixture.world.script("delete", ["ServiceUnavailable"])
        let retry = RetryPolicy(backoff: .fixed(interval: .seconds(10)), maxAttempts: 3, retryOn: ["ServiceUnavailable"])
        let run = try await fixture.start(
            Self.plan {
                $0.add("flaky", retry: retry)
                $0.add("delete", irreversible: true, retry: retry)
            })
        #expect(
            await fixture.driver.drive(
                run,
                onIdle: { run in
                    (try? await run.approve(step: "delete", by: TestPeople.alice)) != nil
                }) == .finished(.completed))
        let checks = try Self.guardChecks(fixture, run)
        #expect(checks.map(\.before) == [["flaky"], ["delete"], ["delete"]], "flaky once; delete before each of its two attempts")
        #expect(checks.map(\.pointOfNoReturn) == [false, true, true])
        #expect(reader.reads.withLock { $0 } == 3)
    }

    @Test func rollbackIsNotGatedByAnAlarm() async throws {
        let fixture = try EngineFixture()
        fixture.registry.runGuard = ScriptedGuard([Self.reading("OK"), Self.reading("ALARM")])
        try fixture.reopen()
        let run = try await fixture.start(
            Self.plan {
                $0.add("one")
                $0.add("two")
            })
        #expect(await fixture.driver.drive(run) == .waitingForOperator)
        #expect(await run.state.statusReason.contains("admin-5xx is in ALARM in account legacy (111111111111): spike"))
        #expect(fixture.world.exists("one") && fixture.world.count("two") == 0)
        try await run.rollback(by: TestPeople.alice, comment: "the alarm says so")
        #expect(await fixture.driver.drive(run) == .finished(.rolledBack))
        #expect(!fixture.world.exists("one"))
    }

    @Test func aRestartReadsTheGuardAgainBeforeLaunching() async throws {
        let fixture = try EngineFixture()
        let reader = ScriptedGuard([Self.reading("OK")])
        fixture.registry.runGuard = reader
        try fixture.reopen()
        let run = try await fixture.start(Self.plan { $0.add("one") })
        // 1 run.created, 2 guard.checked; the process dies before attempt.started (append 3).
        fixture.journal.faults.crash(atAppend: fixture.journal.faults.appendsAttempted + 2)
        #expect(await fixture.driver.drive(run) == .halted)
        try fixture.reopen()
        let resumed = try #require(try await fixture.engine.resumeAll().first)
        #expect(await fixture.driver.drive(resumed) == .finished(.completed))
        #expect(try Self.guardChecks(fixture, resumed).map(\.verdict) == [.clear, .clear])
        #expect(fixture.world.count("one") == 1)
    }
}
