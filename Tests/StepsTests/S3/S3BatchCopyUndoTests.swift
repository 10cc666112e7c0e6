import AWSClient
import AWSSimulator
import Foundation
import Runbook
import Steps
import Synchronization
import TestSupport
import Testing

@testable import Engine

/// The undo of `s3.batch-copy` on its own: a job still running is cancelled (UpdateJobStatus
/// Cancelled, journaled), one that ended is left alone. The step is driven pass by pass with a
/// hand-made context, as the engine would call it, because the engine undoes only steps that
/// succeeded (see the report in /work/notes/batch.md).
@Suite struct S3BatchCopyUndoTests {
    final class Sink: StepEventSink, @unchecked Sendable {
        let calls = Mutex<[AWSCallRecord]>([])
        func record(_ call: AWSCallRecord, step: String, attempt: Int) async throws { calls.withLock { $0.append(call) } }
        func progress(_ text: String, step: String) async {}
    }

    @Test func undoCancelsAJobThatIsStillRunning() async throws {
        let world = try S3TestWorld()
        _ = try S3BatchCopyTests.prepare(world, objects: 40)
        var timings = world.simulator.batchTimings
        timings.tasksPerSecond = 2
        world.simulator.setBatchTimings(timings)
        let plan = try world.plan(S3BatchCopyTests.runbook())
        try world.simulator.seedBucket("admin-images-copy", account: S3TestWorld.product)
        let step = try #require(plan.steps.first { $0.type == S3PrimitiveType.batchCopy })
        let executor = try #require(S3Steps.executors(sessions: world.sessions(plan), tuning: world.tuning)[S3PrimitiveType.batchCopy])
        let sink = Sink()
        let context = StepContext(
            runId: "run-undo", step: step, attempt: 1, phase: .forward, clock: world.fixture.clock, plan: plan, outputs: [:],
            decision: nil, sink: sink)

        // Pass 1 creates the job; pass 2 (after Preparing) confirms it; later passes follow it.
        var passes = 0
        while passes < 10 {
            passes += 1
            guard case .notYet(_, let after) = try await executor.run(context) else { break }
            world.fixture.clock.advance(to: world.fixture.clock.now().addingTimeInterval(after.map { Double($0.components.seconds) } ?? 5))
            if world.simulator.batchJobs(account: S3TestWorld.product).first?.status == .active { break }
        }
        let running = try #require(world.simulator.batchJobs(account: S3TestWorld.product).first)
        #expect(running.status == .active)

        var undo = context
        undo.phase = .undo
        try await executor.undo(undo)
        let cancels = world.requests("UpdateJobStatus").filter { $0.status == 200 }
        #expect(cancels.count == 2, "one confirmation, one cancellation")
        #expect(sink.calls.withLock { $0.map(\.operation) }.suffix(1) == ["UpdateJobStatus"])
        world.fixture.clock.advance(to: world.fixture.clock.now().addingTimeInterval(5))
        let job = try #require(world.simulator.batchJob(account: S3TestWorld.product, id: running.id))
        #expect(job.status == .cancelled)
        #expect(job.nextTask < 40)

        // Once it has ended, undo has nothing to cancel and sends nothing.
        try await executor.undo(undo)
        #expect(world.requests("UpdateJobStatus").count == 2)
    }
}
