import Foundation
import Runbook
import Testing

/// `window:` bounds given as `${params.NAME}` of `timestamp` parameters: one runbook file serves
/// every rehearsal and the real night, and no test or demo edits its text to move the window.
@Suite struct WindowParameterTests {
    static let runbook =
        RunbookFixtures.header + """
            window: { start: "${params.windowStart}", end: "${params.windowEnd}", onOverrun: rollback }
            parameters:
              windowStart: { type: timestamp }
              windowEnd: { type: timestamp }
            steps:
              - { id: go, uses: wait, with: { for: 1m } }
            """

    @Test func theWindowIsTakenFromTimestampParameters() throws {
        let plan = try RunbookFixtures.plan(
            Self.runbook, parameters: ["windowStart": "2031-03-01T01:00:00+09:00", "windowEnd": "2031-03-01T05:30:00+09:00"])
        let window = try #require(plan.window)
        #expect(window.start == RunbookTimestamp.parse("2031-02-28T16:00:00Z"))
        #expect(window.end.timeIntervalSince(window.start).rounded() == 16_200)
        #expect(window.onOverrun == .rollback)
        #expect(plan.parameters["windowStart"] == "2031-03-01T01:00:00+09:00")
        #expect(plan.steps.allSatisfy { $0.window == .inside })
    }

    @Test func aWindowFromParametersNeedsThemAtStart() throws {
        let diagnostics = try RunbookPlannerTests.planErrors(Self.runbook, parameters: ["windowStart": "2031-03-01T01:00:00Z"])
        #expect(diagnostics.map(\.code) == ["missing-parameter"])
        #expect(diagnostics.first?.message.contains("windowEnd") == true)
        #expect(diagnostics.first?.location.line == 7)
    }

    @Test func aWindowThatEndsBeforeItStartsIsRefusedAtTheEnd() throws {
        let diagnostics = try RunbookPlannerTests.planErrors(
            Self.runbook, parameters: ["windowStart": "2031-03-01T05:00:00Z", "windowEnd": "2031-03-01T01:00:00Z"])
        #expect(diagnostics.map(\.code) == ["bad-window"])
        #expect(diagnostics.first?.location.line == 4 && diagnostics.first?.location.column == 48)
    }

    @Test func aValueThatIsNotATimestampNamesTheParameter() throws {
        let diagnostics = try RunbookPlannerTests.planErrors(
            Self.runbook, parameters: ["windowStart": "tonight", "windowEnd": "2031-03-01T01:00:00Z"])
        #expect(diagnostics.map(\.code) == ["bad-timestamp"])
        #expect(diagnostics.first?.message.contains("`windowStart`") == true)
        #expect(diagnostics.first?.location.line == 6)
    }

    @Test func anUndeclaredOrMistypedParameterIsReportedAtItsUse() throws {
        let text =
            RunbookFixtures.header + """
                window: { start: "${params.opens}", end: "${params.closes}" }
                parameters:
                  closes: { type: duration, default: 4h }
                steps:
                  - { id: go, uses: wait, with: { for: 1m } }
                """
        let diagnostics = try RunbookPlannerTests.planErrors(text)
        try #require(diagnostics.map(\.code) == ["unknown-parameter", "wrong-type"])
        #expect(diagnostics[0].location.line == 4 && diagnostics[0].location.column == 18)
        #expect(diagnostics[0].hint?.contains("type: timestamp") == true)
        #expect(diagnostics[1].location.line == 6)
    }

    @Test func aWrittenWindowStillPlansWithoutParameters() throws {
        let runbook = try RunbookFixtures.load(
            RunbookFixtures.header + """
                window: { start: "2031-03-01T01:00:00+09:00", end: "2031-03-01T05:00:00+09:00" }
                steps:
                  - { id: go, uses: wait, with: { for: 1m } }
                """)
        let fixed = try #require(runbook.window?.fixed)
        #expect(fixed.end.timeIntervalSince(fixed.start).rounded() == 14_400)
        let plan = try RunbookFixtures.plan(runbook.source)
        #expect(plan.window?.start == RunbookTimestamp.parse("2031-02-28T16:00:00Z"))
    }
}
