import Runbook
import Testing

/// The hints are what a tired operator reads first: they must name the fix.
@Suite struct RunbookHintTests {
    @Test func unknownStepTypeSuggestsTheNearestType() throws {
        let diagnostics = RunbookFixtures.diagnostics(
            RunbookFixtures.header + """
                steps:
                  - id: move-images
                    uses: s3.move-buckt
                """)
        let diagnostic = try #require(diagnostics.first { $0.code == "unknown-step-type" })
        #expect(diagnostic.hint == "did you mean `s3.move-bucket`?")
        #expect(diagnostic.location.line == 6 && diagnostic.location.column == 11)
    }

    @Test func unknownStepTypeFarFromAnyListsTheKnownTypes() throws {
        let diagnostics = RunbookFixtures.diagnostics(
            RunbookFixtures.header + "steps:\n  - { id: x, uses: teleport }\n")
        let hint = try #require(diagnostics.first { $0.code == "unknown-step-type" }?.hint)
        #expect(hint.contains("`approval`") && hint.contains("`wait`") && hint.contains("`s3.move-bucket`"))
    }

    @Test func catalogSuggestsOnlyWhenClose() {
        let catalog = TestCatalog.catalog
        #expect(catalog.nearest(to: "s3.move-buckt") == "s3.move-bucket")
        #expect(catalog.nearest(to: "aproval") == "approval")
        #expect(catalog.nearest(to: "wiat") == "wait")
        #expect(catalog.nearest(to: "rds.move-instance") == nil)
        #expect(catalog.nearest(to: "x") == nil)
    }

    @Test func undeclaredAccountListsTheDeclaredOnes() throws {
        let diagnostics = RunbookFixtures.diagnostics(
            RunbookFixtures.header + """
                accounts: { legacy: {}, product: {} }
                steps:
                  - { id: touch, uses: test.touch, with: { name: x, account: staging } }
                """)
        let diagnostic = try #require(diagnostics.first { $0.code == "undeclared-account" })
        #expect(diagnostic.hint == "declared accounts: `legacy` or `product`")
        #expect(diagnostic.message.contains("`staging`"))
    }

    @Test func undeclaredAccountWithNoAccountsSectionSaysToAddOne() throws {
        let diagnostics = RunbookFixtures.diagnostics(
            RunbookFixtures.header + "steps:\n  - { id: touch, uses: test.touch, with: { name: x, account: legacy } }\n"
        )
        #expect(diagnostics.first?.hint?.contains("add them under `accounts:`") == true)
    }

    @Test func duplicateIDNamesTheLineOfTheFirst() throws {
        let diagnostics = RunbookFixtures.diagnostics(
            RunbookFixtures.header + """
                steps:
                  - id: settle
                    uses: approval
                  - id: settle
                    uses: approval
                """)
        let diagnostic = try #require(diagnostics.first { $0.code == "duplicate-id" })
        #expect(diagnostic.hint?.contains("line 5") == true)
        #expect(diagnostic.location.line == 7)
    }

    /// Issue 15: with a duplicated id, the first step's problems were reported at the second
    /// step's lines (positions were looked up by id).
    @Test func withADuplicatedIDEachStepsProblemsStayAtItsOwnLines() throws {
        let diagnostics = RunbookFixtures.diagnostics(
            RunbookFixtures.header + """
                steps:
                  - id: one
                    uses: test.tuoch
                    message: first
                  - id: two
                    uses: approval
                  - id: one
                    uses: wait
                    message: "${params.nope}"
                    with: { for: 10 parsecs }
                """)
        let unknownType = try #require(diagnostics.first { $0.code == "unknown-step-type" })
        #expect(unknownType.location.line == 6 && unknownType.location.column == 11)
        let duplicate = try #require(diagnostics.first { $0.code == "duplicate-id" })
        #expect(duplicate.location.line == 10)
        let unknownParameter = try #require(diagnostics.first { $0.code == "unknown-parameter" })
        #expect(unknownParameter.location.line == 12)
        let duration = try #require(diagnostics.first { $0.code == "bad-duration" })
        #expect(duration.location.line == 13)
    }

    @Test func unknownKeySuggestsTheNearestKey() throws {
        let diagnostics = RunbookFixtures.diagnostics(
            RunbookFixtures.header + "steps:\n  - { id: a, uses: approval, mesage: hi }\n")
        #expect(diagnostics.first { $0.code == "unknown-key" }?.hint == "did you mean `message`?")
    }

    @Test func badEnumValueListsTheAllowedValues() throws {
        let diagnostics = RunbookFixtures.diagnostics(
            RunbookFixtures.header + "steps:\n  - { id: a, uses: approval, onFailure: rolback }\n")
        let hint = try #require(diagnostics.first { $0.code == "bad-value" }?.hint)
        #expect(hint.contains("did you mean `rollback`?"))
        #expect(hint.contains("`pause`, `rollback`, `continue` or `decide`"))
    }

    @Test func diagnosticsReadLikeCompilerErrors() throws {
        let diagnostics = RunbookFixtures.diagnostics(
            RunbookFixtures.header + "steps:\n  - { id: a, uses: approval, timeout: soon }\n", file: "runbooks/x.yaml")
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostic.description.hasPrefix("runbooks/x.yaml:5:39: error: "))
        #expect(diagnostic.description.contains("(hint: write a whole number with a unit"))
    }
}
