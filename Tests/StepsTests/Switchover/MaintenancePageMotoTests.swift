import AWSClient
import AWSServices
import Engine
import Foundation
import Runbook
import Steps
import TestSupport
import Testing

/// `elbv2.maintenance-page` and `elbv2.remove-maintenance-page` through the real engine against
/// moto (signature checking on): the rule, its place, its tags, its removal and both undos.
@Suite struct MaintenancePageMotoTests {
    static func balancerName() -> String { String(MotoFixture.uniqueName("cutover-mp").prefix(28)) }

    @Test func thePageTakesTheLowestFreePriorityAndRollbackDeletesOnlyIt() async throws {
        let world = try MotoSwitchoverWorld()
        let balancer = try await MotoSwitchoverSetup.loadBalancer(world.moto.clientA(.elbv2), name: Self.balancerName())
        let theirs = try await MotoSwitchoverSetup.forwardRule(world.moto.clientA(.elbv2), balancer, priority: 2, path: "/static/*")
        let plan = try world.plan(
            """
              - id: maintenance-on
                uses: elbv2.maintenance-page
                with: { account: legacy, listener: "\(balancer.listenerArn)", status: 503, contentType: text/plain, body: "back soon" }
              - id: go-ahead
                uses: approval
                message: Check the page, then approve.
            """)
        let run = try await world.start(plan)
        do {
            let stop = await world.fixture.driver.drive(run, onIdle: MotoSwitchoverWorld.rollbacker)
            let failures = await MotoSwitchoverWorld.failures(run)
            #expect(stop == .finished(.rolledBack), "\(failures)")
        }

        let outputs = try #require(await run.state.steps["maintenance-on"]?.outputs)
        #expect(outputs["priority"] == "1")
        #expect(outputs["listenerArn"] == balancer.listenerArn)
        #expect(outputs["ruleArn"]?.contains(":listener-rule/app/") == true)
        #expect(world.counter.count("CreateRule") == 1)
        #expect(world.counter.count("DeleteRule") == 1)
        // Only the page went: the other rule is untouched.
        #expect(try await world.rules(balancer.listenerArn).map(\.arn) == [theirs])
    }

    @Test func aPageFoundByNameAndPortIsTaggedAndRemovedByTheRemoveStep() async throws {
        let world = try MotoSwitchoverWorld()
        let balancer = try await MotoSwitchoverSetup.loadBalancer(world.moto.clientA(.elbv2), name: Self.balancerName(), port: 8443)
        let plan = try world.plan(
            """
              - id: maintenance-on
                uses: elbv2.maintenance-page
                with: { account: legacy, loadBalancer: \(balancer.name), port: 8443, paths: ["/admin/*"], hosts: [admin.example.com] }
              - id: look
                uses: approval
                message: The page is up.
              - id: maintenance-off
                uses: elbv2.remove-maintenance-page
                with: { page: maintenance-on }
            """)
        let run = try await world.start(plan)
        // Stop at the approval to look at the rule while the page is up.
        #expect(await world.fixture.driver.drive(run) == .waitingForOperator)
        let up = try await world.rules(balancer.listenerArn)
        #expect(up.count == 1)
        let rule = try #require(up.first)
        #expect(rule.priority == "1")
        #expect(
            rule.conditions == [ELBv2RuleCondition(.pathPattern, ["/admin/*"]), ELBv2RuleCondition(.hostHeader, ["admin.example.com"])])
        #expect(rule.actions.first?.fixedResponse?.statusCode == "503")
        #expect(rule.actions.first?.fixedResponse?.contentType == "text/html")
        let tags = try await world.elbv2.describeTags(resourceArns: [rule.arn])[rule.arn]
        #expect(tags == ["cutover:run": run.runId, "cutover:step": "maintenance-on"])

