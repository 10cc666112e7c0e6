import Audit
import Engine
import Foundation
import Journal
import TestSupport
import Testing

@Suite struct AuditTimelineTests {
    @Test func theTimelineShowsWhoApprovedEveryMutationRetriesWaitsAndDecisions() async throws {
        let fixture = try AuditRunFixture()
        try await fixture.runToCompletion()
        let timeline = try AuditTimeline(records: fixture.bundle().records)
        #expect(timeline.status == "completed")
        #expect(timeline.initiator == TestPeople.initiator)

        let approvals = timeline.approvals
        #expect(approvals.map(\.actor) == [TestPeople.alice, AuditRunFixture.sudoBob])
        #expect(approvals.map(\.step) == ["delete-source", "maintenance-off"])
        #expect(timeline.steps.first { $0.id == "delete-source" }?.approvedBy == [TestPeople.alice])

        let mutations = timeline.awsMutations
        #expect(mutations.contains { $0.aws?.requestId == "req-delete-source-1" && $0.aws?.account == "legacy" })
        #expect(mutations.contains { $0.aws?.requestId == "req-recreate-2" })

        let prepare = try #require(timeline.steps.first { $0.id == "prepare" })
        #expect(prepare.attempts == 2 && prepare.failures == 1 && prepare.outcome == "succeeded")
        #expect(prepare.durationSeconds == 10)
        let wait = try #require(timeline.entries.first { $0.kind == "timer.set" })
        let deleted = try #require(timeline.steps.first { $0.id == "delete-source" }?.endedAt)
        #expect(wait.due == deleted.addingTimeInterval(3600))
        #expect(timeline.entries.contains { $0.kind == "decision.made" && $0.actor == TestPeople.alice })

        let text = timeline.text
        #expect(text.contains("delete-source: approved by alice (uid 1002): \"staging copy verified\""))
        #expect(text.contains("maintenance-off: approved by root (uid 0; login bob, uid 1003)"))
        #expect(
            text.contains("fake test.delete in 111111111111 (legacy) test-1 on prepare → ok, request ID req-delete-source-1 (mutation)"))
        #expect(text.contains("prepare: attempt 1 failed: Throttling: scripted failure"))
        #expect(text.contains("forced wait"))
        #expect(text.contains("recreate: decision retry by alice (uid 1002)"))
        print(text)
    }

    @Test func theJSONTimelineDecodesBack() async throws {
        let fixture = try AuditRunFixture()
        try await fixture.runToCompletion()
        let timeline = try AuditTimeline(records: fixture.records())
        let decoded = try Journal.eventDecoder().decode(AuditTimeline.self, from: Data(timeline.json().utf8))
        #expect(decoded.entries == timeline.entries)
        #expect(decoded.steps == timeline.steps)
    }

    @Test func theHTMLReportIsSelfContainedAndEscapesJournalText() async throws {
        let fixture = try AuditRunFixture()
        try await fixture.runToCompletion()
        let bundle = try fixture.bundle()
        let verification = AuditVerifier.verify(bundle: bundle, pinnedKey: fixture.key.publicKey)
        let html = AuditHTMLReport(
            timeline: try AuditTimeline(records: bundle.records), verification: verification,
            generatedAt: fixture.engine.clock.now()
        ).render()
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("Turn &lt;maintenance&gt; off &amp; check &quot;/health&quot;"))
        #expect(!html.contains("<maintenance>"))
        for external in ["<script", "<link", "src=", "href=", "@import", "url("] { #expect(!html.contains(external)) }
        #expect(html.contains("req-delete-source-1"))
        #expect(html.contains(AuditHTMLReport.escape(verification.summary)))
        let path = fixture.engine.directory.appendingPathComponent("report.html")
        try html.write(to: path, atomically: true, encoding: .utf8)
        print("HTML report: \(path.path)")
    }
}

@Suite struct AuditTimelineMarkUndoneTests {
    /// A step put back by hand after its undo failed ends `undone` in the timeline, and the entry
    /// names who marked it and quotes what they did; the failed undo attempt stays in the record.
    @Test func aStepMarkedUndoneByHandEndsUndoneWithTheOperatorsAccount() async throws {
        let fixture = try EngineFixture()
        let (run, stop) = try await fixture.runPausedOnAFailedUndo()
        #expect(stop == .waitingForOperator)
        try await run.markUndone(step: "b", by: TestPeople.bob, comment: "deleted b by hand")
        #expect(await fixture.driver.drive(run) == .finished(.rolledBack))

        let timeline = try AuditTimeline(records: fixture.journal.records(stream: run.runId))
        #expect(timeline.steps.first { $0.id == "b" }?.outcome == "undone")
        #expect(timeline.steps.first { $0.id == "a" }?.outcome == "undone")
        let texts = timeline.entries.map(\.text)
        #expect(texts.contains { $0.contains("b: undo attempt 1 failed: AccessDenied") }, "\(texts)")
        #expect(texts.contains { $0.contains("operator mark-undone of b by bob") && $0.contains("\"deleted b by hand\"") }, "\(texts)")
        #expect(timeline.status == "rolled-back")
    }
}
