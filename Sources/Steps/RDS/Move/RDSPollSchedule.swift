import Foundation

/// When an RDS wait looks again: sooner as the resource nears completion, so the wait ends within
/// `floor` of readiness instead of up to a whole interval after it.
///
/// RDS reports `PercentProgress` for snapshots and snapshot copies. With the time the operation
/// started (its primitive's journaled `startedAt`, so the estimate survives a restart), progress
/// bounds the remaining time. The next look is at the earliest moment the resource can be ready,
/// but never sooner than `floor` nor later than the configured interval; once that moment has
/// passed, every `floor`. Where RDS gives no progress (restores, new members), an expected
/// duration does the same job (`nextLook(interval:startedAt:expected:now:)`). Pure: the caller
/// supplies the times.
enum RDSPollSchedule {
    /// The shortest gap between two looks: RDS changes slowly, and Describe calls are throttled.
    static let floor: Duration = .seconds(5)

    /// How long to wait before the next look.
    ///
    /// - Parameters:
    ///   - interval: the configured poll interval, the longest gap.
    ///   - startedAt: when the operation began (journaled), or nil when unknown.
    ///   - percent: the resource's `PercentProgress`, or nil when RDS gives none.
    static func nextLook(interval: Duration, startedAt: Date?, percent: Int?, now: Date) -> Duration {
        let ceiling = max(interval, floor)
        guard let startedAt, let percent, percent > 0 else { return ceiling }
        if percent >= 100 { return floor }  // done by RDS's count, the status not yet flipped
        let elapsed = now.timeIntervalSince(startedAt)
        guard elapsed > 0 else { return ceiling }
        // `PercentProgress` is truncated (p ≤ 100·elapsed/total < p + 1), so the total is more than
        // 100·elapsed/(p + 1): aiming at that lower bound never looks after readiness, and the
        // look after it comes at most `floor` late.
        let remaining = elapsed * Double(99 - percent) / Double(percent + 1)
        return min(ceiling, max(floor, .milliseconds(Int64((remaining * 1000).rounded(.down)))))
    }

    /// From this fraction of the expected duration on, a wait without progress looks every `floor`.
    static let denseFrom = 0.5
    /// …until this multiple of it; after that, at the configured interval again.
    static let denseUntil = 4.0

    /// How long to wait before the next look at a resource RDS gives no progress figure for (a
    /// restored instance or cluster, new cluster members), from how long it is expected to take
    /// (`RDSReadinessEstimate`) and when it started (journaled, so a restart keeps the estimate).
    ///
    /// Before half the expected time: the configured interval, but never past the moment dense
    /// polling begins. From half to four times the expected time: every `floor`, so the wait ends
    /// within 5 s of readiness for a resource up to 4× slower (or 2× faster) than expected. After
    /// that: the interval again, so a resource stuck for hours is not polled every 5 s for hours.
    ///
    /// Requests per hour of wait (one Describe call per look): 3600/interval before and after the
    /// dense span (120 at the default 30 s), 720 within it. A 25-minute restore expected at 25 min:
    /// about 25 looks before 12.5 min, then 150 until it is ready — 175 in all, against 50 at a
    /// fixed 30 s; the dense span is at most 3.5 × expected long (~1,050 looks for a 25-minute estimate).
    static func nextLook(interval: Duration, startedAt: Date?, expected: Duration, now: Date) -> Duration {
        let ceiling = max(interval, floor)
        guard let startedAt, expected > .zero else { return ceiling }
        let elapsed = now.timeIntervalSince(startedAt)
        let expectedSeconds = Double(expected.components.seconds) + Double(expected.components.attoseconds) / 1e18
        let denseStart = expectedSeconds * denseFrom
        if elapsed >= denseStart { return elapsed <= expectedSeconds * denseUntil ? floor : ceiling }
        let untilDense = Duration.milliseconds(Int64(((denseStart - elapsed) * 1000).rounded(.up)))
        return min(ceiling, max(floor, untilDense))
    }
}
