import Foundation
import Runbook
import Testing

@Suite struct RunbookLoaderTests {
    @Test func engineDemoLoadsWithTheBuiltinCatalog() throws {
        let runbook = try RunbookLoader(catalog: .builtin).load(file: RunbookFixtures.engineDemo)
        #expect(runbook.name == "engine-demo")
        #expect(runbook.window?.onOverrun == .pause)
        #expect(runbook.allSteps.map(\.uses).allSatisfy { ["approval", "wait"].contains($0) })
        #expect(runbook.steps.contains { if case .parallel = $0 { return true } else { return false } })
        #expect(runbook.sourceHash.count == 64)
    }

    @Test func readsEverySection() throws {
        let runbook = try RunbookFixtures.load(
            """
            apiVersion: cutover/v1
            name: full
            description: Everything at once.
            region: ap-northeast-1
            accounts:
              legacy: { role: "arn:aws:iam::111111111111:role/CutoverSource", externalId: "ext-1" }
              product: { id: "222222222222" }
              own:
            window: { start: "2026-12-01T01:00:00+09:00", end: "2026-12-01T05:00:00+09:00", onOverrun: rollback }
            approvals:
              approvers: ["group:cutover-approvers", "user:alice"]
              required: 2
              distinct: false
              allowInitiator: true
              timeout: 30m
              onTimeout: pause
            parameters:
              wait: { type: duration, default: 1h, description: How long. }
              ticket: { type: string }
            steps:
              - id: touch
                uses: test.touch
                with: { name: x, account: legacy }
                retry: { every: 10s, for: 5m, attempts: 4, on: [Throttling, OperationAborted] }
                timeout: 2m
                onFailure: decide
                window: any
                approval: { approvers: ["user:bob"], required: 1 }
              - id: backoff
                uses: test.touch
                with: { name: y, account: product }
                retry: { backoff: exponential, initial: 2s, multiplier: 3, max: 1m, jitter: false, attempts: 6, for: 10m }
                needs: touch
            """)
        #expect(runbook.description == "Everything at once.")
        #expect(runbook.accounts.map(\.accountId) == ["111111111111", "222222222222", nil])
        #expect(runbook.accounts[0].externalId == "ext-1")
        #expect(runbook.window?.fixed?.end.timeIntervalSince(runbook.window!.fixed!.start) == 14_400.0)
        #expect(runbook.window?.onOverrun == .rollback)
        #expect(
            runbook.approvals
                == ApprovalPolicy(
                    approvers: [.group("cutover-approvers"), .user("alice")], required: 2, distinct: false,
                    allowInitiator: true, timeout: .seconds(1800), onTimeout: .pause))
        #expect(runbook.parameters.map(\.name) == ["wait", "ticket"])
        #expect(runbook.parameters[0].kind == .duration && runbook.parameters[0].defaultValue == "1h")
        #expect(runbook.parameters[1].defaultValue == nil)

        let steps = runbook.allSteps
        #expect(
            steps[0].retry
                == RetryPolicy(
                    backoff: .fixed(interval: .seconds(10)), maxAttempts: 4, maxElapsed: .seconds(300),
                    retryOn: ["Throttling", "OperationAborted"]))
        #expect(steps[0].timeout == .seconds(120))
        #expect(steps[0].onFailure == .decide)
        #expect(steps[0].window == WindowPlacement.any)
        #expect(steps[0].approval?.approvers == [.user("bob")])
        #expect(
            steps[1].retry
                == RetryPolicy(
                    backoff: .exponential(initial: .seconds(2), multiplier: 3, cap: .seconds(60), jitter: false),
                    maxAttempts: 6, maxElapsed: .seconds(600)))
        #expect(steps[1].needs == ["touch"])
        #expect(steps[1].location.line == 29 && steps[1].location.column == 5)
    }

    @Test func parallelBranchesMayBeSequences() throws {
        let runbook = try RunbookFixtures.load(
            RunbookFixtures.header + """
                steps:
                  - parallel:
                      - { id: a, uses: approval }
                      - - { id: b, uses: approval }
                        - { id: c, uses: approval }
                """)
        guard case .parallel(let branches, let location) = runbook.steps[0] else {
            Issue.record("not a parallel node")
            return
        }
        #expect(branches.count == 2)
        #expect(branches[1].count == 2)
        #expect(location.line == 5)
    }

    @Test func aMissingFileIsReportedNotThrownRaw() {
        #expect(throws: RunbookDiagnostics.self) {
            try RunbookLoader(catalog: .builtin).load(file: "/nonexistent/runbook.yaml")
        }
        do {
            _ = try RunbookLoader(catalog: .builtin).load(file: "/nonexistent/runbook.yaml")
        } catch {
            #expect(error.diagnostics.map(\.code) == ["unreadable-file"])
        }
    }

    @Test func anEmptyFileSaysWhatToWrite() {
        let diagnostics = RunbookFixtures.diagnostics("# nothing here\n")
        #expect(diagnostics.map(\.code) == ["missing-key"])
        #expect(diagnostics.first?.hint?.contains("apiVersion: cutover/v1") == true)
    }

    @Test func duplicateKeysInAMappingAreReported() {
        let diagnostics = RunbookFixtures.diagnostics(RunbookFixtures.header + "region: us-east-1\nsteps: []\n")
        #expect(diagnostics.map(\.code) == ["duplicate-key"])
    }

    @Test func parameterReferencesWithoutDefaultsWaitForThePlanner() throws {
        let runbook = try RunbookFixtures.load(
            RunbookFixtures.header + """
                parameters:
                  who: { type: string }
                steps:
                  - id: touch
                    uses: test.touch
                    with: { name: "${params.who}", account: "${params.who}" }
                accounts: { legacy: {} }
                """)
        #expect(runbook.allSteps.count == 1)
    }
}
