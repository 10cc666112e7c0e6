import AWSServices
import Engine
import Foundation
import Runbook
import Steps
import TestSupport
import Testing

/// `aws.call` and `aws.wait` stopped at every journal write (the write lost, or landed just
/// before the crash), the journal reopened and the run resumed on moto: every crash point ends
/// with the run completed and the effect in place. Where the journal lost a non-idempotent call's
/// answer the engine asks (the test answers `retry`, as an operator who looked would); an
/// idempotent call is made again without asking.
@Suite(.serialized) struct AWSCallCrashTests {
    static func runbook(_ world: AWSCallMotoWorld, tag: String, topic: String) -> String {
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
                  outputs: { vpc: "Vpcs[0].VpcId" }
              - id: tag
                uses: aws.call
                with:
                  account: product
                  service: ec2
                  operation: CreateTags
                  idempotent: true
                  parameters: { Resources: ["${steps.vpcs.outputs.vpc}"], Tags: [{ Key: \(tag), Value: done }] }
                  undo: { operation: DeleteTags, parameters: { Resources: ["${steps.vpcs.outputs.vpc}"], Tags: [{ Key: \(tag) }] } }
              - id: topic
                uses: aws.call
                with:
                  account: product
                  service: sns
                  operation: CreateTopic
                  parameters: { Name: \(topic) }
                  outputs: { arn: TopicArn }
                  undo: { operation: DeleteTopic, parameters: { TopicArn: "${steps.topic.outputs.arn}" } }
              - id: state
                uses: aws.wait
                with:
                  account: product
                  service: ec2
                  operation: DescribeVpcs
                  parameters: { VpcIds: ["${steps.vpcs.outputs.vpc}"] }
                  path: "Vpcs[0].State"
                  equals: available
            """)
    }

    /// Answers every "did it happen?" decision with `retry`.
    static let operatorRetries: @Sendable (RunExecutor) async -> Bool = { run in
        let waiting = await run.snapshot().steps.filter { $0.decisionOptions != nil }.map(\.id)
        var acted = false
        for step in waiting where (try? await run.decide(step: step, option: "retry", by: TestPeople.alice)) != nil { acted = true }
        return acted
    }

    @Test func everyCrashPointEndsWithTheRunCompletedAndTheEffectsInPlace() async throws {
        let probe = try AWSCallMotoWorld()
        // A clean run counts the writes.
        let tag = MotoFixture.uniqueName("crash")
        let clean = try await probe.start(Self.runbook(probe, tag: tag, topic: MotoFixture.uniqueName("crash")))
        #expect(await probe.fixture.driver.drive(clean) == .finished(.completed))
        let writes = try probe.fixture.events(clean.runId).count
        var points = 0
        var asked = 0
        for point in 2...writes {
            for afterCommit in [false, true] {
                let world = try AWSCallMotoWorld()
                let tag = MotoFixture.uniqueName("crash")
                let run = try await world.start(Self.runbook(world, tag: tag, topic: MotoFixture.uniqueName("crash")))
                let base = world.fixture.journal.faults.appendsAttempted
                if afterCommit {
                    world.fixture.journal.faults.crash(afterAppend: base + Int64(point) - 1)
                } else {
                    world.fixture.journal.faults.crash(atAppend: base + Int64(point) - 1)
                }
                let first = await world.fixture.driver.drive(run, onIdle: Self.operatorRetries)
                guard first == .halted else {
                    #expect(first == .finished(.completed), "point \(point) \(afterCommit)")
                    continue
                }
                points += 1
                try world.fixture.reopen()
                guard let resumed = try await world.fixture.engine.resumeAll().first else {
                    // The last write (the run's completion) landed before the crash: nothing to resume.
                    let status = RunState.fold(try world.fixture.events(run.runId))?.status
                    #expect(
                        status == .completed && point == writes && afterCommit, "crash at write \(point): \(String(describing: status))")
                    continue
                }
                let stop = await world.fixture.driver.drive(resumed, onIdle: Self.operatorRetries)
                #expect(stop == .finished(.completed), "crash at write \(point) (\(afterCommit ? "after" : "before") it)")
                let events = try world.fixture.events(run.runId)
                asked += events.filter { if case .decisionRequested = $0.0 { return true } else { return false } }.count
                let state = await resumed.state
                let vpc = try #require(state.steps["vpcs"]?.outputs["vpc"])
                #expect(try await AWSCallMotoTests.tagValue(world, vpc: vpc, key: tag) == "done")
                let arn = try #require(state.steps["topic"]?.outputs["arn"], "crash at write \(point)")
                _ = try? await world.client("sns").call("DeleteTopic", parameters: .fields(("TopicArn", .scalar(arn))))
                _ = try? await world.client("ec2").call(
                    "DeleteTags", parameters: .fields(("Resources", .strings(vpc)), ("Tags", .list([.fields(("Key", .scalar(tag)))]))))
            }
        }
        print("aws.call crash sweep: \(writes) writes, \(points) crash points resumed, \(asked) decisions asked")
        #expect(points == 2 * (writes - 1), "every write of the run was a crash point, before and after it")
        #expect(asked >= 1, "the crash between CreateTopic and its journal record asks the operator")
    }
}
