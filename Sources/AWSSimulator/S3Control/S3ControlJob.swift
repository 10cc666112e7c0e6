import Foundation

/// One S3 Batch Operations job as S3 Control keeps it (BC-S3C `JobDescriptor`; AWS-NOTES-2 BO-2…BO-8).
///
/// Only `S3PutObjectCopy` with a `S3BatchOperations_CSV_20180820` manifest is modelled: the
/// operation a bucket move needs. The job's progress is not driven by a background thread; it is
/// computed from the simulator's clock whenever the job is looked at (`S3ControlState.settle`).
public struct S3ControlJob: Sendable, Equatable {
    /// `JobStatus` (BC-S3C). `Pausing`/`Paused` (pre-emption by a higher-priority job) and
    /// `Failing` (a transition AWS passes through on its way to `Failed`) are never entered here.
    public enum Status: String, Sendable, Equatable, CaseIterable {
        case new = "New", preparing = "Preparing", suspended = "Suspended", ready = "Ready", active = "Active"
        case pausing = "Pausing", paused = "Paused", completing = "Completing", complete = "Complete"
        case cancelling = "Cancelling", cancelled = "Cancelled", failing = "Failing", failed = "Failed"

        /// Complete, Cancelled, Failed: the job never changes again (BO-6).
        public var isTerminal: Bool { self == .complete || self == .cancelled || self == .failed }
    }

    /// What `S3PutObjectCopy` asks for (BC-S3C `S3CopyObjectOperation`; BO-3).
    public struct CopyOperation: Sendable, Equatable {
        /// `arn:aws:s3:::bucket`.
        public var targetResource: String
        public var targetKeyPrefix: String?
        /// `COPY` or `REPLACE`; absent means COPY, as for CopyObject.
        public var metadataDirective: String?
        public var storageClass: String?
        /// `NewObjectMetadata` as headers (used only with `REPLACE`).
        public var newObjectMetadata: [String: String]
        /// `NewObjectTagging`: nil → the source's tags; empty → none (BO-3).
        public var newObjectTagging: [(key: String, value: String)]?
        public var sseAwsKmsKeyId: String?
        public var checksumAlgorithm: String?

        public var targetBucket: String { String(targetResource.split(separator: ":", omittingEmptySubsequences: false).last ?? "") }

        public static func == (a: CopyOperation, b: CopyOperation) -> Bool {
            a.targetResource == b.targetResource && a.targetKeyPrefix == b.targetKeyPrefix
                && a.metadataDirective == b.metadataDirective && a.storageClass == b.storageClass
                && a.newObjectMetadata == b.newObjectMetadata && a.sseAwsKmsKeyId == b.sseAwsKmsKeyId
                && a.checksumAlgorithm == b.checksumAlgorithm
                && a.newObjectTagging?.map { "\($0.key)=\($0.value)" } == b.newObjectTagging?.map { "\($0.key)=\($0.value)" }
        }
    }

    /// `JobManifest`: where the CSV is and which columns it has.
    public struct Manifest: Sendable, Equatable {
        public var format: String
        public var fields: [String]
        /// `arn:aws:s3:::bucket/key`.
        public var objectArn: String
        public var objectVersionId: String?
        public var eTag: String
    }

    /// `JobReport`.
    public struct Report: Sendable, Equatable {
        public var enabled: Bool
        /// `arn:aws:s3:::bucket`.
        public var bucket: String?
        public var format: String?
        public var prefix: String?
        /// `AllTasks` or `FailedTasksOnly`.
        public var scope: String?
    }

    /// One manifest row and, once it ran, its outcome.
    public struct Task: Sendable, Equatable {
        public var bucket: String
        public var key: String
        public var versionId: String?
        /// The manifest's (URL-encoded) key, echoed in the report as it was given.
        public var rawKey: String
        public var outcome: Outcome?
    }

    /// A task's result as the completion report records it.
    public struct Outcome: Sendable, Equatable {
        public var succeeded: Bool
        public var httpStatus: Int
        public var errorCode: String
        public var message: String
    }

    public struct FailureReason: Sendable, Equatable {
        public var code: String
        public var reason: String
    }

    public var id: String
    public var account: String
    public var region: String
    public var clientRequestToken: String
    public var description: String?
    public var confirmationRequired: Bool
    public var priority: Int
    public var roleArn: String
    public var operation: CopyOperation
    public var manifest: Manifest
    public var report: Report
    public var status: Status
    public var statusUpdateReason: String?
    public var creationTime: Date
    public var terminationDate: Date?
    public var suspendedDate: Date?
    public var suspendedCause: String?
    public var failureReasons: [FailureReason] = []
    public var tasks: [Task] = []
    /// Tasks run so far (`tasks[0..<nextTask]` have outcomes).
    public var nextTask = 0
    public var succeeded = 0
    public var failed = 0

    // The instants the status machine computes from; the next transition's time follows from them.
    var preparingSince: Date?
    var readySince: Date?
    var activeSince: Date?
    var activeUntil: Date?
    var completingSince: Date?
    var cancellingSince: Date?

    public var arn: String { "arn:aws:s3:\(region):\(account):job/\(id)" }

    /// `ProgressSummary.TotalNumberOfTasks`: known once the manifest has been read.
    public var totalTasks: Int? { status == .new || status == .preparing ? nil : tasks.count }

    /// `Timers.ElapsedTimeInActiveSeconds` at `now`.
    public func elapsedActiveSeconds(at now: Date) -> Int {
        guard let since = activeSince else { return 0 }
        let end = activeUntil.map { min($0, now) } ?? now
        return max(0, Int(end.timeIntervalSince(since).rounded(.down)))
    }
}
