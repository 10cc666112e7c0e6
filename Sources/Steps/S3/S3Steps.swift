import Engine
import Runbook

/// The S3 steps: `s3.copy-objects`, `s3.move-bucket` and their primitives (issue 5).
public enum S3Steps {
    public static var definitions: [any StepDefinition] { [S3CopyObjectsDefinition(), S3MoveBucketDefinition()] }

    public static func executors(sessions: any AccountSessions) -> [String: any Step] {
        executors(sessions: sessions, tuning: .standard)
    }

    /// The executors with the copy engine's pacing given (tests shorten the backoff).
    public static func executors(sessions: any AccountSessions, tuning: S3CopyTuning) -> [String: any Step] {
        [
            S3PrimitiveType.captureConfig: CaptureConfigStep(sessions: sessions),
            S3PrimitiveType.ensureBucket: EnsureBucketStep(sessions: sessions),
            S3PrimitiveType.copyObjects: CopyObjectsStep(sessions: sessions, tuning: tuning),
            S3PrimitiveType.verifyObjects: VerifyObjectsStep(sessions: sessions, tuning: tuning),
            S3PrimitiveType.emptyBucket: EmptyBucketStep(sessions: sessions, tuning: tuning),
            S3PrimitiveType.deleteBucket: DeleteBucketStep(sessions: sessions),
            S3PrimitiveType.createBucket: CreateBucketStep(sessions: sessions),
            S3PrimitiveType.restoreConfig: RestoreConfigStep(sessions: sessions),
            S3PrimitiveType.removeBucket: RemoveBucketStep(sessions: sessions),
            S3PrimitiveType.batchCopy: BatchCopyStep(sessions: sessions, tuning: tuning),
        ]
    }
}
