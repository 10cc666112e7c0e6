import AWSSimulator
import Engine
import Foundation
import TestSupport
import Testing

@testable import Steps

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

    // MARK: Waits without a progress figure (issue 19 item 5): restores and cluster members

    /// When the simulator makes `resource` available: its creation plus the creating and
    /// backing-up spans of its timeline — checked against its status on both sides of that moment.
    static func readyAt(created: Date, _ timings: RDSTimings, status: (Date) -> String) -> Date {
        let ready = created.addingTimeInterval(timings.instanceCreating + timings.instanceBackingUp)
        #expect(status(ready.addingTimeInterval(-0.5)) != "available" && status(ready) == "available")
        return ready
    }

    /// How fast the resource is relative to its expected duration.
    enum Pace: String, CaseIterable, Sendable, CustomTestStringConvertible {
        /// About 0.7 × expected.
        case quicker
        /// 3 × expected.
        case threeTimesSlower
        var testDescription: String { rawValue }

        /// The simulator's creating span for a resource expected to take `expected`, with 120 s of
        /// backing-up after it and an odd second so readiness never falls on a poll by chance.
        func creating(expected: Duration) -> TimeInterval {
            let seconds = Double(expected.components.seconds)
            return (self == .quicker ? 0.7 * seconds : 3 * seconds) - 120 + 7
        }
    }

    @Test(arguments: Pace.allCases)
    func anInstanceRestoreWaitEndsWithinFiveSecondsOfReadiness(_ pace: Pace) async throws {
        // The restored instance has the snapshot's 20 GiB: expected 15 min + 2 min.
        let expected = RDSReadinessEstimate.instanceRestore(allocatedGiB: 20)
        #expect(expected == .seconds(17 * 60))
        var options = RDSMoveWorld.Options()
        options.timings = RDSTimings(instanceCreating: pace.creating(expected: expected))
        let world = try RDSMoveWorld(options)
        let run = try await world.fixture.start(try RDSMoveWorld.plan(RDSMoveWorld.runbook()))
        #expect(await world.fixture.driver.drive(run, onIdle: RDSMoveInstanceTests.approver) == .finished(.completed))

        let restored = try #require(world.simulator.dbInstances(account: RDSMoveWorld.product).first { $0.identifier == "admin-db" })
        #expect(restored.allocatedStorage == 20)
        let ready = Self.readyAt(created: restored.createdAt, options.timings) { restored.status(at: $0) }
        let finished = try #require(await run.snapshot().steps.first { $0.id == "move-db.wait-restore" }?.finishedAt)
        let late = finished.timeIntervalSince(ready)
        #expect(late >= 0 && late <= 5, "\(pace): wait-restore ended \(late) s after the instance was ready")
        let looks = try world.fixture.events(run.runId).filter { event, _ in
            if case let .pollPending(poll) = event { return poll.step == "move-db.wait-restore" }
            return false
        }.count
        print(
            "rds instance restore \(pace): ready after \(Int(ready.timeIntervalSince(restored.createdAt))) s, "
                + "wait ended \(late) s later, \(looks + 1) looks")
    }

    @Test(arguments: Pace.allCases)
    func clusterAndMemberWaitsEndWithinFiveSecondsOfReadiness(_ pace: Pace) async throws {
        #expect(RDSReadinessEstimate.clusterRestore == RDSReadinessEstimate.clusterMember)
        var options = RDSClusterMoveWorld.Options()
        options.timings = RDSTimings(instanceCreating: pace.creating(expected: RDSReadinessEstimate.clusterRestore))
        let world = try RDSClusterMoveWorld(options)
        let run = try await world.fixture.start(try RDSMoveKindCase.cluster.movePlan())
        #expect(await world.fixture.driver.drive(run, onIdle: RDSMoveKindCase.approver) == .finished(.completed))

        let steps = await run.snapshot().steps
        let cluster = try #require(
            world.simulator.dbClusters(account: RDSClusterMoveWorld.product).first { $0.identifier == "admin-aurora" })
        let clusterReady = Self.readyAt(created: cluster.createdAt, options.timings) { cluster.status(at: $0) }
        let members = world.simulator.dbInstances(account: RDSClusterMoveWorld.product).filter { cluster.members.contains($0.identifier) }
        #expect(members.count == 2)
        let membersReady = try #require(
            members.map { member in
                Self.readyAt(created: member.createdAt, options.timings) { member.status(at: $0) }
            }.max())
        for (step, ready) in [("move-aurora.wait-cluster", clusterReady), ("move-aurora.wait-members", membersReady)] {
            let finished = try #require(steps.first { $0.id == step }?.finishedAt)
            let late = finished.timeIntervalSince(ready)
            #expect(late >= 0 && late <= 5, "\(pace): \(step) ended \(late) s after readiness")
        }
    }

    @Test func withoutProgressPollingIsSparseThenDenseAroundTheExpectedDurationThenSparseAgain() {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let interval = Duration.seconds(30)
        let expected = Duration.seconds(1000)
        func look(_ elapsed: TimeInterval, startedAt: Date? = start) -> Duration {
            RDSPollSchedule.nextLook(interval: interval, startedAt: startedAt, expected: expected, now: start + elapsed)
        }
        // Before half the expected time: the interval, but not past the start of the dense span.
        #expect(look(10) == interval)
        #expect(look(480) == .seconds(20))
        #expect(look(498) == RDSPollSchedule.floor)
        // From 0.5× to 4× expected: every 5 s.
        #expect(look(500) == RDSPollSchedule.floor)
        #expect(look(1000) == RDSPollSchedule.floor)
        #expect(look(3000) == RDSPollSchedule.floor)
        #expect(look(4000) == RDSPollSchedule.floor)
        // Stuck far beyond the estimate: the interval again, not 720 looks an hour for hours.
        #expect(look(4001) == interval)
        // Unknown start: the interval.
        #expect(look(900, startedAt: nil) == interval)
        // The looks of a wait that ends at 3× expected, from its start: sparse then dense.
        var elapsed: TimeInterval = 0
        var looks = 0
        while elapsed < 3000 {
            let next = look(elapsed)
            elapsed += Double(next.components.seconds) + Double(next.components.attoseconds) / 1e18
            looks += 1
        }
        #expect(elapsed - 3000 <= 5)
        // 500 s at 30 s (17 looks), then 2,500 s at 5 s (500 looks).
        #expect(looks == 517)
    }
}
