import AWSServices
import Foundation
import Runbook
import Steps
import Testing

/// Plan-time checks of `aws.call`, `aws.wait` and `guard:` against the catalog generated from
/// botocore's models: every mistake names its file:line:column with a hint.
@Suite struct AWSCallPlanTests {
    static let head = """
        apiVersion: cutover/v1
        name: calls
        region: us-east-1
        accounts:
          product: { id: "222222222222" }
        steps:

        """

    static func plan(_ steps: String, top: String = "") throws -> RunbookPlan {
        let runbook = try RunbookLoader(catalog: StepLibrary.catalog).load(text: top + head + steps, file: "calls.yaml")
        return try RunbookPlanner(catalog: StepLibrary.catalog).plan(runbook, parameters: [:])
    }

    /// The diagnostics planning `steps` gives, each as "line:column code message | hint".
    static func problems(_ steps: String, top: String = "") -> [RunbookDiagnostic] {
        do {
            _ = try plan(steps, top: top)
            return []
        } catch let error as RunbookDiagnostics {
            return error.diagnostics
        } catch {
            return [RunbookDiagnostic(code: "unexpected", message: "\(error)", location: SourceLocation(file: "", line: 0, column: 0))]
        }
    }

    @Test func aWellFormedCallPlansWithItsReversibility() throws {
        let plan = try Self.plan(
            """
              - id: vpcs
                uses: aws.call
                with: { account: product, service: ec2, operation: DescribeVpcs, readOnly: true,
                        parameters: { Filters: [{ Name: isDefault, Values: ["true"] }] }, outputs: { vpc: "Vpcs[0].VpcId" } }
              - id: tag
                uses: aws.call
                with:
                  account: product
                  service: ec2
                  operation: CreateTags
                  parameters: { Resources: ["${steps.vpcs.outputs.vpc}"], Tags: [{ Key: cutover, Value: done }] }
                  undo: { operation: DeleteTags, parameters: { Resources: ["${steps.vpcs.outputs.vpc}"], Tags: [{ Key: cutover }] } }
              - id: notify
                uses: aws.call
                with: { account: product, service: sns, operation: Publish, irreversible: true,
                        parameters: { TopicArn: "arn:aws:sns:us-east-1:222222222222:t", Message: done } }
            """)
        #expect(plan.step("vpcs")?.reversibility == .nothingToUndo)
        #expect(plan.step("vpcs")?.effect == .readOnly)
        #expect(plan.step("tag")?.reversibility == .reversible)
        #expect(plan.step("tag")?.outputReferences?.map(\.text) == ["${steps.vpcs.outputs.vpc}"])
        #expect(plan.step("notify")?.reversibility == .irreversible)
        #expect(plan.step("notify")?.approval != nil, "an irreversible call is gated like every irreversible primitive")
    }

    @Test func anUnknownServiceIsLocatedWithTheNearestName() {
        let problems = Self.problems(
            """
              - id: x
                uses: aws.call
                with: { account: product, service: elbv3, operation: DescribeLoadBalancers, readOnly: true }
            """)
        #expect(problems.map(\.code) == ["unknown-service"])
        #expect(problems.first?.location.line == 9)
        #expect(problems.first?.location.column == 40)
        #expect(problems.first?.hint?.hasPrefix("did you mean `elbv2`?") == true)
    }

    @Test func anUnknownOperationIsLocatedWithTheNearestName() {
        let problems = Self.problems(
            """
              - id: x
                uses: aws.call
                with:
                  account: product
                  service: ec2
                  operation: DescribeVpc
                  readOnly: true
            """)
        #expect(problems.map(\.code) == ["unknown-operation"])
        #expect(problems.first.map { "\($0.location.line):\($0.location.column)" } == "12:18")
        #expect(problems.first?.hint == "did you mean `DescribeVpcs`?")
    }

