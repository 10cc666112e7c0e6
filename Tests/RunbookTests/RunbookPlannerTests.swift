import Foundation
import Runbook
import Testing

@Suite struct RunbookPlannerTests {
    static let accounts = """
        accounts:
          legacy: { role: "arn:aws:iam::111111111111:role/CutoverSource" }
          product: { role: "arn:aws:iam::222222222222:role/CutoverTarget" }

        """

    static func planErrors(_ text: String, parameters: [String: String] = [:]) throws -> [RunbookDiagnostic] {
        let runbook = try RunbookFixtures.load(text)
        do {
            _ = try RunbookPlanner(catalog: TestCatalog.catalog).plan(runbook, parameters: parameters)
            return []
        } catch {
            return error.diagnostics
        }
    }

    @Test func theListIsASequence() throws {
        let plan = try RunbookFixtures.plan(
            RunbookFixtures.header
                + "steps:\n  - { id: a, uses: approval }\n  - { id: b, uses: approval }\n  - { id: c, uses: approval }\n"
        )
        #expect(plan.steps.map(\.id) == ["a", "b", "c"])
        #expect(plan.steps.map(\.dependsOn) == [[], ["a"], ["b"]])
    }

    @Test func parallelBranchesStartTogetherAndJoin() throws {
        let plan = try RunbookFixtures.plan(
            RunbookFixtures.header + """
                steps:
                  - { id: a, uses: approval }
                  - parallel:
                      - { id: b, uses: approval }
                      - - { id: c, uses: approval }
                        - { id: d, uses: approval }
                  - { id: e, uses: approval }
                """)
        #expect(plan.steps.map(\.id) == ["a", "b", "c", "d", "e"])
        #expect(plan.step("b")?.dependsOn == ["a"])
        #expect(plan.step("c")?.dependsOn == ["a"])
        #expect(plan.step("d")?.dependsOn == ["c"])
        #expect(plan.step("e")?.dependsOn == ["b", "d"])
    }

    @Test func needsAddsAnEdgeFromTheFirstPrimitiveToTheLastOfTheNamedStep() throws {
        let plan = try RunbookFixtures.plan(
            RunbookFixtures.header + Self.accounts + """
                steps:
                  - parallel:
                      - id: move
                        uses: test.move-thing
                        with: { thing: t, from: legacy, to: product }
                      - id: touch
                        uses: test.touch
                        with: { name: n, account: product }
                        needs: [move]
                """)
        #expect(plan.step("touch")?.dependsOn == ["move.verify"])
        // `touch` comes first in file order among nothing: it waits, so the composite goes first.
        #expect(plan.steps.map(\.id) == ["move.copy", "move.delete-source", "move.verify", "touch"])
    }

    @Test func orderIsTopologicalAndOtherwiseFileOrder() throws {
        let plan = try RunbookFixtures.plan(
            RunbookFixtures.header + """
                steps:
                  - parallel:
                      - { id: x, uses: approval, needs: [z] }
                      - { id: y, uses: approval }
                      - { id: z, uses: approval }
                  - { id: w, uses: approval }
                """)
        #expect(plan.steps.map(\.id) == ["y", "z", "x", "w"])
        for (index, step) in plan.steps.enumerated() {
            for dependency in step.dependsOn {
                #expect(plan.steps.firstIndex { $0.id == dependency }! < index)
            }
        }
    }

    @Test func compositesExpandIntoAChainOfNamedPrimitives() throws {
        let plan = try RunbookFixtures.plan(
            RunbookFixtures.header + Self.accounts + """
                steps:
                  - id: move-images
                    uses: test.move-thing
                    with: { thing: admin-images, from: legacy, to: product }
                """)
        #expect(plan.steps.map(\.id) == ["move-images.copy", "move-images.delete-source", "move-images.verify"])
        #expect(plan.steps.allSatisfy { $0.origin == "move-images" })
        #expect(plan.steps.map(\.dependsOn) == [[], ["move-images.copy"], ["move-images.delete-source"]])
        #expect(plan.steps.map(\.account) == ["product", "legacy", "product"])
        #expect(plan.steps.map(\.type) == ["test.copy", "test.delete", "test.verify"])
        #expect(plan.steps[0].inputs == .object([("thing", .string("admin-images"))]))
    }

    @Test func irreversiblePrimitivesAreAlwaysGated() throws {
        let plan = try RunbookFixtures.plan(
            RunbookFixtures.header + Self.accounts + """
                steps:
                  - id: move
                    uses: test.move-thing
                    with: { thing: t, from: legacy, to: product }
                """)
        #expect(plan.step("move.copy")?.approval == nil)
        #expect(plan.step("move.delete-source")?.approval == ApprovalPolicy())
        #expect(plan.step("move.verify")?.approval == nil)
    }

