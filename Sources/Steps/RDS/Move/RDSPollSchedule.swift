import Foundation

/// When an RDS wait looks again: sooner as the resource nears completion, so the wait ends within
/// `floor` of readiness instead of up to a whole interval after it.
///
/// RDS reports `PercentProgress` for snapshots and snapshot copies. With the time the operation
/// started (its primitive's journaled `startedAt`, so the estimate survives a restart), progress
/// bounds the remaining time. The next look is at the earliest moment the resource can be ready,
/// but never sooner than `floor` nor later than the configured interval; once that moment has
/// passed, every `floor`. Pure: the caller supplies the times.
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
}