    @Test func unknownParametersWrongTypesAndWireFormsAreLocated() {
        let problems = Self.problems(
            """
              - id: x
                uses: aws.call
                with:
                  account: product
                  service: ec2
                  operation: DescribeVpcs
                  readOnly: true
                  parameters:
                    Filter.1.Name: isDefault
                    VpcId: [vpc-1]
                    MaxResults: many
                    Filters: [{ Name: x, Valuess: [y] }]
            """)
        let byLine = Dictionary(grouping: problems, by: \.location.line)
        #expect(byLine[15]?.first?.code == "unknown-parameter")
        #expect(byLine[15]?.first?.hint?.contains("wire form") == true)
        #expect(byLine[15]?.first?.hint?.contains("`Filters:") == true)
        #expect(byLine[16]?.first?.hint == "did you mean `VpcIds`?")
        #expect(byLine[17]?.first?.code == "wrong-type")
        #expect(byLine[17]?.first?.message.contains("must be an integer") == true)
        #expect(byLine[18]?.first?.message.contains("at `Filters[0]`") == true)
        #expect(byLine[18]?.first?.hint == "did you mean `Values`?")
        #expect(problems.count == 4)
    }

    @Test func parameterNamesOfAnotherProtocolsConventionGetTheModelsName() {
        let problems = Self.problems(
            """
              - id: ecs
                uses: aws.call
                with:
                  account: product
                  service: ecs
                  operation: UpdateService
                  idempotent: true
                  irreversible: true
                  parameters: { Cluster: admin, service: web, DesiredCount: 2 }
              - id: ec2
                uses: aws.call
                with: { account: product, service: ec2, operation: DescribeVpcs, readOnly: true, parameters: { vpcIds: [v] } }
            """)
        #expect(problems.map(\.code) == ["unknown-parameter", "unknown-parameter", "unknown-parameter"])
        #expect(
            problems.map { $0.hint ?? "" } == [
                "did you mean `cluster`?", "did you mean `desiredCount`?", "did you mean `VpcIds`?",
            ])
    }

    @Test func aCallMustDeclareExactlyOneWayOfBeingUndone() {
        let none = Self.problems(
            """
              - id: x
                uses: aws.call
                with: { account: product, service: sns, operation: CreateTopic, parameters: { Name: t } }
            """)
        #expect(none.map(\.code) == ["missing-key"])
        #expect(none.first?.hint?.contains("readOnly: true") == true)
        let two = Self.problems(
            """
              - id: x
                uses: aws.call
                with: { account: product, service: sns, operation: CreateTopic, readOnly: true, irreversible: true }
            """)
        #expect(two.map(\.code) == ["bad-value"])
    }

    @Test func anUndoReadsOnlyOutputsTheCallNames() {
        let problems = Self.problems(
            """
              - id: topic
                uses: aws.call
                with:
                  account: product
                  service: sns
                  operation: CreateTopic
                  parameters: { Name: t }
                  outputs: { arn: TopicArn }
                  undo: { operation: DeleteTopic, parameters: { TopicArn: "${steps.topic.outputs.ar}" } }
            """)
        #expect(problems.map(\.code) == ["unknown-output"])
        #expect(problems.first?.location.line == 15)
        #expect(problems.first?.hint == "did you mean `arn`?")
    }

    @Test func outputPathsAreCheckedAgainstTheAnswerShape() {
        let problems = Self.problems(
            """
              - id: lb
                uses: aws.call
                with:
                  account: product
                  service: elbv2
                  operation: DescribeLoadBalancers
                  readOnly: true
                  outputs: { arn: "LoadBalancer[0].LoadBalancerArn", dns: "LoadBalancers.DNSName", bad: "a..b" }
            """)
        #expect(problems.count == 3)
        #expect(problems.allSatisfy { $0.code == "bad-path" && $0.location.line == 14 })
        #expect(problems.contains { $0.hint == "did you mean `LoadBalancers`?" })
        #expect(problems.contains { $0.hint == "is `LoadBalancers` a list? then write `LoadBalancers[0].DNSName`" })
    }

    @Test func aSecretValueCannotBeAnOutput() {
        let problems = Self.problems(
            """
              - id: secret
                uses: aws.call
                with:
                  account: product
                  service: secretsmanager
                  operation: GetSecretValue
                  readOnly: true
                  parameters: { SecretId: admin/db }
                  outputs: { version: VersionId, value: SecretString }
              - id: param
                uses: aws.wait
                with: { account: product, service: ssm, operation: GetParameter, parameters: { Name: /admin/db, WithDecryption: true },
                        path: Parameter.Value, equals: x }
            """)
        #expect(problems.map(\.code) == ["bad-path", "bad-path"])
        #expect(problems.map(\.location.line) == [15, 19])
        #expect(problems.first?.message.contains("`SecretString` is a value botocore marks sensitive") == true)
    }

    @Test func aWaitMustRepeatARead() {
        let problems = Self.problems(
            """
              - id: w
                uses: aws.wait
                with: { account: product, service: ec2, operation: DeleteVpc, parameters: { VpcId: v }, path: Return, equals: "true" }
            """)
        #expect(problems.map(\.code) == ["not-a-read"])
    }

    @Test func theGuardIsValidatedAtItsLines() {
        let undeclared = Self.problems(
            """
              - id: a
                uses: approval
            guard: { alarms: [admin-5xx], account: prodcut }
            """)
        #expect(undeclared.map(\.code) == ["undeclared-account"])
        #expect(undeclared.first?.location.line == 9)
        #expect(undeclared.first?.hint?.contains("did you mean `product`?") == true)
        let shapes = Self.problems(
            """
              - id: a
                uses: approval
            guard: { alarms: admin-5xx, acount: product }
            """)
        #expect(Set(shapes.map(\.code)) == ["wrong-type", "unknown-key", "missing-key"])
    }

    @Test func aGuardIsCarriedIntoThePlan() throws {
        let plan = try Self.plan(
            """
              - id: a
                uses: approval
            guard: { alarms: [admin-5xx, admin-latency], account: product }
            """)
        #expect(plan.runGuard == RunGuardSpec(alarms: ["admin-5xx", "admin-latency"], account: "product"))
        #expect(PlanRenderer().text(plan).contains("guard       CloudWatch alarms admin-5xx, admin-latency in product"))
        let without = try Self.plan(
            """
              - id: a
                uses: approval
            """)
        #expect(without.runGuard == nil)
    }

    @Test func theCatalogHoldsTheCutoverServicesWithTheirProtocols() throws {
        let catalog = AWSModelCatalog.shared
        var operations = 0
        var timings: [String] = []
        for name in catalog.serviceNames {
            let started = ContinuousClock.now
            let model = try catalog.decode(name)
            operations += model.operations.count
            if ["ec2", "elbv2", "cloudwatch"].contains(name) { timings.append("\(name) \(ContinuousClock.now - started)") }
        }
        print(
            "aws catalog: \(catalog.compactSize) bytes of compact JSON, \(catalog.serviceNames.count) services, "
                + "\(operations) operations (botocore \(AWSModelCatalog.botocoreVersion)); decoded: \(timings.joined(separator: ", "))")
        let expected: [String: AWSServiceModel.ProtocolKind] = [
            "ec2": .ec2, "elbv2": .query, "ecs": .json, "rds": .query, "cloudwatch": .query, "secretsmanager": .json,
            "ssm": .json, "sns": .query, "sqs": .json, "dynamodb": .json, "autoscaling": .query, "elasticache": .query,
            "kms": .json, "sts": .query, "logs": .json, "events": .json, "iam": .query,
        ]
        for (name, kind) in expected {
            #expect(catalog.service(name)?.protocolKind == kind, "\(name)")
        }
        let cloudwatch = catalog.service("cloudwatch")
        #expect(cloudwatch?.apiVersion == "2010-08-01")
        #expect(cloudwatch?.signingName == "monitoring")
        #expect(cloudwatch?.operations["DescribeAlarms"]?.resultWrapper == "DescribeAlarmsResult")
        #expect(catalog.service("dynamodb")?.targetPrefix == "DynamoDB_20120810")
        #expect(catalog.service("elbv2")?.signingName == "elasticloadbalancing")
    }
}