    @Test func aStepsApprovalOverridesTheRunbooksForItsGates() throws {
        let plan = try RunbookFixtures.plan(
            RunbookFixtures.header + Self.accounts + """
                approvals: { approvers: ["group:cutover-approvers"], required: 1 }
                steps:
                  - id: go
                    uses: approval
                  - id: move
                    uses: test.move-thing
                    with: { thing: t, from: legacy, to: product }
                    approval: { approvers: ["group:dba"], required: 2 }
                """)
        #expect(plan.step("go")?.approval?.approvers == [.group("cutover-approvers")])
        #expect(plan.step("move.delete-source")?.approval == ApprovalPolicy(approvers: [.group("dba")], required: 2))
    }

    @Test func windowPlacementDefaults() throws {
        let withoutWindow = try RunbookFixtures.plan(RunbookFixtures.header + "steps:\n  - { id: a, uses: approval }\n")
        #expect(withoutWindow.steps[0].window == .any)

        let plan = try RunbookFixtures.plan(
            RunbookFixtures.header + Self.accounts + """
                window: { start: "2026-12-01T01:00:00+09:00", end: "2026-12-01T05:00:00+09:00" }
                steps:
                  - { id: early, uses: approval, window: any }
                  - id: move
                    uses: test.move-thing
                    with: { thing: t, from: legacy, to: product }
                """)
        #expect(plan.step("early")?.window == .any)
        #expect(plan.step("move.copy")?.window == .inside)
        #expect(plan.step("move.verify")?.window == .any)  // the template's own placement wins
    }

    @Test func retryFailureAndDecisionDefaults() throws {
        let plan = try RunbookFixtures.plan(
            RunbookFixtures.header + Self.accounts + """
                steps:
                  - id: move
                    uses: test.move-thing
                    with: { thing: t, from: legacy, to: product }
                  - id: touch
                    uses: test.touch
                    with: { name: n, account: legacy }
                    retry: { every: 5s, attempts: 3 }
                    onFailure: rollback
                    timeout: 1m
                """)
        let verify = try #require(plan.step("move.verify"))
        #expect(verify.retry == RetryPolicy(backoff: .fixed(interval: .seconds(10)), maxElapsed: .seconds(300)))
        #expect(verify.onFailure == .decide)
        #expect(verify.decisionOptions == ["slow-retry", "retry", "rollback"])
        let copy = try #require(plan.step("move.copy"))
        #expect(copy.retry == .none && copy.onFailure == .pause && copy.decisionOptions == ["retry", "rollback"])
        let touch = try #require(plan.step("touch"))
        #expect(touch.retry == RetryPolicy(backoff: .fixed(interval: .seconds(5)), maxAttempts: 3))
        #expect(touch.onFailure == .rollback && touch.timeout == .seconds(60))
    }

    @Test func rollbackBarrierIsTheLatestIrreversibleAncestor() throws {
        let plan = try RunbookFixtures.plan(
            RunbookFixtures.header + Self.accounts + """
                steps:
                  - { id: before, uses: test.touch, with: { name: n, account: legacy } }
                  - id: move
                    uses: test.move-thing
                    with: { thing: t, from: legacy, to: product }
                  - parallel:
                      - { id: side, uses: approval }
                      - id: move-again
                        uses: test.move-thing
                        with: { thing: u, from: legacy, to: product }
                  - { id: after, uses: approval }
                """)
        #expect(plan.step("before")?.rollbackBarrier == nil)
        #expect(plan.step("move.copy")?.rollbackBarrier == nil)
        #expect(plan.step("move.delete-source")?.rollbackBarrier == nil)
        #expect(plan.step("move.verify")?.rollbackBarrier == "move.delete-source")
        #expect(plan.step("side")?.rollbackBarrier == "move.delete-source")
        #expect(plan.step("move-again.verify")?.rollbackBarrier == "move-again.delete-source")
        #expect(plan.step("after")?.rollbackBarrier == "move-again.delete-source")
    }

    @Test func parametersAreSubstitutedInWithAndMessage() throws {
        let text =
            RunbookFixtures.header + Self.accounts + """
                parameters:
                  thing: { type: string, default: admin-images }
                  pause: { type: duration, default: 2m }
                  ticket: { type: string }
                steps:
                  - id: go
                    uses: approval
                    message: "Approve ${params.ticket} for ${params.thing}."
                  - id: move
                    uses: test.move-thing
                    with: { thing: "${params.thing}", from: legacy, to: product, pause: "${params.pause}" }
                """
        let plan = try RunbookFixtures.plan(text, parameters: ["ticket": "CHG-42", "pause": "5m"])
        #expect(plan.step("go")?.message == "Approve CHG-42 for admin-images.")
        #expect(plan.step("move.copy")?.inputs == .object([("thing", .string("admin-images"))]))
        #expect(plan.step("move.copy")?.estimatedDuration == .seconds(300))
        #expect(plan.parameters == ["thing": "admin-images", "pause": "5m", "ticket": "CHG-42"])
    }

