import Engine
import Foundation
import Runbook
import Steps
import TestSupport
import Testing

/// Plan-time checks of `elbv2.maintenance-page`, `elbv2.remove-maintenance-page` and
/// `ecs.update-service`: bad inputs are refused at their file:line:column with a hint, before
/// anything runs; good ones plan into the primitives `plan` shows.
@Suite struct SwitchoverPlanTests {
    static func plan(_ steps: String) throws -> RunbookPlan {
        let runbook = try RunbookLoader(catalog: StepLibrary.catalog).load(
            text: """
                apiVersion: cutover/v1
                name: switchover
                region: us-east-1
                accounts:
                  legacy: { id: "111111111111" }
                  product: { id: "222222222222" }
                approvals: { approvers: ["group:cutover-approvers"], required: 1 }
                steps:
                \(steps)
                """, file: "switchover.yaml")
        return try RunbookPlanner(catalog: StepLibrary.catalog).plan(runbook, parameters: [:])
    }

    /// The diagnostics planning `steps` produces (none: an issue is recorded).
    static func problems(_ steps: String) -> [RunbookDiagnostic] {
        do {
            _ = try plan(steps)
            Issue.record("planned without a problem")
            return []
        } catch let error as RunbookDiagnostics {
            return error.diagnostics
        } catch {
            Issue.record("unexpected \(error)")
            return []
        }
    }

    static let listener = "arn:aws:elasticloadbalancing:us-east-1:111111111111:listener/app/admin/0123456789abcdef/0123456789abcdef"

    @Test func aMaintenancePagePlansAsOneReversibleMutationInItsAccount() throws {
        let plan = try Self.plan(
            """
              - id: maintenance-on
                uses: elbv2.maintenance-page
                with: { account: legacy, loadBalancer: admin-alb, port: 443, body: "<h1>Back soon</h1>" }
            """)
        let step = try #require(plan.step("maintenance-on"))
        #expect(step.type == "elbv2.maintenance-page")
        #expect(step.account == "legacy" && step.effect == .mutating && step.reversibility == .reversible)
        #expect(step.title == "Maintenance page (503 text/html) on admin-alb:443 in legacy for path /*")
        #expect(step.inputs["status"]?.stringValue == "503")
        #expect(step.inputs["conditions"] == .array([.object([("field", .string("path-pattern")), ("values", .array([.string("/*")]))])]))
    }

