import AWSSimulator
import Engine
import Foundation
@testable import Steps
import Testing
import TestSupport

/// The RDS waits look again when the resource can first be ready, not a fixed interval later:
/// a snapshot or copy wait ends within `RDSPollSchedule.floor` (5 s) of the simulator's ready time.
@Suite struct RDSWaitPollingTests {
    @Test func snapshotAndCopyWaitsEndWithinFiveSecondsOfReadiness() async throws {
        // Odd durations, so readiness never falls on a multiple of the 30 s interval by chance.
        var options = RDSMoveWorld.Options()
        options.timings = RDSTimings(snapshotCreating: 317, snapshotCopying: 643)
        let world = try RDSMoveWorld(options)
        let run = try await world.fixture.start(try RDSMoveWorld.plan(RDSMoveWorld.runbook()))
        let stop = await world.fixture.driver.drive(run, onIdle: RDSMoveInstanceTests.approver)
        #expect(stop == .finished(.completed))

        let steps = await run.snapshot().steps
        let source = try #require(world.simulator.dbSnapshots(account: RDSMoveWorld.legacy).first { $0.snapshotType == "manual" })
        let copy = try #require(world.simulator.dbSnapshots(account: RDSMoveWorld.product).first)
        for (step, readyAt) in [("move-db.wait-snapshot", source.readyAt), ("move-db.wait-copy", copy.readyAt)] {
            let finished = try #require(steps.first { $0.id == step }?.finishedAt)
            let late = finished.timeIntervalSince(readyAt)
            #expect(late >= 0 && late <= 5, "\(step) ended \(late) s after the snapshot was ready")
        }
    }

    @Test func looksAtTheEarliestPossibleReadinessBetweenFloorAndInterval() {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let interval = Duration.seconds(30)
        // No progress figure, or none yet: the configured interval.
        #expect(RDSPollSchedule.nextLook(interval: interval, startedAt: start, percent: nil, now: start + 60) == interval)
        #expect(RDSPollSchedule.nextLook(interval: interval, startedAt: nil, percent: 50, now: start + 60) == interval)
        #expect(RDSPollSchedule.nextLook(interval: interval, startedAt: start, percent: 0, now: start + 10) == interval)
        // 90% after 540 s: at least 540·100/91 − 540 ≈ 53 s to go, so the interval caps it.
        #expect(RDSPollSchedule.nextLook(interval: interval, startedAt: start, percent: 90, now: start + 540) == interval)
        // 97% after 582 s: at least 582·2/98 ≈ 11.9 s to go.
        let near = RDSPollSchedule.nextLook(interval: interval, startedAt: start, percent: 97, now: start + 582)
        #expect(near > .seconds(11) && near < .seconds(12))
        // 99% or 100% without `available` yet: the floor.
        #expect(RDSPollSchedule.nextLook(interval: interval, startedAt: start, percent: 99, now: start + 595) == RDSPollSchedule.floor)
        #expect(RDSPollSchedule.nextLook(interval: interval, startedAt: start, percent: 100, now: start + 601) == RDSPollSchedule.floor)
    }

    @Test func theEstimateCountsFromTheJournaledStartNotFromARestart() {
        // A daemon restarted at 540 s sees 90%: the estimate uses the operation's journaled start,
        // so it still knows ~53 s remain rather than treating 90% as reached in no time.
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let afterRestart = RDSPollSchedule.nextLook(interval: .seconds(120), startedAt: start, percent: 90, now: start + 540)
        #expect(afterRestart > .seconds(53) && afterRestart < .seconds(54))
    }
}