    @Test func parameterProblemsAreReportedTogether() throws {
        let text =
            RunbookFixtures.header + """
                parameters:
                  ticket: { type: string }
                  pause: { type: duration, default: 1m }
                  count: { type: int, default: 3 }
                steps:
                  - { id: go, uses: wait, with: { for: "${params.pause}" } }
                """
        let diagnostics = try Self.planErrors(text, parameters: ["pause": "soon", "colour": "red", "count": "three"])
        #expect(
            Set(diagnostics.map(\.code)) == ["missing-parameter", "unknown-parameter", "bad-duration", "wrong-type"])
        let missing = try #require(diagnostics.first { $0.code == "missing-parameter" })
        #expect(missing.location.line == 5)
        #expect(missing.hint?.contains("--param ticket=") == true)
    }

    @Test func aParameterValueOfTheWrongKindIsReportedAtTheUse() throws {
        let text =
            RunbookFixtures.header + Self.accounts + """
                parameters:
                  who: { type: string }
                steps:
                  - id: touch
                    uses: test.touch
                    with: { name: n, account: "${params.who}" }
                """
        let diagnostics = try Self.planErrors(text, parameters: ["who": "shared"])
        #expect(diagnostics.map(\.code) == ["undeclared-account"])
        #expect(diagnostics.first?.location.line == 12 && diagnostics.first?.location.column == 31)
    }

    @Test func waitAfterCountsFromTheLastPrimitiveOfThatStep() throws {
        let plan = try RunbookFixtures.plan(
            RunbookFixtures.header + Self.accounts + """
                steps:
                  - parallel:
                      - id: move
                        uses: test.move-thing
                        with: { thing: t, from: legacy, to: product }
                      - id: forced-wait
                        uses: wait
                        with: { for: 1h, after: move }
                  - id: until
                    uses: wait
                    with: { until: "2026-12-01T02:00:00+09:00" }
                """)
        let wait = try #require(plan.step("forced-wait"))
        #expect(wait.inputs == .object([("for", .number(3600)), ("after", .string("move.verify"))]))
        #expect(wait.dependsOn == ["move.verify"])
        #expect(wait.estimatedDuration == .seconds(3600))
        #expect(wait.effect == .readOnly && wait.reversibility == .nothingToUndo && wait.approval == nil)
        let until = try #require(plan.step("until"))
        #expect(until.inputs == .object([("until", .string("2026-11-30T17:00:00Z"))]))
        #expect(until.estimatedDuration == .zero)
    }

    @Test func aWaitAfterALaterStepIsACycle() throws {
        let diagnostics = try Self.planErrors(
            RunbookFixtures.header + """
                steps:
                  - { id: a, uses: wait, with: { for: 1m, after: b } }
                  - { id: b, uses: approval }
                """)
        #expect(diagnostics.map(\.code) == ["dependency-cycle"])
        #expect(diagnostics.first?.message.contains("`a`") == true)
    }

    @Test func approvalStepsAreGatedReadOnlyAndTakeTheirMessage() throws {
        let plan = try RunbookFixtures.plan(
            RunbookFixtures.header
                + "steps:\n  - { id: on, uses: approval, message: Put the console into maintenance. }\n")
        let step = try #require(plan.step("on"))
        #expect(step.type == "approval" && step.effect == .readOnly && step.reversibility == .nothingToUndo)
        #expect(step.approval == ApprovalPolicy())
        #expect(step.estimatedDuration == .seconds(300))
        #expect(step.message == "Put the console into maintenance.")
        #expect(step.title.contains("Put the console into maintenance."))
    }

    @Test func theHashIsStableAndFollowsTheParameters() throws {
        let text =
            RunbookFixtures.header + """
                parameters:
                  pause: { type: duration, default: 1m }
                steps:
                  - { id: go, uses: wait, with: { for: "${params.pause}" } }
                """
        let first = try RunbookFixtures.plan(text)
        let second = try RunbookFixtures.plan(text)
        #expect(first.hash.count == 64)
        #expect(first.hash == second.hash)
        #expect(first.hash == first.computeHash())
        let other = try RunbookFixtures.plan(text, parameters: ["pause": "2m"])
        #expect(other.hash != first.hash)
    }

    @Test func engineDemoPlansWithTheBuiltinCatalog() throws {
        let runbook = try RunbookLoader(catalog: .builtin).load(file: RunbookFixtures.engineDemo)
        let plan = try RunbookPlanner(catalog: .builtin).plan(runbook, parameters: [:])
        #expect(
            plan.steps.map(\.id) == [
                "warm-up", "maintenance-on", "settle", "first-timer", "second-timer", "forced-wait", "maintenance-off",
            ])
        #expect(plan.step("forced-wait")?.dependsOn == ["settle", "second-timer", "maintenance-on"])
        #expect(plan.step("settle")?.inputs == .object([("for", .number(10))]))
        #expect(plan.step("warm-up")?.window == .any)
        #expect(plan.step("maintenance-on")?.window == .inside)
    }
}
