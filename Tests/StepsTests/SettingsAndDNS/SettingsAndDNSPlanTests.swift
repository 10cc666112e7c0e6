import Foundation
import Runbook
import Steps
import TestSupport
import Testing

/// Plan-time checks of `secretsmanager.put-secret-value`, `ssm.put-parameter` and
/// `route53.change-record`: every bad input is reported at its `file:line:column` with a hint,
/// all at once; and what `plan` shows for a good one.
@Suite struct SettingsAndDNSPlanTests {
    /// `steps` starts at line 8 (the step's `- id:` line).
    static func plan(_ steps: String) throws -> RunbookPlan {
        let text = """
            apiVersion: cutover/v1
            name: switch
            region: ap-northeast-1
            accounts:
              product: { id: "222222222222" }
              dns: { role: "arn:aws:iam::333333333333:role/CutoverDNS" }
            steps:
            \(steps)
            """
        let runbook = try RunbookLoader(catalog: StepLibrary.catalog).load(text: text, file: "switch.yaml")
        return try RunbookPlanner(catalog: StepLibrary.catalog).plan(runbook, parameters: [:])
    }

    static func problems(_ steps: String) -> [RunbookDiagnostic] {
        do {
            _ = try plan(steps)
            return []
        } catch let error as RunbookDiagnostics {
            return error.diagnostics
        } catch {
            Issue.record("unexpected \(error)")
            return []
        }
    }

    static func at(_ problems: [RunbookDiagnostic], _ code: String) -> [String] {
        problems.filter { $0.code == code }.map { "\($0.location.line):\($0.location.column)" }
    }

    @Test func aSecretStepWithBadInputsIsRefusedAtEachOne() throws {
        let problems = Self.problems(
            """
              - id: set-secret
                uses: secretsmanager.put-secret-value
                with:
                  account: prodcut
                  secretId: admin-console/db
                  merge: { host: h }
            """)
        #expect(Self.at(problems, "undeclared-account") == ["11:16"], "\(problems)")
        #expect(problems.first { $0.code == "undeclared-account" }?.hint?.contains("did you mean `product`?") == true)
        let nested = Self.problems(
            """
              - id: set-secret
                uses: secretsmanager.put-secret-value
                with:
                  account: product
                  secretId: admin-console/db
                  merge: { host: { nested: x }, port: "5432" }
            """)
        #expect(Self.at(nested, "wrong-type") == ["13:22"], "\(nested)")
        let missing = Self.problems(
            """
              - id: set-secret
                uses: secretsmanager.put-secret-value
                with: { account: product, secretId: admin-console/db }
            """)
        #expect(missing.map(\.code) == ["missing-key"], "\(missing)")
        #expect(missing.first?.description.hasPrefix("switch.yaml:10:") == true, "\(missing)")
        // A secret's value is not an output: only version IDs are.
        let output = Self.problems(
            """
              - id: set-secret
                uses: secretsmanager.put-secret-value
                with: { account: product, secretId: admin-console/db, merge: { host: h } }
              - id: next
                uses: approval
                message: "${steps.set-secret.outputs.secretString}"
            """)
        #expect(output.map(\.code) == ["unknown-output"], "\(output)")
        #expect(output.first?.hint?.contains("versionId") == true, "\(output)")
    }

    @Test func aParameterStepWithBadInputsIsRefusedAtEachOne() throws {
        let problems = Self.problems(
            """
              - id: set-url
                uses: ssm.put-parameter
                with: { account: product, name: "app/db url", type: Securestring, keyId: alias/app, value: x }
            """)
        #expect(Self.at(problems, "bad-value") == ["10:37", "10:57", "10:78"], "\(problems)")
        #expect(problems.contains { $0.hint == "did you mean `SecureString`?" }, "\(problems)")
        let secret = Self.problems(
            """
              - id: set-url
                uses: ssm.put-parameter
                with: { account: product, name: /app/db-url, type: SecureString, value: "mysql://admin:hunter2@db/admin" }
            """)
        #expect(Self.at(secret, "secret-in-runbook") == ["10:77"], "\(secret)")
        #expect(secret.first?.description.hasPrefix("switch.yaml:10:77:") == true)
        #expect(secret.first?.hint?.contains("valueFrom") == true)
        let both = Self.problems(
            """
              - id: set-url
                uses: ssm.put-parameter
                with: { account: product, name: /app/db-url, value: x, valueFrom: { secretId: s, key: k } }
            """)
        #expect(both.map(\.code) == ["bad-value"], "\(both)")
    }