        #expect(await world.fixture.driver.drive(run, onIdle: MotoSwitchoverWorld.approver) == .finished(.completed))
        #expect(try await world.rules(balancer.listenerArn).isEmpty)
        #expect(await run.state.steps["maintenance-off"]?.outputs["removedRuleArn"] == rule.arn)
        // The remove step read the page's outputs: the plan wired the reference.
        #expect(plan.step("maintenance-off")?.outputReferences?.map(\.output).sorted() == ["listenerArn", "ruleArn"])
    }

    @Test func rollingBackAfterThePageWasRemovedPutsItBackThenTakesItDown() async throws {
        let world = try MotoSwitchoverWorld()
        let balancer = try await MotoSwitchoverSetup.loadBalancer(world.moto.clientA(.elbv2), name: Self.balancerName())
        let plan = try world.plan(
            """
              - id: maintenance-on
                uses: elbv2.maintenance-page
                with: { account: legacy, listener: "\(balancer.listenerArn)" }
              - id: maintenance-off
                uses: elbv2.remove-maintenance-page
                with: { page: maintenance-on }
              - id: done
                uses: approval
                message: Approve to finish.
            """)
        let run = try await world.start(plan)
        do {
            let stop = await world.fixture.driver.drive(run, onIdle: MotoSwitchoverWorld.rollbacker)
            let failures = await MotoSwitchoverWorld.failures(run)
            #expect(stop == .finished(.rolledBack), "\(failures)")
        }
        // Up, down, up again (undo of the removal), down again (undo of the page): every CreateRule
        // matched by a DeleteRule of the same page, and nothing left.
        #expect(world.counter.count("CreateRule") == 2)
        #expect(world.counter.count("DeleteRule") == 2)
        #expect(try await world.rules(balancer.listenerArn).isEmpty)
        let undos = try world.fixture.events(run.runId).compactMap { event, _ -> String? in
            if case .attemptSucceeded(let s) = event, s.phase == .undo { return s.step }
            return nil
        }
        #expect(undos == ["maintenance-off", "maintenance-on"])
    }

    @Test func aTakenPriorityOneRefusesThePageAndCreatesNothing() async throws {
        let world = try MotoSwitchoverWorld()
        let balancer = try await MotoSwitchoverSetup.loadBalancer(world.moto.clientA(.elbv2), name: Self.balancerName())
        let theirs = try await MotoSwitchoverSetup.forwardRule(world.moto.clientA(.elbv2), balancer, priority: 1, path: "/api/*")
        let plan = try world.plan(
            """
              - id: maintenance-on
                uses: elbv2.maintenance-page
                with: { account: legacy, listener: "\(balancer.listenerArn)" }
            """)
        let run = try await world.start(plan)
        _ = await world.fixture.driver.drive(run)
        let error = await run.state.steps["maintenance-on"]?.lastError
        #expect(error?.code == "MaintenancePriorityTaken")
        #expect(error?.message.contains("/api/*") == true, "the error names the rule ahead: \(error?.message ?? "")")
        #expect(error?.resource == balancer.listenerArn)
        #expect(world.counter.count("CreateRule") == 0)
        #expect(try await world.rules(balancer.listenerArn).map(\.arn) == [theirs])
    }

    @Test func anExplicitPriorityIsUsedAsWritten() async throws {
        let world = try MotoSwitchoverWorld()
        let balancer = try await MotoSwitchoverSetup.loadBalancer(world.moto.clientA(.elbv2), name: Self.balancerName())
        try await MotoSwitchoverSetup.forwardRule(world.moto.clientA(.elbv2), balancer, priority: 1, path: "/api/*")
        let plan = try world.plan(
            """
              - id: maintenance-on
                uses: elbv2.maintenance-page
                with: { account: legacy, listener: "\(balancer.listenerArn)", priority: 7, sourceIps: ["203.0.113.0/24"] }
            """)
        let run = try await world.start(plan)
        do {
            let stop = await world.fixture.driver.drive(run)
            let failures = await MotoSwitchoverWorld.failures(run)
            #expect(stop == .finished(.completed), "\(failures)")
        }
        #expect(await run.state.steps["maintenance-on"]?.outputs["priority"] == "7")
        let page = try await world.rules(balancer.listenerArn).first { $0.priority == "7" }
        #expect(page?.conditions == [ELBv2RuleCondition(.sourceIp, ["203.0.113.0/24"])])
    }
}
