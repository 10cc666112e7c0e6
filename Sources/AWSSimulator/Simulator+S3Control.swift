import Foundation

/// S3 Batch Operations: routing S3 Control calls (signed as `s3`) away from S3, and the knobs
/// and views tests and the demo use.
extension Simulator {
    /// S3 Control shares S3's signing name; its job paths and account header tell it apart.
    static func route(_ request: SimRequest, _ service: any SimService) -> any SimService {
        service.signingName == "s3" && S3ControlService.claims(request) ? S3ControlService() : service
    }

    /// The pace of Batch Operations jobs (the job rate is `tasksPerSecond`).
    public var batchTimings: S3BatchTimings {
        get { withState { $0.s3control.timings } }
    }

    public func setBatchTimings(_ timings: S3BatchTimings) { withState { $0.s3control.timings = timings } }

    /// Makes job tasks whose source key starts with `keyPrefix` fail with `error`.
    public func injectBatchTaskFault(_ fault: S3BatchTaskFault) { withState { $0.s3control.taskFaults.append(fault) } }

    /// A job as it stands at the simulator's now (settled first, as a DescribeJob would).
    public func batchJob(account: String, id: String) -> S3ControlJob? {
        let now = clock.now()
        return withState { state in
            state.settleBatchJob(account: account, id: id, now: now)
            return state.s3control.jobs[account]?[id]
        }
    }

    /// Every job of `account`, settled to now, oldest first.
    public func batchJobs(account: String) -> [S3ControlJob] {
        let now = clock.now()
        return withState { state in
            state.settleBatchJobs(account: account, now: now)
            return (state.s3control.jobs[account] ?? [:]).values.sorted { ($0.creationTime, $0.id) < ($1.creationTime, $1.id) }
        }
    }
}