    @Test func aRecordStepWithBadInputsIsRefusedAtEachOne() throws {
        let problems = Self.problems(
            """
              - id: switch-dns
                uses: route53.change-record
                with:
                  account: dns
                  hostedZoneId: Z0123456789
                  name: admin.example.com
                  type: AAA
                  values: [192.0.2.1]
                  alias: { hostedZoneId: Z35SXDOTRQ7X7K, dnsNme: lb.example.com }
            """)
        // The type, and values given with an alias (at the alias).
        #expect(Self.at(problems, "bad-value") == ["14:13", "16:14"], "\(problems)")
        #expect(problems.contains { $0.hint == "did you mean `AAAA`?" }, "\(problems)")
        #expect(Self.at(problems, "unknown-key") == ["16:46"], "\(problems)")
        #expect(problems.contains { $0.hint == "did you mean `dnsName`?" }, "\(problems)")
        #expect(Self.at(problems, "missing-key") == ["16:14"], "the alias without dnsName: \(problems)")
        let noTTL = Self.problems(
            """
              - id: switch-dns
                uses: route53.change-record
                with: { account: dns, hostedZoneId: Z1, name: admin.example.com, type: A, values: [192.0.2.1] }
            """)
        #expect(noTTL.map(\.code) == ["missing-key"], "\(noTTL)")
        let cname = Self.problems(
            """
              - id: switch-dns
                uses: route53.change-record
                with: { account: dns, hostedZoneId: Z1, name: admin.example.com, type: CNAME, ttl: 60, values: [a.example.com, b.example.com] }
            """)
        #expect(cname.map(\.code) == ["bad-value"], "\(cname)")
        let none = Self.problems(
            """
              - id: switch-dns
                uses: route53.change-record
                with: { account: dns, hostedZoneId: Z1, name: admin.example.com, type: A }
            """)
        #expect(none.map(\.code) == ["missing-key"], "\(none)")
    }

    @Test func thePlanShowsEachPrimitiveWithItsAccountUndoAndTheReferencesItReads() throws {
        let plan = try Self.plan(
            """
              - id: set-secret
                uses: secretsmanager.put-secret-value
                with: { account: product, secretId: admin-console/db, merge: { host: new-db.internal } }
              - id: switch-dns
                uses: route53.change-record
                with:
                  account: dns
                  hostedZoneId: /hostedzone/Z0123456789
                  name: admin.example.com
                  type: TXT
                  ttl: 60
                  values: ["\\"${steps.set-secret.outputs.versionId}\\""]
            """)
        #expect(plan.steps.map(\.id) == ["set-secret", "switch-dns.read", "switch-dns.upsert", "switch-dns.wait"])
        #expect(
            plan.steps.map(\.type) == [
                "secretsmanager.put-secret-value", "route53.read-record", "route53.upsert-record", "route53.wait-change",
            ])
        #expect(plan.steps.map(\.account) == ["product", "dns", "dns", "dns"])
        #expect(plan.steps.map(\.reversibility) == [.reversible, .nothingToUndo, .reversible, .nothingToUndo])
        #expect(plan.steps.map(\.effect) == [.mutating, .readOnly, .mutating, .readOnly])
        #expect(plan.steps[0].title == "Set `host` in secret `admin-console/db` (new version; undo: AWSCURRENT back)")
        #expect(plan.steps[2].title.hasPrefix("UPSERT `admin.example.com` TXT in zone Z0123456789 → "), "\(plan.steps[2].title)")
        #expect(PlanRenderer().json(plan).contains("undo: the record set read back"))
        let text = PlanRenderer().text(plan)
        #expect(text.contains("switch-dns.upsert: ${steps.set-secret.outputs.versionId} ← set-secret output `versionId`"), "\(text)")
        #expect(plan.steps[2].outputReferences?.map(\.primitive) == ["set-secret"])
    }
}
