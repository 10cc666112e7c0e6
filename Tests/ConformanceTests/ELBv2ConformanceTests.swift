import AWSClient
import AWSServices
import Foundation
import TestSupport
import Testing

/// Every ELBv2 operation our client makes, against moto with signature checking on: find a
/// listener by load balancer name and port, create a tagged fixed-response rule with each
/// condition field, read rules and tags back, delete the rule — and AWS's error codes on the way.
@Suite struct ELBv2ConformanceTests {
    @Test func maintenanceRuleRoundTripsThroughMoto() async throws {
        let moto = try MotoFixture.load()
        let raw = moto.clientA(.elbv2)
        let name = MotoFixture.uniqueName("cutover-alb").prefix(28).description
        let balancer = try await MotoSwitchoverSetup.loadBalancer(raw, name: name, port: 8080)
        let elbv2 = ELBv2Client(client: raw)

        let found = try await elbv2.describeLoadBalancers(names: [name])
        #expect(found.map(\.arn) == [balancer.arn])
        #expect(found.first?.name == name)
        let listeners = try await elbv2.describeListeners(loadBalancerArn: balancer.arn)
        #expect(listeners.map(\.arn) == [balancer.listenerArn])
        #expect(listeners.first?.port == 8080)
        #expect(listeners.first?.loadBalancerArn == balancer.arn)
        #expect(try await elbv2.describeListeners(listenerArns: [balancer.listenerArn]).map(\.port) == [8080])

        let body = "<html><body><h1>Down for maintenance — back at 05:00 JST</h1></body></html>"
        let request = CreateRuleRequest(
            listenerArn: balancer.listenerArn, priority: 3,
            conditions: [
                ELBv2RuleCondition(.pathPattern, ["/admin/*", "/api/*"]), ELBv2RuleCondition(.hostHeader, ["admin.example.com"]),
                ELBv2RuleCondition(.sourceIp, ["203.0.113.0/24"]),
            ],
            actions: [.fixedResponse(ELBv2FixedResponse(statusCode: "503", contentType: "text/html", messageBody: body))],
            tags: ["cutover:run": "r-20261201-010000-1a2b", "cutover:step": "maintenance-on"])
        let (created, requestId) = try await elbv2.createRule(request)
        #expect(requestId?.isEmpty == false)
        #expect(created.priority == "3" && created.priorityNumber == 3 && !created.isDefault)
        #expect(created.actions.first?.fixedResponse == ELBv2FixedResponse(statusCode: "503", contentType: "text/html", messageBody: body))
        #expect(created.conditions == request.conditions)

        let rules = try await elbv2.describeRules(listenerArn: balancer.listenerArn)
        #expect(rules.count == 2)
        #expect(rules.contains { $0.isDefault && $0.priority == "default" && $0.priorityNumber == nil })
        #expect(rules.first { $0.arn == created.arn } == created)
        #expect(try await elbv2.describeRules(ruleArns: [created.arn]) == [created])

        let tags = try await elbv2.describeTags(resourceArns: [created.arn])
        #expect(tags[created.arn] == request.tags)

        let taken = await #expect(throws: AWSError.self) { try await elbv2.createRule(request) }
        #expect(taken?.code == "PriorityInUse")
        #expect(taken?.operation == "CreateRule" && taken?.requestId != nil)

        #expect(try await elbv2.deleteRule(ruleArn: created.arn)?.isEmpty == false)
        let gone = await #expect(throws: AWSError.self) { try await elbv2.describeRules(ruleArns: [created.arn]) }
        #expect(gone?.code == "RuleNotFound")
        #expect(try await elbv2.describeRules(listenerArn: balancer.listenerArn).map(\.isDefault) == [true])
    }

    @Test func unknownLoadBalancersAndListenersAnswerWithAWSCodes() async throws {
        let moto = try MotoFixture.load()
        let elbv2 = ELBv2Client(client: moto.clientA(.elbv2))
        let balancer = await #expect(throws: AWSError.self) { try await elbv2.describeLoadBalancers(names: ["cutover-no-such-alb"]) }
        #expect(balancer?.code == "LoadBalancerNotFound")
        let listener = await #expect(throws: AWSError.self) {
            try await elbv2.describeListeners(
                listenerArns: [
                    "arn:aws:elasticloadbalancing:us-east-1:\(moto.accountA):listener/app/none/0123456789abcdef/0123456789abcdef"
                ])
        }
        #expect(listener?.code == "ListenerNotFound")
    }
}
