import AWSClient
import AWSSimulator
import Engine
import Foundation
import Runbook
import Steps
import TestSupport
import Testing

/// The Batch Operations path timed against the simulator's job rate (issue 19 item 6's "Batch
/// Operations path timed against the simulator's job rate"): a printed figure, not a timed
/// assertion. For each job rate it prints the simulated time the step took, the time the job
/// itself needs at that rate (New 1 s + Preparing 2 s + Ready 1 s + tasks ÷ rate + Completing 1 s),
/// the difference (the cost of following the job by polling), the daemon's requests per object,
/// and the real time the in-process run took.
@Suite struct S3BatchCopyFigureTests {
    @Test func batchPathAgainstTheJobRate() async throws {
        let objects = 2_000
        var lines: [String] = []
        for rate in [100.0, 1_000.0] {
            let world = try S3TestWorld()
            _ = try S3BatchCopyTests.prepare(world, objects: 0)
            for index in 0..<objects {
                try world.simulator.seedObject(
                    bucket: "admin-images", key: "images/\(String(format: "%06d", index)).jpg", body: Data("object \(index)".utf8))
            }
            var timings = S3BatchTimings()
            timings.tasksPerSecond = rate
            world.simulator.setBatchTimings(timings)
            let before = world.simulator.requestLog.count
            let startedReal = ContinuousClock.now
            let startedSim = world.fixture.clock.now()
            let run = try await world.start(S3BatchCopyTests.runbook())
            #expect(await world.fixture.driver.drive(run, onIdle: S3TestWorld.approver) == .finished(.completed))
            let simulated = world.fixture.clock.now().timeIntervalSince(startedSim)
            let real = ContinuousClock.now - startedReal
            let requests = world.simulator.requestLog.count - before
            let job = try #require(world.simulator.batchJobs(account: S3TestWorld.product).first)
            #expect(job.status == .complete)
            #expect(job.succeeded == objects)
            let jobNeeds =
                timings.newSeconds + timings.preparingSeconds + Double(objects) / timings.preparingRowsPerSecond
                + timings.readySeconds + Double(objects) / rate + timings.completingSeconds
            #expect(simulated >= jobNeeds, "the step cannot finish before its job")
            lines.append(
                String(
                    format:
                        "batch copy figure: %d objects at %.0f tasks/s: step %.1f s simulated, job alone %.1f s, following it +%.1f s; %d daemon requests (%.3f per object); %@ real",
                    objects, rate, simulated, jobNeeds, simulated - jobNeeds, requests, Double(requests) / Double(objects), "\(real)"))
        }
        for line in lines { print(line) }
    }
}