    @Test func badMaintenancePageInputsAreRefusedAtTheirPlace() {
        let body = String(repeating: "x", count: 1_025)
        let problems = Self.problems(
            """
              - id: maintenance-on
                uses: elbv2.maintenance-page
                with:
                  account: legacy
                  listener: "\(Self.listener)"
                  port: 443
                  status: 302
                  contentType: image/png
                  body: "\(body)"
                  sourceIps: ["10.0.0.0/33", "not-a-cidr"]
                  paths: ["/a", "/b", "/c", "/d"]
                  priority: 0
            """)
        let byCode = problems.map { "\($0.location.line):\($0.location.column) \($0.code)" }
        #expect(
            byCode == [
                "14:13 conflicting-keys", "15:15 bad-value", "16:20 bad-value", "17:13 bad-value",
                "18:19 bad-value", "18:34 bad-value", "19:14 bad-value", "20:17 bad-value",
            ], "\(problems.map(\.description).joined(separator: "\n"))")
        #expect(problems.allSatisfy { $0.location.file == "switchover.yaml" && $0.hint != nil })
        #expect(problems.contains { $0.message.contains("1025 characters") && $0.message.contains("at most 1024") })
        #expect(problems.contains { $0.message.contains("6 condition values") })
    }

    @Test func aMaintenancePageNeedsItsListener() {
        let problems = Self.problems(
            """
              - id: maintenance-on
                uses: elbv2.maintenance-page
                with: { account: legacy, loadBalancer: admin-alb }
            """)
        #expect(problems.map(\.code) == ["missing-key"])
        #expect(problems.first?.message.contains("`with.loadBalancer` and `with.port`") == true)
        #expect(problems.first?.location.line == 11)
    }

    @Test func removingAPageNamesAnEarlierMaintenancePageStep() throws {
        let plan = try Self.plan(
            """
              - id: maintenance-on
                uses: elbv2.maintenance-page
                with: { account: legacy, listener: "\(Self.listener)" }
              - id: maintenance-off
                uses: elbv2.remove-maintenance-page
                with: { page: maintenance-on }
            """)
        let off = try #require(plan.step("maintenance-off"))
        #expect(off.account == "legacy" && off.reversibility == .reversible)
        #expect(off.outputReferences?.map(\.primitive) == ["maintenance-on", "maintenance-on"])

        let unknown = Self.problems(
            """
              - id: maintenance-on
                uses: elbv2.maintenance-page
                with: { account: legacy, listener: "\(Self.listener)" }
              - id: maintenance-off
                uses: elbv2.remove-maintenance-page
                with: { page: maintenance-of }
            """)
        #expect(unknown.map(\.code) == ["unknown-step"])
        #expect(unknown.first?.hint == "did you mean `maintenance-on`?")
        #expect(unknown.first.map { "\($0.location.line):\($0.location.column)" } == "14:19")

        let wrongType = Self.problems(
            """
              - id: notice
                uses: approval
                message: hi
              - id: maintenance-off
                uses: elbv2.remove-maintenance-page
                with: { page: notice }
            """)
        #expect(wrongType.map(\.code) == ["wrong-step-type"])

        let beforeThePage = Self.problems(
            """
              - id: maintenance-off
                uses: elbv2.remove-maintenance-page
                with: { page: maintenance-on }
              - id: maintenance-on
                uses: elbv2.maintenance-page
                with: { account: legacy, listener: "\(Self.listener)" }
            """)
        #expect(beforeThePage.map(\.code).contains("output-not-ready"), "\(beforeThePage)")
    }

    @Test func anECSUpdatePlansAsReadUpdateWait() throws {
        let plan = try Self.plan(
            """
              - id: redeploy
                uses: ecs.update-service
                with: { account: product, cluster: admin, service: admin-web, taskDefinition: "admin-web:42", desiredCount: 2, within: 20m, every: 10s }
            """)
        #expect(plan.steps.map(\.id) == ["redeploy.read", "redeploy.update", "redeploy.wait"])
        #expect(plan.steps.map(\.type) == ["ecs.read-service", "ecs.update-service", "ecs.wait-deployment"])
        #expect(plan.steps.map(\.reversibility) == [.nothingToUndo, .reversible, .nothingToUndo])
        #expect(plan.steps.map(\.effect) == [.readOnly, .mutating, .readOnly])
        #expect(plan.steps.allSatisfy { $0.account == "product" })
        #expect(
            plan.step("redeploy.update")?.title == "Update ECS service admin/admin-web in product: task definition admin-web:42, 2 tasks")
        #expect(plan.step("redeploy.wait")?.inputs["within"]?.numberValue == 1_200)
    }

    @Test func badECSUpdateInputsAreRefusedAtTheirPlace() {
        let problems = Self.problems(
            """
              - id: redeploy
                uses: ecs.update-service
                with:
                  account: product
                  cluster: admin
                  service: admin-web
                  taskDefinition: "admin web:latest"
                  desiredCount: -1
                  within: 1m
                  every: 5m
            """)
        #expect(
            problems.map { "\($0.location.line):\($0.location.column) \($0.code)" } == [
                "15:23 bad-value", "16:21 bad-value", "18:14 bad-value",
            ], "\(problems.map(\.description).joined(separator: "\n"))")
        let nothing = Self.problems(
            """
              - id: redeploy
                uses: ecs.update-service
                with: { account: product, cluster: admin, service: admin-web }
            """)
        #expect(nothing.map(\.code) == ["nothing-to-do"])
        #expect(nothing.first?.hint?.contains("forceNewDeployment") == true)
    }

    @Test(arguments: [
        ("admin-web", true), ("admin-web:3", true), ("arn:aws:ecs:us-east-1:1:task-definition/admin_web:12", true),
        ("admin-web:0", false), ("admin web", false), ("admin-web:latest", false), ("arn:aws:ecs:us-east-1:1:service/x", false),
    ])
    func taskDefinitionNames(_ text: String, valid: Bool) {
        #expect(ECSUpdateServiceDefinition.isTaskDefinition(text) == valid)
    }

    @Test(arguments: [
        ("203.0.113.0/24", true), ("0.0.0.0/0", true), ("2001:db8::/32", true), ("10.0.0.256/8", false), ("10.0.0.0", false),
        ("10.0.0.0/33", false), ("fe80::zz/64", false),
    ])
    func sourceIPBlocks(_ text: String, valid: Bool) {
        #expect(MaintenancePageDefinition.isCIDR(text) == valid)
    }
}
