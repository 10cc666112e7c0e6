import Foundation

/// What DescribeJob (and, in part, ListJobs) says about a job (BC-S3C `JobDescriptor`,
/// `JobListDescriptor`; AWS-NOTES-2 BO-8).
public struct S3BatchJob: Sendable, Equatable {
    public struct FailureReason: Sendable, Equatable {
        public var code: String
        public var reason: String
    }

    public var id: String
    public var status: S3BatchJobStatus
    public var description: String?
    /// Unknown (nil) until the manifest has been read.
    public var totalTasks: Int?
    public var tasksSucceeded: Int
    public var tasksFailed: Int
    public var elapsedActiveSeconds: Int
    public var failureReasons: [FailureReason]
    public var creationTime: Date?
    public var terminationDate: Date?
    public var suspendedCause: String?
    public var statusUpdateReason: String?
    /// The report's bucket ARN and prefix (DescribeJob only).
    public var reportBucketArn: String?
    public var reportPrefix: String?
    public var requestId: String?

    /// Tasks finished, succeeded or failed.
    public var tasksDone: Int { tasksSucceeded + tasksFailed }
}

/// One page of ListJobs.
public struct S3BatchJobPage: Sendable, Equatable {
    public var jobs: [S3BatchJob]
    public var nextToken: String?
}
