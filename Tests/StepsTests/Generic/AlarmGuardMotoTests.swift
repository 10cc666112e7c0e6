import AWSClient
import AWSServices
import Engine
import Foundation
import Runbook
import Steps
import TestSupport
import Testing

/// The run-level alarm guard against CloudWatch in moto (DescribeAlarms, Query protocol, signed
/// by our client): the run pauses before a point of no return when an alarm is in ALARM (set
/// with SetAlarmState), says which alarm, why and where; a resume acknowledges that alarm; one
/// that fires anew pauses the run again; every read is journaled.
@Suite(.serialized) struct AlarmGuardMotoTests {
    static func putAlarm(_ world: AWSCallMotoWorld, _ name: String) async throws {
        _ = try await world.client("cloudwatch").call(
            "PutMetricAlarm",
            parameters: .fields(
                ("AlarmName", .scalar(name)), ("MetricName", .scalar("HTTPCode_Target_5XX_Count")),
                ("Namespace", .scalar("AWS/ApplicationELB")), ("Statistic", .scalar("Sum")), ("Period", .scalar("60")),
                ("EvaluationPeriods", .scalar("1")), ("Threshold", .scalar("5")),
                ("ComparisonOperator", .scalar("GreaterThanThreshold"))))
    }

    static func setState(_ world: AWSCallMotoWorld, _ name: String, _ state: String, reason: String) async throws {
        _ = try await world.client("cloudwatch").call(
            "SetAlarmState",
            parameters: .fields(
                ("AlarmName", .scalar(name)), ("StateValue", .scalar(state)), ("StateReason", .scalar(reason))))
    }

    static func guardChecks(_ world: AWSCallMotoWorld, _ run: RunExecutor) throws -> [GuardChecked] {
        try world.fixture.events(run.runId).compactMap { event in
            if case .guardChecked(let e) = event.0 { return e }
            return nil
        }
    }

    @Test func anAlarmPausesTheRunBeforeThePointOfNoReturnUntilAnOperatorResumes() async throws {
        let world = try AWSCallMotoWorld()
        let alarm = MotoFixture.uniqueName("admin-5xx")
        let topic = MotoFixture.uniqueName("guarded")
        try await Self.putAlarm(world, alarm)
        let run = try await world.start(
            world.runbook(
                """
                  - id: topic
                    uses: aws.call
                    with:
                      account: product
                      service: sns
                      operation: CreateTopic
                      parameters: { Name: \(topic) }
                      outputs: { arn: TopicArn }
                      undo: { operation: DeleteTopic, parameters: { TopicArn: "${steps.topic.outputs.arn}" } }
                  - id: announce
                    uses: aws.call
                    with:
                      account: product
                      service: sns
                      operation: Publish
                      irreversible: true
                      parameters: { TopicArn: "${steps.topic.outputs.arn}", Message: first }
                  - id: announce-again
                    uses: aws.call
                    with:
                      account: product
                      service: sns
                      operation: Publish
                      irreversible: true
                      parameters: { TopicArn: "${steps.topic.outputs.arn}", Message: second }
                """, guard: "guard: { alarms: [\(alarm)], account: product }"))
        let driver = world.fixture.driver
        #expect(await driver.drive(run) == .waitingForOperator)
        #expect(await run.snapshot().steps.first { $0.id == "announce" }?.status == .awaitingApproval)

        // The alarm fires while the approvers look; the approval does not carry the run past it.
        try await Self.setState(world, alarm, "ALARM", reason: "Threshold Crossed: 1 datapoint [12.0] was greater than 5.0")
        try await run.approve(step: "announce", by: TestPeople.alice)
        #expect(await driver.drive(run) == .waitingForOperator)
        var snapshot = await run.snapshot()
        #expect(snapshot.status == .paused)
        #expect(snapshot.reason.contains("\(alarm) is in ALARM in account product (\(world.moto.accountA))"))
        #expect(snapshot.reason.contains("Threshold Crossed: 1 datapoint [12.0]"))
        #expect(snapshot.reason.contains("before announce (a point of no return)"))
        #expect(snapshot.steps.first { $0.id == "announce" }?.attempts == 0, "nothing was published")

        // Resume acknowledges that alarm: the run goes on while it stays in ALARM.
        try await run.resume(by: TestPeople.alice, comment: "5xx from the maintenance page, expected")
        #expect(await driver.drive(run) == .waitingForOperator)
        #expect(await run.state.steps["announce"]?.succeeded == true)
        #expect(await run.snapshot().steps.first { $0.id == "announce-again" }?.status == .awaitingApproval)

        // The alarm fires anew (a new state time): the next point of no return pauses again.
        try await Self.setState(world, alarm, "OK", reason: "recovered")
        try await Self.setState(world, alarm, "ALARM", reason: "Threshold Crossed: second spike")
        try await run.approve(step: "announce-again", by: TestPeople.alice)
        #expect(await driver.drive(run) == .waitingForOperator)
        snapshot = await run.snapshot()
        #expect(snapshot.status == .paused)
        #expect(snapshot.reason.contains("second spike"))

        // Cleared and resumed: the run finishes.
        try await Self.setState(world, alarm, "OK", reason: "recovered")
        try await run.resume(by: TestPeople.alice)
        #expect(await driver.drive(run) == .finished(.completed))

        let checks = try Self.guardChecks(world, run)
        #expect(checks.map(\.verdict) == [.clear, .alarm, .clear, .alarm, .clear])
        #expect(checks.map(\.before) == [["topic"], ["announce"], ["announce"], ["announce-again"], ["announce-again"]])
        #expect(checks.map { $0.reading.alarms.map(\.state) } == [["OK"], ["ALARM"], ["ALARM"], ["ALARM"], ["OK"]])
        #expect(checks[2].acknowledged.count == 1 && checks[2].acknowledged[0].hasPrefix("\(alarm)@"))
        #expect(checks.allSatisfy { $0.reading.requestId != nil })
        #expect(checks[1].pointOfNoReturn && !checks[0].pointOfNoReturn)
        if let arn = await run.state.steps["topic"]?.outputs["arn"] {
            _ = try? await world.client("sns").call("DeleteTopic", parameters: .fields(("TopicArn", .scalar(arn))))
        }
        _ = try await world.client("cloudwatch").call("DeleteAlarms", parameters: .fields(("AlarmNames", .strings(alarm))))
    }

    @Test func anAlarmNameCloudWatchDoesNotKnowStopsTheRunBeforeItsFirstStep() async throws {
        let world = try AWSCallMotoWorld()
        let alarm = MotoFixture.uniqueName("admin-latency")
        try await Self.putAlarm(world, alarm)
        let run = try await world.start(
            world.runbook(
                """
                  - id: vpcs
                    uses: aws.call
                    with: { account: product, service: ec2, operation: DescribeVpcs, readOnly: true }
                """, guard: "guard: { alarms: [\(alarm), \(alarm)-typo], account: product }"))
        #expect(await world.fixture.driver.drive(run) == .waitingForOperator)
        let snapshot = await run.snapshot()
        #expect(snapshot.status == .paused)
        #expect(snapshot.reason.contains("\(alarm)-typo does not exist in account product"))
        #expect(snapshot.steps.first?.attempts == 0)
        let checks = try Self.guardChecks(world, run)
        #expect(checks.first?.reading.alarms.map(\.state) == ["OK", "MISSING"])
        _ = try await world.client("cloudwatch").call("DeleteAlarms", parameters: .fields(("AlarmNames", .strings(alarm))))
    }
}
