import Foundation
import Testing

@testable import Steps

/// The copy's worker schedule (issue 19): a fixed set of workers pulling objects, kept at the
/// adaptive controller's limit. Driven here without tasks, worker by worker, so every hand-out
/// and every stop can be checked against the limit of the moment.
@Suite struct S3CopySchedulerTests {
    /// A deterministic stand-in for the task group: `workers` hold their object in flight; a
    /// finished worker reports to the schedule and then either takes the next object, stops, or
    /// (when the limit grew) hands its place to `addWorkers + 1` new workers, as the copier does.
    struct Pool {
        let schedule: S3CopyScheduler<Int>
        var inFlight: [Int] = []
        var handedOut: [Int] = []
        var peakInFlight = 0
        /// Objects handed out while that made more in flight than the limit of the moment.
        var handedOutOverLimit = 0

        init(_ schedule: S3CopyScheduler<Int>) {
            self.schedule = schedule
            for _ in 0..<schedule.start() { startWorker() }
        }

        mutating func startWorker() {
            guard let index = schedule.take() else { return }
            inFlight.append(index)
            handedOut.append(index)
            if inFlight.count > schedule.controller.limit { handedOutOverLimit += 1 }
            peakInFlight = max(peakInFlight, inFlight.count)
        }

        /// The oldest object in flight completes; returns the limit the controller then allows.
        @discardableResult
        mutating func completeOne(throttled: Bool, now: Duration) -> Int {
            inFlight.removeFirst()
            let (add, limit) = schedule.finished(latency: .milliseconds(20), throttled: throttled, now: now) { tally, controller in
                tally += 1
                return controller.limit
            }
            if add > 0 {
                for _ in 0..<(add + 1) { startWorker() }
            } else {
                startWorker()
            }
            return limit
        }
    }

    @Test func everyObjectIsHandedOutOnceAndWorkersStopWhenNoneIsLeft() {
        let schedule = S3CopyScheduler(count: 10, controller: S3ConcurrencyController(initial: 4, floor: 1), tally: 0)
        var pool = Pool(schedule)
        #expect(pool.inFlight.count == 4)
        var now = Duration.zero
        while !pool.inFlight.isEmpty {
            now += .milliseconds(20)
            pool.completeOne(throttled: false, now: now)
        }
        #expect(pool.handedOut.sorted() == Array(0..<10))
        #expect(Set(pool.handedOut).count == 10, "no object twice")
        #expect(schedule.workers == 0, "every worker stopped")
        #expect(schedule.tally == 10)
    }

    @Test func fewerObjectsThanTheLimitStartOnlyAsManyWorkers() {
        let schedule = S3CopyScheduler(count: 3, controller: S3ConcurrencyController(initial: 64), tally: 0)
        #expect(schedule.start() == 3)
        #expect(schedule.workers == 3)
        let empty = S3CopyScheduler(count: 0, controller: S3ConcurrencyController(initial: 64), tally: 0)
        #expect(empty.start() == 0)
    }

    @Test func theLimitGrowsAfterARoundAndTheScheduleAsksForTheNewWorkers() {
        let schedule = S3CopyScheduler(count: 1_000, controller: S3ConcurrencyController(initial: 8, floor: 1), tally: 0)
        var pool = Pool(schedule)
        var now = Duration.zero
        var limits: [Int] = []
        for _ in 0..<40 {
            now += .milliseconds(20)
            limits.append(pool.completeOne(throttled: false, now: now))
            #expect(pool.inFlight.count <= schedule.controller.limit)
        }
        // 8 completions make a round: 8 → 10; 10 more: 10 → 12; 12 more: 12 → 15.
        #expect(limits[7] == 10 && limits[17] == 12 && limits[29] == 15, "\(limits)")
        #expect(pool.inFlight.count == 15, "the pool follows the limit up")
        #expect(schedule.workers == 15)
    }

    @Test func afterAHalvingFinishedWorkersStopUntilTheLimitHolds() {
        let schedule = S3CopyScheduler(count: 1_000, controller: S3ConcurrencyController(initial: 16, floor: 1), tally: 0)
        var pool = Pool(schedule)
        #expect(pool.inFlight.count == 16)
        let limit = pool.completeOne(throttled: true, now: .milliseconds(20))
        #expect(limit == 8)
        // The throttled worker stopped (16 running > 8 allowed); so does each one finishing next,
        // until no more than 8 run; from then on each finished worker takes the next object.
        #expect(pool.inFlight.count == 15)
        for step in 0..<7 {
            pool.completeOne(throttled: false, now: .milliseconds(40))
            #expect(pool.inFlight.count == 14 - step)
        }
        #expect(pool.inFlight.count == 8)
        #expect(schedule.workers == 8)
        pool.completeOne(throttled: false, now: .milliseconds(60))
        #expect(pool.inFlight.count == 8, "at the limit, a finished worker takes the next object")
        #expect(pool.peakInFlight == 16)
        #expect(pool.handedOutOverLimit == 0)
    }

    @Test func inFlightNeverExceedsTheLimitUnderMixedThrottling() {
        let objects = 5_000
        let schedule = S3CopyScheduler(count: objects, controller: S3ConcurrencyController(initial: 64, floor: 4, ceiling: 512), tally: 0)
        var pool = Pool(schedule)
        var now = Duration.zero
        var completions = 0
        var halvings = 0
        while !pool.inFlight.isEmpty {
            now += .milliseconds(1)
            completions += 1
            let before = schedule.controller.limit
            // A burst of throttling every 1,500 completions (1.5 s on this clock, past the cooldown).
            let limit = pool.completeOne(throttled: (1_400..<1_403).contains(completions % 1_500), now: now)
            if limit < before { halvings += 1 }
        }
        // A halving does not cancel the copies in flight; it stops new ones until they drain.
        #expect(pool.handedOutOverLimit == 0)
        #expect(halvings == 3)
        #expect(schedule.controller.peak > 64)
        #expect(pool.handedOut.count == objects && Set(pool.handedOut).count == objects)
        #expect(schedule.tally == objects)
        #expect(schedule.workers == 0)
    }
}
