import Foundation
import Runbook
import Testing

@Suite struct PlanRendererTests {
    static let text =
        RunbookFixtures.header + RunbookPlannerTests.accounts + """
            window: { start: "2026-12-01T01:00:00+09:00", end: "2026-12-01T05:00:00+09:00", onOverrun: pause }
            approvals: { approvers: ["group:cutover-approvers"], required: 1 }
            steps:
              - { id: maintenance-on, uses: approval, message: Maintenance on. }
              - id: move-images
                uses: test.move-thing
                with: { thing: admin-images, from: legacy, to: product, pause: 30m }
              - { id: touch, uses: test.touch, with: { name: n, account: product }, retry: { backoff: exponential, attempts: 3 } }
            """

    @Test func textShowsHeaderPrimitivesProjectionAndRollback() throws {
        let plan = try RunbookFixtures.plan(Self.text)
        let text = PlanRenderer().text(plan)
        #expect(text.contains("Plan for test (test.yaml)"))
        #expect(text.contains(String(plan.hash.prefix(12))))
        #expect(text.contains("ap-northeast-1"))
        #expect(text.contains("legacy = 111111111111"))
        #expect(text.contains("product = 222222222222"))
        #expect(text.contains("2026-11-30T16:00:00Z → 2026-11-30T20:00:00Z (4h), on overrun: pause"))

        let deleteLine = try #require(
            text.split(separator: "\n").first { $0.contains("move-images.delete-source") && $0.contains("MUT") })
        #expect(deleteLine.contains("legacy"))
        #expect(deleteLine.contains("IRREVERSIBLE"))
        #expect(deleteLine.contains("approval: 1 of group:cutover-approvers"))
        #expect(deleteLine.contains("in-window"))
        #expect(deleteLine.contains("30s"))
        let copyLine = try #require(text.split(separator: "\n").first { $0.contains("move-images.copy") })
        #expect(copyLine.contains("reversible") && !copyLine.contains("IRREVERSIBLE"))
        let verifyLine = try #require(text.split(separator: "\n").first { $0.contains("move-images.verify") })
        #expect(verifyLine.contains(" RO ") && verifyLine.contains("any-time"))

        // in-window: 5m approval + 30m copy + 30s delete + 1s touch (verify runs any time)
        #expect(text.contains("in-window work  35m31s on the critical path"))
        #expect(text.contains("4h: fits, 3h24m29s to spare"))
        #expect(
            text.contains(
                "after move-images.delete-source, rollback cannot restore: move-images.delete-source (Delete admin-images in legacy)"
            ))
    }

    @Test func textSaysWhenTheWindowCannotHoldTheWork() throws {
        let plan = try RunbookFixtures.plan(
            RunbookFixtures.header + """
                window: { start: "2026-12-01T01:00:00Z", end: "2026-12-01T01:10:00Z" }
                steps:
                  - { id: a, uses: approval }
                  - { id: b, uses: wait, with: { for: 1h } }
                """)
        let text = PlanRenderer().text(plan)
        #expect(text.contains("10m: DOES NOT FIT, 55m over"))
        #expect(text.contains("no irreversible primitive"))
    }

    @Test func jsonUsesSecondsAndISOTimes() throws {
        let plan = try RunbookFixtures.plan(Self.text)
        let json = PlanRenderer().json(plan)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["hash"] as? String == plan.hash)
        let window = try #require(object["window"] as? [String: Any])
        #expect(window["start"] as? String == "2026-11-30T16:00:00Z")
        #expect(window["length"] as? Double == 14_400)
        let steps = try #require(object["steps"] as? [[String: Any]])
        #expect(steps.count == 5)
        let copy = try #require(steps.first { $0["id"] as? String == "move-images.copy" })
        #expect(copy["estimatedDuration"] as? Double == 1800)
        #expect(copy["effect"] as? String == "mutating")
        let delete = try #require(steps.first { $0["id"] as? String == "move-images.delete-source" })
        let approval = try #require(delete["approval"] as? [String: Any])
        #expect(approval["approvers"] as? [String] == ["group:cutover-approvers"])
        let touch = try #require(steps.first { $0["id"] as? String == "touch" })
        let retry = try #require(touch["retry"] as? [String: Any])
        #expect(retry["backoff"] as? String == "exponential")
        #expect(retry["max"] as? Double == 30)
        let projection = try #require(object["projection"] as? [String: Any])
        #expect(projection["fits"] as? Bool == true)
        #expect(json.contains("\"accounts\" : ["))  // pretty-printed
        #expect(!json.contains("externalId\""))
    }
}
