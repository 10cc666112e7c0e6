import Foundation
import Testing

@testable import Steps

/// The copy engine's adaptive concurrency (issue 19), driven by a virtual clock: every decision
/// is a function of the completions and times fed in.
@Suite struct S3ConcurrencyControllerTests {
    /// Feeds one full round (as many completions as the limit) of `latency` each, advancing the
    /// virtual clock by the latency once (the round's requests ran side by side).
    static func round(_ controller: inout S3ConcurrencyController, latency: Duration, now: inout Duration) {
        now += latency
        for _ in 0..<controller.limit { controller.record(latency: latency, throttled: false, now: now) }
    }

    @Test func startsAt64AndGrowsWhileLatencyHoldsUpToTheCeiling() {
        var controller = S3ConcurrencyController(ceiling: 1_024)
        var now = Duration.zero
        #expect(controller.limit == 64)
        var limits = [controller.limit]
        for _ in 0..<20 {
            Self.round(&controller, latency: .milliseconds(20), now: &now)
            limits.append(controller.limit)
        }
        #expect(limits.prefix(4) == [64, 80, 100, 125], "a quarter more per round: \(limits)")
        #expect(zip(limits, limits.dropFirst()).allSatisfy { $0 <= $1 }, "never shrinks without a throttle: \(limits)")
        #expect(controller.limit == 1_024)
        #expect(controller.peak == 1_024)
        Self.round(&controller, latency: .milliseconds(20), now: &now)
        #expect(controller.limit == 1_024, "the ceiling holds")
    }

    @Test func holdsWhenLatencyRisesAndGrowsAgainWhenItRecovers() {
        var controller = S3ConcurrencyController()
        var now = Duration.zero
        Self.round(&controller, latency: .milliseconds(20), now: &now)
        #expect(controller.limit == 80)
        // Twice the best round's latency: requests are queueing; more would not help.
        for _ in 0..<5 { Self.round(&controller, latency: .milliseconds(40), now: &now) }
        #expect(controller.limit == 80)
        // Within 1.5x of the best: grow again.
        Self.round(&controller, latency: .milliseconds(25), now: &now)
        #expect(controller.limit == 100)
    }

    @Test func halvesOnThrottlingOncePerCooldownDownToTheFloor() {
        var controller = S3ConcurrencyController(initial: 64, floor: 4, cooldown: .seconds(1))
        var now = Duration.seconds(10)
        controller.record(latency: .milliseconds(20), throttled: true, now: now)
        #expect(controller.limit == 32)
        // The rest of the burst (sent at the old rate) does not halve again within the cooldown.
        for step in 1...40 {
            controller.record(latency: .milliseconds(20), throttled: true, now: now + .milliseconds(step * 10))
        }
        #expect(controller.limit == 32)
        #expect(controller.halvings == 1)
        #expect(controller.throttled == 41)
        now += .seconds(1)
        controller.record(latency: .milliseconds(20), throttled: true, now: now)
        #expect(controller.limit == 16)
        for _ in 0..<5 {
            now += .seconds(2)
            controller.record(latency: .milliseconds(20), throttled: true, now: now)
        }
        #expect(controller.limit == 4, "the floor")
    }

    @Test func growsAgainOnlyAfterTheCooldownAndAThrottleFreeRound() {
        var controller = S3ConcurrencyController(initial: 64, cooldown: .seconds(1))
        var now = Duration.zero
        Self.round(&controller, latency: .milliseconds(20), now: &now)
        #expect(controller.limit == 80)
        controller.record(latency: .milliseconds(20), throttled: true, now: now)
        #expect(controller.limit == 40)
        // A clean round inside the cooldown: hold.
        Self.round(&controller, latency: .milliseconds(20), now: &now)
        #expect(controller.limit == 40)
        // A round with one throttle after the cooldown halves (new cooldown), it does not grow.
        now += .seconds(2)
        for index in 0..<controller.limit {
            controller.record(latency: .milliseconds(20), throttled: index == 3, now: now)
        }
        #expect(controller.limit == 20)
        now += .seconds(2)
        Self.round(&controller, latency: .milliseconds(20), now: &now)
        #expect(controller.limit == 25)
    }

    @Test func ceilingIsAtMost1024AndInitialWithinBounds() {
        let wide = S3ConcurrencyController(initial: 64, ceiling: 5_000)
        #expect(wide.ceiling == 1_024)
        let narrow = S3ConcurrencyController(initial: 64, ceiling: 16)
        #expect(narrow.limit == 16)
        let one = S3ConcurrencyController(initial: 1, floor: 4, ceiling: 1)
        #expect(one.limit == 1 && one.floor == 1)
    }

    /// A throttle signalled when S3 answered (before the client's retry) halves at once; the
    /// throttled copy's completion, seconds later and past the cooldown, only counts it: one
    /// SlowDown is one halving, and no round that held a throttle grows the limit.
    @Test func aThrottleSignalledWhenItHappensHalvesOnceAndItsCompletionOnlyCounts() {
        var controller = S3ConcurrencyController()
        var now = Duration.milliseconds(5)
        controller.throttleSignalled(now: now)
        #expect(controller.limit == 32)
        #expect(controller.halvings == 1)
        #expect(controller.throttled == 0, "a signal is not a throttled copy yet")

        // A whole round of other copies finishes while the throttled one backs off, within the
        // cooldown: the limit does not grow back into the throttling.
        for _ in 0..<32 { controller.record(latency: .milliseconds(20), throttled: false, now: now) }
        #expect(controller.limit == 32)

        now += .seconds(3)  // past the cooldown
        controller.record(latency: .seconds(3), throttled: true, now: now, signalled: true)
        #expect(controller.limit == 32, "its completion does not halve a second time")
        #expect(controller.halvings == 1)
        #expect(controller.throttled == 1)

        controller.throttleSignalled(now: now)
        #expect(controller.limit == 16, "a new throttle after the cooldown halves again")
    }
}
