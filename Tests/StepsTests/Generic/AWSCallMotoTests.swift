import AWSClient
import AWSServices
import Engine
import Foundation
import Runbook
import Steps
import TestSupport
import Testing

/// `aws.call` and `aws.wait` on moto with signature checking, through our own client: the EC2,
/// Query (ELBv2, SNS) and JSON (DynamoDB) protocols, outputs picked by path, a wait that matches
/// and one that times out on the virtual clock, undo in rollback (reading the call's own
/// outputs), an irreversible call gated by an approval, and crash reconciliation.
@Suite(.serialized) struct AWSCallMotoTests {
    static func tagRunbook(_ world: AWSCallMotoWorld, tag: String, waitFor: String, timeout: String = "1m") -> String {
        world.runbook(
            """
              - id: vpcs
                uses: aws.call
                with:
                  account: product
                  service: ec2
                  operation: DescribeVpcs
                  readOnly: true
                  parameters: { Filters: [{ Name: isDefault, Values: ["true"] }] }
                  outputs: { vpc: "Vpcs[0].VpcId", cidr: "Vpcs[0].CidrBlock" }
              - id: tag
                uses: aws.call
                with:
                  account: product
                  service: ec2
                  operation: CreateTags
                  parameters: { Resources: ["${steps.vpcs.outputs.vpc}"], Tags: [{ Key: \(tag), Value: done }] }
                  undo: { operation: DeleteTags, parameters: { Resources: ["${steps.vpcs.outputs.vpc}"], Tags: [{ Key: \(tag) }] } }
              - id: state
                uses: aws.wait
                onFailure: rollback
                with:
                  account: product
                  service: ec2
                  operation: DescribeVpcs
                  parameters: { VpcIds: ["${steps.vpcs.outputs.vpc}"] }
                  path: "Vpcs[0].State"
                  equals: \(waitFor)
                  every: 10s
                  timeout: \(timeout)
            """)
    }

    /// The tag's value on the VPC, read with DescribeTags (an operation the run does not use).
    static func tagValue(_ world: AWSCallMotoWorld, vpc: String, key: String) async throws -> String? {
        let answer = try await world.client("ec2").call(
            "DescribeTags",
            parameters: .fields(
                (
                    "Filters",
                    .list([
                        .fields(("Name", .scalar("resource-id")), ("Values", .strings(vpc))),
                        .fields(("Name", .scalar("key")), ("Values", .strings(key))),
                    ])
                )))
        return answer.document["Tags"]?[0]?["Value"]?.text
    }

    @Test func anEC2CallTagsTheVPCItsReadFoundAndAWaitMatches() async throws {
        let world = try AWSCallMotoWorld()
        let tag = MotoFixture.uniqueName("cutover")
        let run = try await world.start(Self.tagRunbook(world, tag: tag, waitFor: "available"))
        let stop = await world.fixture.driver.drive(run)
        let failures = await AWSCallMotoWorld.failures(run)
        #expect(stop == .finished(.completed), "\(failures)")
        let state = await run.state
        let vpc = try #require(state.steps["vpcs"]?.outputs["vpc"])
        #expect(vpc.hasPrefix("vpc-"))
        #expect(state.steps["vpcs"]?.outputs["cidr"]?.contains("/") == true)
        #expect(state.steps["state"]?.outputs["value"] == "available")
        #expect(state.steps["state"]?.attempts == 1)
        #expect(try await Self.tagValue(world, vpc: vpc, key: tag) == "done")
        // The mutating call is journaled with its request ID; the reads are not.
        let calls = try world.fixture.events(run.runId).compactMap { event -> AWSCallRecord? in
            if case .awsCall(let e) = event.0 { return e.call }
            return nil
        }
        #expect(calls.map(\.operation) == ["CreateTags"])
        #expect(calls.first?.service == "ec2" && calls.first?.outcome == "ok" && calls.first?.requestId != nil)
        _ = try await world.client("ec2").call(
            "DeleteTags", parameters: .fields(("Resources", .strings(vpc)), ("Tags", .list([.fields(("Key", .scalar(tag)))]))))
    }

    @Test func aWaitThatNeverMatchesTimesOutOnTheEngineClockAndRollsBackTheTag() async throws {
        let world = try AWSCallMotoWorld()
        let tag = MotoFixture.uniqueName("cutover")
        let started = world.fixture.clock.now()
        let run = try await world.start(Self.tagRunbook(world, tag: tag, waitFor: "deleted"))
        #expect(await world.fixture.driver.drive(run) == .finished(.rolledBack))
        let state = await run.state
        let vpc = try #require(state.steps["vpcs"]?.outputs["vpc"])
        let wait = try #require(state.steps["state"])
        #expect(wait.attempts == 7, "reads at 0, 10, …, 60 s of virtual time")
        #expect(wait.lastError?.code == "ValueNotMatched")
        #expect(wait.lastError?.message.contains("Vpcs[0].State is `available`, waiting for `deleted`") == true)
        #expect(world.fixture.clock.now().timeIntervalSince(started) >= 60)
        #expect(world.fixture.clock.now().timeIntervalSince(started) < 120, "a minute of waiting took no real minute")
        #expect(state.steps["tag"]?.undone == true)
        #expect(try await Self.tagValue(world, vpc: vpc, key: tag) == nil, "rollback ran DeleteTags")
        let operations = try world.fixture.events(run.runId).compactMap { event -> String? in
            if case .awsCall(let e) = event.0 { return "\(e.call.operation):\(e.call.outcome)" }
            return nil
        }
        #expect(operations == ["CreateTags:ok", "DeleteTags:ok"])
    }

