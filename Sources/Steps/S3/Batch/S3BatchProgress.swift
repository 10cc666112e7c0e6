import AWSServices
import Foundation

/// What `cutoverctl status` shows for a Batch Operations copy, and when to look again.
///
/// The rate is measured from DescribeJob alone (tasks done ÷ `ElapsedTimeInActiveSeconds`), so a
/// restarted daemon shows the same figures; the ETA is what is left at that rate.
enum S3BatchProgress {
    /// `job 1f0c… Active: 1500/3000 tasks (2 failed), 100 tasks/s, ETA 15s`.
    static func text(_ job: S3BatchJob) -> String {
        var parts = ["job \(job.id) \(job.status)"]
        var counts = job.totalTasks.map { "\(job.tasksDone)/\($0) tasks" } ?? "manifest not read yet"
        if job.tasksFailed > 0 { counts += " (\(job.tasksFailed) failed)" }
        parts.append(counts)
        if let rate = rate(job) {
            parts.append(String(format: "%.0f tasks/s", rate))
            if let left = secondsLeft(job) { parts.append("ETA \(S3CopyProgress.duration(left))") }
        }
        if let cause = job.suspendedCause, job.status == .suspended { parts.append("suspended: \(cause)") }
        return parts[0] + ": " + parts.dropFirst().joined(separator: ", ")
    }

    static func rate(_ job: S3BatchJob) -> Double? {
        guard job.elapsedActiveSeconds > 0, job.tasksDone > 0 else { return nil }
        return Double(job.tasksDone) / Double(job.elapsedActiveSeconds)
    }

    static func secondsLeft(_ job: S3BatchJob) -> Double? {
        guard let rate = rate(job), let total = job.totalTasks else { return nil }
        return Double(max(0, total - job.tasksDone)) / rate
    }

    /// The next DescribeJob: a quarter of the time left while active (so the end is seen
    /// within a quarter of the ETA, and soon when the ETA is short), between `minimum` and a
    /// minute; `minimum` in every other status.
    static func nextPoll(_ job: S3BatchJob, minimum: Duration) -> Duration {
        guard job.status == .active, let left = secondsLeft(job) else { return minimum }
        let quarter = Duration.milliseconds(Int(left * 250))
        return min(max(quarter, minimum), .seconds(60))
    }
}
