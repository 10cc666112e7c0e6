/// The primitive step types the S3 definitions expand into, as registered with the engine.
public enum S3PrimitiveType {
    public static let captureConfig = "s3.capture-config"
    public static let ensureBucket = "s3.ensure-bucket"
    public static let copyObjects = "s3.copy"
    public static let verifyObjects = "s3.verify"
    public static let emptyBucket = "s3.empty-bucket"
    public static let deleteBucket = "s3.delete-bucket"
    public static let createBucket = "s3.create-bucket"
    public static let restoreConfig = "s3.restore-config"
    public static let removeBucket = "s3.remove-bucket"
    /// S3 Batch Operations copy (issue 19 item 3).
    public static let batchCopy = "s3.batch-copy"

    public static let all = [
        captureConfig, ensureBucket, copyObjects, verifyObjects, emptyBucket, deleteBucket, createBucket, restoreConfig,
        removeBucket, batchCopy,
    ]
}
