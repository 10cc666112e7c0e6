import AWSServices
import Foundation
import TestSupport
import Testing

/// The ELBv2 client's wire shapes: CreateRule's Query serialisation (the expected fields are what
/// botocore 1.43's serializer writes for the same call), and decoding — pages, the default rule,
/// tags in batches of 20, malformed answers named by operation.
@Suite struct ELBv2ClientTests {
    static let listener = "arn:aws:elasticloadbalancing:us-east-1:111111111111:listener/app/admin/1/2"

    static func rule(_ arn: String, priority: String, isDefault: Bool = false) -> String {
        """
        <member><IsDefault>\(isDefault)</IsDefault><Conditions>\(isDefault ? "" : "<member><Field>path-pattern</Field><Values><member>/old/*</member></Values></member>")</Conditions>\
        <Priority>\(priority)</Priority><Actions><member><Type>forward</Type><TargetGroupArn>arn:tg</TargetGroupArn><Order>1</Order></member></Actions>\
        <RuleArn>\(arn)</RuleArn></member>
        """
    }

    static func response(_ action: String, _ result: String) -> String {
        """
        <\(action)Response xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><\(action)Result>\(result)</\(action)Result>\
        <ResponseMetadata><RequestId>req-\(action)</RequestId></ResponseMetadata></\(action)Response>
        """
    }

