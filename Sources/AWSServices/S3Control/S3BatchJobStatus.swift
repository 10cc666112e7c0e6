/// A Batch Operations job status (BC-S3C `JobStatus`; AWS-NOTES-2 BO-6). A status this build does
/// not know is kept as it came, not refused: AWS adds statuses, and an unknown one must not
/// stop a run from following its job.
public struct S3BatchJobStatus: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let new = S3BatchJobStatus(rawValue: "New")
    public static let preparing = S3BatchJobStatus(rawValue: "Preparing")
    public static let suspended = S3BatchJobStatus(rawValue: "Suspended")
    public static let ready = S3BatchJobStatus(rawValue: "Ready")
    public static let active = S3BatchJobStatus(rawValue: "Active")
    public static let pausing = S3BatchJobStatus(rawValue: "Pausing")
    public static let paused = S3BatchJobStatus(rawValue: "Paused")
    public static let completing = S3BatchJobStatus(rawValue: "Completing")
    public static let complete = S3BatchJobStatus(rawValue: "Complete")
    public static let cancelling = S3BatchJobStatus(rawValue: "Cancelling")
    public static let cancelled = S3BatchJobStatus(rawValue: "Cancelled")
    public static let failing = S3BatchJobStatus(rawValue: "Failing")
    public static let failed = S3BatchJobStatus(rawValue: "Failed")

    /// Complete, Cancelled and Failed never change again.
    public var isTerminal: Bool { self == .complete || self == .cancelled || self == .failed }

    /// Whether UpdateJobStatus Cancelled still applies (the job has not ended or begun ending).
    public var isCancellable: Bool { !isTerminal && self != .cancelling && self != .failing && self != .completing }

    public var description: String { rawValue }
}
