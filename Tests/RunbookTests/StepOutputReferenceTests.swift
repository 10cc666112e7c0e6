import Foundation
import Runbook
import Testing

/// Issue 18, item 1: `${steps.ID.outputs.NAME}` in `with:` is checked by the planner (the step
/// exists, declares the output, and finishes before the reader starts) and recorded on the
/// reading primitive for the engine to resolve from journaled outputs.
@Suite struct StepOutputReferenceTests {
    static let accounts = """
        accounts:
          legacy: { id: "111111111111" }
          product: { id: "222222222222" }

        """

    static func runbook(_ steps: String) -> String { RunbookFixtures.header + accounts + "steps:\n" + steps }

    @Test func aLaterStepReadsACompositesOutputFromItsPrimitive() throws {
        let plan = try RunbookFixtures.plan(
            Self.runbook(
                """
                  - id: move
                    uses: test.move-thing
                    with: { thing: db, from: legacy, to: product }
                  - id: point-app
                    uses: test.touch
                    with: { name: "host=${steps.move.outputs.location};thing=${steps.move.outputs.thing}", account: product }
                """))
        let reader = try #require(plan.step("point-app"))
        let references = try #require(reader.outputReferences)
        #expect(references.map(\.text) == ["${steps.move.outputs.location}", "${steps.move.outputs.thing}"])
        #expect(references[0].primitive == "move.verify" && references[0].key == "location" && references[0].planned == nil)
        #expect(references[1].primitive == "move.verify" && references[1].key == nil && references[1].planned == "db")
        // The plan keeps the reference; the engine substitutes it when the reader starts.
        #expect(reader.inputs["name"]?.stringValue == "host=${steps.move.outputs.location};thing=${steps.move.outputs.thing}")
        let (resolved, missing) = reader.resolvingOutputs(["move.verify": ["location": "db.product.example"]])
        #expect(missing.isEmpty)
        #expect(resolved.inputs["name"]?.stringValue == "host=db.product.example;thing=db")
        #expect(reader.resolvingOutputs([:]).missing.map(\.output) == ["location"])
        #expect(PlanRenderer().text(plan).contains("${steps.move.outputs.location} ← move.verify"))
    }

    @Test func aPlanWithoutReferencesHashesAsBefore() throws {
        let plan = try RunbookFixtures.plan(
            Self.runbook(
                """
                  - { id: touch, uses: test.touch, with: { name: n, account: legacy } }
                """))
        #expect(plan.steps.allSatisfy { $0.outputReferences == nil })
        let encoded = String(decoding: try JSONEncoder().encode(plan), as: UTF8.self)
        #expect(!encoded.contains("outputReferences"))
    }

    @Test func unknownStepsAndOutputsAreReportedWhereTheyAreWritten() throws {
        let diagnostics = try RunbookPlannerTests.planErrors(
            Self.runbook(
                """
                  - id: touch
                    uses: test.touch
                    with: { name: n, account: legacy }
                  - id: again
                    uses: test.touch
                    with: { name: "${steps.tuoch.outputs.resource}", account: legacy }
                  - id: more
                    uses: test.touch
                    with: { name: "${steps.touch.outputs.resorce}", account: legacy }
                """))
        #expect(diagnostics.map(\.code) == ["unknown-step", "unknown-output"])
        #expect(diagnostics[0].location.line == 13 && diagnostics[0].location.column == 19)
        #expect(diagnostics[0].hint?.contains("`touch`") == true)
        #expect(diagnostics[1].location.line == 16)
        #expect(diagnostics[1].hint?.contains("`resource`") == true)
    }

    @Test func aStepThatDoesNotRunBeforeTheReaderCannotBeRead() throws {
        let diagnostics = try RunbookPlannerTests.planErrors(
            Self.runbook(
                """
                  - parallel:
                      - { id: left, uses: test.touch, with: { name: l, account: legacy } }
                      - { id: right, uses: test.touch, with: { name: "${steps.left.outputs.resource}", account: legacy } }
                  - { id: self-reader, uses: test.touch, with: { name: "${steps.self-reader.outputs.resource}", account: legacy } }
                  - { id: early, uses: test.touch, with: { name: "${steps.late.outputs.resource}", account: legacy } }
                  - { id: late, uses: test.touch, with: { name: x, account: legacy } }
                """))
        #expect(diagnostics.map(\.code) == ["output-not-ready", "output-not-ready", "output-not-ready"])
        #expect(diagnostics[0].hint?.contains("needs: [left]") == true)
        #expect(diagnostics[1].hint == "a step cannot read its own outputs")
        #expect(diagnostics[2].message.contains("`early`"))
    }

    @Test func needsMakesAParallelSiblingReadable() throws {
        let plan = try RunbookFixtures.plan(
            Self.runbook(
                """
                  - parallel:
                      - { id: left, uses: test.touch, with: { name: l, account: legacy } }
                      - id: right
                        uses: test.touch
                        needs: [left]
                        with: { name: "${steps.left.outputs.resource}", account: legacy }
                """))
        #expect(plan.step("right")?.outputReferences?.first?.primitive == "left")
    }

    @Test func aMalformedReferenceIsNeitherKind() throws {
        let diagnostics = RunbookFixtures.diagnostics(
            Self.runbook(
                """
                  - { id: touch, uses: test.touch, with: { name: "${steps.touch.resource}", account: legacy } }
                """))
        #expect(diagnostics.map(\.code) == ["bad-value"])
        #expect(diagnostics.first?.hint?.contains("${steps.ID.outputs.NAME}") == true)
    }
}