    @Test func createRuleIsSerialisedAsBotocoreSerialisesIt() async throws {
        let created = Self.response(
            "CreateRule",
            """
            <Rules><member><IsDefault>false</IsDefault><Priority>1</Priority><RuleArn>arn:rule/1</RuleArn>\
            <Conditions><member><Field>path-pattern</Field><PathPatternConfig><Values><member>/*</member><member>/admin/*</member></Values></PathPatternConfig></member></Conditions>\
            <Actions><member><Type>fixed-response</Type><FixedResponseConfig><StatusCode>503</StatusCode><ContentType>text/html</ContentType>\
            <MessageBody>&lt;h1&gt;Back&lt;/h1&gt;</MessageBody></FixedResponseConfig></member></Actions></member></Rules>
            """)
        let aws = try StubbedAWS(.elbv2, body: created)
        let (rule, requestId) = try await ELBv2Client(client: aws.client).createRule(
            CreateRuleRequest(
                listenerArn: Self.listener, priority: 1,
                conditions: [ELBv2RuleCondition(.pathPattern, ["/*", "/admin/*"]), ELBv2RuleCondition(.sourceIp, ["203.0.113.0/24"])],
                actions: [.fixedResponse(ELBv2FixedResponse(statusCode: "503", contentType: "text/html", messageBody: "<h1>Back</h1>"))],
                tags: ["cutover:step": "maintenance-on", "cutover:run": "r-1"]))
        #expect(
            aws.form() == [
                "Action": "CreateRule", "Version": "2015-12-01", "ListenerArn": Self.listener, "Priority": "1",
                "Conditions.member.1.Field": "path-pattern",
                "Conditions.member.1.PathPatternConfig.Values.member.1": "/*",
                "Conditions.member.1.PathPatternConfig.Values.member.2": "/admin/*",
                "Conditions.member.2.Field": "source-ip",
                "Conditions.member.2.SourceIpConfig.Values.member.1": "203.0.113.0/24",
                "Actions.member.1.Type": "fixed-response",
                "Actions.member.1.FixedResponseConfig.StatusCode": "503",
                "Actions.member.1.FixedResponseConfig.ContentType": "text/html",
                "Actions.member.1.FixedResponseConfig.MessageBody": "<h1>Back</h1>",
                "Tags.member.1.Key": "cutover:run", "Tags.member.1.Value": "r-1",
                "Tags.member.2.Key": "cutover:step", "Tags.member.2.Value": "maintenance-on",
            ])
        #expect(aws.requests.last?.header("Authorization")?.contains("/us-east-1/elasticloadbalancing/aws4_request") == true)
        #expect(requestId == "req-CreateRule")
        #expect(rule.arn == "arn:rule/1" && rule.priorityNumber == 1)
        #expect(rule.conditions == [ELBv2RuleCondition(.pathPattern, ["/*", "/admin/*"])])
        #expect(rule.actions.first?.fixedResponse?.messageBody == "<h1>Back</h1>")
    }

    @Test func describeRulesFollowsNextMarkerAndKnowsTheDefaultRule() async throws {
        let aws = try StubbedAWS(.elbv2) { request in
            let form = StubbedAWS.decodeForm(request.body)
            let page =
                form["Marker"] == nil
                ? "<Rules>\(Self.rule("arn:r/1", priority: "3"))</Rules><NextMarker>m2</NextMarker>"
                : "<Rules>\(Self.rule("arn:r/d", priority: "default", isDefault: true))</Rules>"
            return .text(200, Self.response("DescribeRules", page), headers: [("Content-Type", "text/xml")])
        }
        let rules = try await ELBv2Client(client: aws.client).describeRules(listenerArn: Self.listener)
        #expect(rules.map(\.arn) == ["arn:r/1", "arn:r/d"])
        #expect(rules.map(\.priorityNumber) == [3, nil])
        #expect(
            rules[0].conditions == [ELBv2RuleCondition(field: "path-pattern", values: ["/old/*"])], "the legacy flat Values list is read")
        #expect(rules[0].actions == [ELBv2RuleAction(type: "forward", order: 1, targetGroupArn: "arn:tg")])
        #expect(aws.form(1)["Marker"] == "m2" && aws.form(1)["ListenerArn"] == Self.listener)
    }

    @Test func describeTagsAsksForTwentyARNsAtATime() async throws {
        let aws = try StubbedAWS(.elbv2) { request in
            let form = StubbedAWS.decodeForm(request.body)
            let arns = form.filter { $0.key.hasPrefix("ResourceArns.member.") }.map(\.value).sorted()
            let descriptions = arns.map {
                "<member><ResourceArn>\($0)</ResourceArn><Tags><member><Key>k</Key><Value>\($0)</Value></member></Tags></member>"
            }
            return .text(
                200, Self.response("DescribeTags", "<TagDescriptions>\(descriptions.joined())</TagDescriptions>"),
                headers: [("Content-Type", "text/xml")])
        }
        let arns = (1...25).map { "arn:rule/\($0)" }
        let tags = try await ELBv2Client(client: aws.client).describeTags(resourceArns: arns)
        #expect(aws.requests.count == 2)
        #expect(aws.form(0)["ResourceArns.member.20"] == "arn:rule/20" && aws.form(0)["ResourceArns.member.21"] == nil)
        #expect(aws.form(1)["ResourceArns.member.5"] == "arn:rule/25")
        #expect(tags.count == 25 && tags["arn:rule/7"] == ["k": "arn:rule/7"])
    }

    @Test(arguments: [
        ("a rule without its ARN", "DescribeRules", "<Rules><member><Priority>1</Priority></member></Rules>"),
        (
            "a rule whose IsDefault is not a boolean", "DescribeRules",
            "<Rules><member><RuleArn>a</RuleArn><Priority>1</Priority><IsDefault>maybe</IsDefault></member></Rules>"
        ),
        ("a CreateRule answer with no rule", "CreateRule", "<Rules></Rules>"),
        (
            "a listener whose port is not a number", "DescribeListeners",
            "<Listeners><member><ListenerArn>l</ListenerArn><Port>http</Port></member></Listeners>"
        ),
        (
            "a tag without a key", "DescribeTags",
            "<TagDescriptions><member><ResourceArn>a</ResourceArn><Tags><member><Value>v</Value></member></Tags></member></TagDescriptions>"
        ),
    ])
    func malformedAnswersNameTheOperation(_ case: (String, String, String)) async throws {
        let aws = try StubbedAWS(.elbv2, body: Self.response(`case`.1, `case`.2))
        let elbv2 = ELBv2Client(client: aws.client)
        let error = await #expect(throws: AWSError.self, "\(`case`.0)") {
            switch `case`.1 {
            case "CreateRule":
                _ = try await elbv2.createRule(CreateRuleRequest(listenerArn: Self.listener, priority: 1, conditions: [], actions: []))
            case "DescribeListeners": _ = try await elbv2.describeListeners(listenerArns: ["l"])
            case "DescribeTags": _ = try await elbv2.describeTags(resourceArns: ["a"])
            default: _ = try await elbv2.describeRules(listenerArn: Self.listener)
            }
        }
        #expect(error?.origin == .malformedResponse, "\(`case`.0)")
        #expect(error?.operation == `case`.1)
    }
}