    @Test func aLoadBalancerIsCreatedWaitedForAndItsUndoReadsItsOwnARN() async throws {
        let world = try AWSCallMotoWorld()
        let name = MotoFixture.uniqueName("lb").prefix(30)
        let run = try await world.start(
            world.runbook(
                """
                  - id: subnets
                    uses: aws.call
                    with:
                      account: product
                      service: ec2
                      operation: DescribeSubnets
                      readOnly: true
                      parameters: { Filters: [{ Name: default-for-az, Values: ["true"] }] }
                      outputs: { a: "Subnets[0].SubnetId", b: "Subnets[1].SubnetId" }
                  - id: lb
                    uses: aws.call
                    with:
                      account: product
                      service: elbv2
                      operation: CreateLoadBalancer
                      parameters:
                        Name: \(name)
                        Subnets: ["${steps.subnets.outputs.a}", "${steps.subnets.outputs.b}"]
                        Tags: [{ Key: cutover, Value: test }]
                      outputs: { arn: "LoadBalancers[0].LoadBalancerArn", dns: "LoadBalancers[0].DNSName" }
                      undo:
                        operation: DeleteLoadBalancer
                        parameters: { LoadBalancerArn: "${steps.lb.outputs.arn}" }
                        ignoreErrors: [LoadBalancerNotFound]
                  - id: active
                    uses: aws.wait
                    with:
                      account: product
                      service: elbv2
                      operation: DescribeLoadBalancers
                      parameters: { Names: [\(name)] }
                      path: "LoadBalancers[0].State.Code"
                      in: [active]
                      every: 5s
                      timeout: 2m
                      outputs: { zone: "LoadBalancers[0].AvailabilityZones[-1].ZoneName", type: "LoadBalancers[0].Type" }
                  - id: switch-over
                    uses: approval
                    message: "Point DNS at ${steps.lb.outputs.dns}, then approve."
                """))
        let stop = await world.fixture.driver.drive(run)
        let failures = await AWSCallMotoWorld.failures(run)
        #expect(stop == .waitingForOperator, "\(failures)")
        let state = await run.state
        let arn = try #require(state.steps["lb"]?.outputs["arn"])
        #expect(arn.hasPrefix("arn:aws:elasticloadbalancing:"))
        #expect(state.steps["active"]?.outputs["value"] == "active")
        // moto leaves Scheme out of its answer (boto3 sees none either), so these two fields.
        #expect(state.steps["active"]?.outputs["type"] == "application")
        #expect(state.steps["active"]?.outputs["zone"]?.hasPrefix(world.moto.region) == true)
        let described = try await world.client("elbv2").call(
            "DescribeLoadBalancers", parameters: .fields(("LoadBalancerArns", .strings(arn))))
        #expect(described.document["LoadBalancers"]?[0]?["LoadBalancerName"]?.text == String(name))

        try await run.rollback(by: TestPeople.alice, comment: "DNS cannot be switched tonight")
        #expect(await world.fixture.driver.drive(run) == .finished(.rolledBack))
        await #expect(throws: AWSError.self) {
            _ = try await world.client("elbv2").call("DescribeLoadBalancers", parameters: .fields(("LoadBalancerArns", .strings(arn))))
        }
    }

    @Test func queryAndJSONServicesWithAnIrreversibleCallGatedByApproval() async throws {
        let world = try AWSCallMotoWorld()
        let topic = MotoFixture.uniqueName("topic")
        let table = MotoFixture.uniqueName("table")
        let run = try await world.start(
            world.runbook(
                """
                  - id: topic
                    uses: aws.call
                    with:
                      account: product
                      service: sns
                      operation: CreateTopic
                      parameters: { Name: \(topic), Attributes: { DisplayName: Cutover } }
                      outputs: { arn: TopicArn }
                      undo: { operation: DeleteTopic, parameters: { TopicArn: "${steps.topic.outputs.arn}" } }
                  - id: table
                    uses: aws.call
                    with:
                      account: product
                      service: dynamodb
                      operation: CreateTable
                      parameters:
                        TableName: \(table)
                        AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]
                        KeySchema: [{ AttributeName: id, KeyType: HASH }]
                        BillingMode: PAY_PER_REQUEST
                      outputs: { arn: TableDescription.TableArn }
                      undo: { operation: DeleteTable, parameters: { TableName: \(table) } }
                  - id: item
                    uses: aws.call
                    with:
                      account: product
                      service: dynamodb
                      operation: PutItem
                      idempotent: true
                      parameters: { TableName: \(table), Item: { id: { S: db }, host: { S: "${steps.topic.outputs.arn}" }, port: { N: "3306" } } }
                      undo: { operation: DeleteItem, parameters: { TableName: \(table), Key: { id: { S: db } } } }
                  - id: read
                    uses: aws.call
                    with:
                      account: product
                      service: dynamodb
                      operation: GetItem
                      readOnly: true
                      parameters: { TableName: \(table), Key: { id: { S: db } }, ConsistentRead: true }
                      outputs: { host: Item.host.S, port: Item.port.N }
                  - id: announce
                    uses: aws.call
                    with:
                      account: product
                      service: sns
                      operation: Publish
                      irreversible: true
                      parameters: { TopicArn: "${steps.topic.outputs.arn}", Message: "cut over to ${steps.read.outputs.host}" }
                      outputs: { id: MessageId }
                """))
        #expect(await world.fixture.driver.drive(run) == .waitingForOperator)
        #expect(
            await run.snapshot().steps.first { $0.id == "announce" }?.status == .awaitingApproval,
            "an irreversible call waits for its approval before it is sent")
        let stop = await world.fixture.driver.drive(run, onIdle: AWSCallMotoWorld.approver)
        let failures = await AWSCallMotoWorld.failures(run)
        #expect(stop == .finished(.completed), "\(failures)")
        let state = await run.state
        let topicArn = try #require(state.steps["topic"]?.outputs["arn"])
        #expect(topicArn.hasSuffix(":\(topic)"))
        #expect(state.steps["table"]?.outputs["arn"]?.hasSuffix("table/\(table)") == true)
        #expect(state.steps["read"]?.outputs["host"] == topicArn)
        #expect(state.steps["read"]?.outputs["port"] == "3306")
        #expect(state.steps["announce"]?.outputs["id"]?.isEmpty == false)
        _ = try await world.client("dynamodb").call("DeleteTable", parameters: .fields(("TableName", .scalar(table))))
        _ = try await world.client("sns").call("DeleteTopic", parameters: .fields(("TopicArn", .scalar(topicArn))))
    }

    /// A call that is not idempotent and whose answer the journal lost: after the restart the
    /// engine cannot tell whether it took effect, so it asks the operator; one declared
    /// `idempotent: true` is simply made again.
    @Test(arguments: [false, true]) func aCrashAfterTheCallAsksTheOperatorUnlessItIsIdempotent(idempotent: Bool) async throws {
        let world = try AWSCallMotoWorld()
        let topic = MotoFixture.uniqueName("crash")
        let run = try await world.start(
            world.runbook(
                """
                  - id: topic
                    uses: aws.call
                    with:
                      account: product
                      service: sns
                      operation: CreateTopic
                      idempotent: \(idempotent)
                      parameters: { Name: \(topic) }
                      outputs: { arn: TopicArn }
                      undo: { operation: DeleteTopic, parameters: { TopicArn: "${steps.topic.outputs.arn}" } }
                """))
        // Appends: 1 run.created; 2 attempt.started; 3 the call's aws.call record — lost: cutoverd died
        // after AWS answered and before the journal knew.
        world.fixture.journal.faults.crash(atAppend: world.fixture.journal.faults.appendsAttempted + 2)
        #expect(await world.fixture.driver.drive(run) == .halted)
        let kinds = try world.fixture.events(run.runId).map(\.0.kind)
        #expect(kinds == ["run.created", "attempt.started"])

        try world.fixture.reopen()
        let resumed = try #require(try await world.fixture.engine.resumeAll().first)
        if idempotent {
            #expect(await world.fixture.driver.drive(resumed) == .finished(.completed))
        } else {
            #expect(await world.fixture.driver.drive(resumed) == .waitingForOperator)
            let step = try #require(await resumed.snapshot().steps.first { $0.id == "topic" })
            #expect(step.decisionOptions == ["retry", "mark-done", "rollback"])
            #expect(step.decisionReason?.contains("sns CreateTopic") == true)
            #expect(step.decisionReason?.contains("idempotent: true") == true)
            try await resumed.decide(step: "topic", option: "retry", by: TestPeople.alice, comment: "CreateTopic is idempotent by name")
            #expect(await world.fixture.driver.drive(resumed) == .finished(.completed))
        }
        let arn = try #require(await resumed.state.steps["topic"]?.outputs["arn"])
        let reconciled = try world.fixture.events(run.runId).compactMap { event -> AttemptReconciled.Finding? in
            if case .attemptReconciled(let e) = event.0 { return e.finding }
            return nil
        }
        #expect(reconciled == [idempotent ? .notDone : .unknown])
        _ = try await world.client("sns").call("DeleteTopic", parameters: .fields(("TopicArn", .scalar(arn))))
    }
}
