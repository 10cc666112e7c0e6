import AWSClient

// MARK: - S3 Control (Batch Operations)

extension AWSErrorCode {
    /// No such job. The model names `NotFoundException`; AWS's troubleshooting guide names
    /// `NoSuchJobException` (AWS-NOTES-2 BO-2), so both are accepted.
    public static let batchJobNotFound = AWSErrorCode("NotFoundException", alsoSpelled: "NoSuchJobException", "NoSuchJob")
    /// UpdateJobStatus asked for a transition the job's status does not allow.
    public static let batchJobStatus = AWSErrorCode("JobStatusException")
    /// A client request token reused with a different CreateJob request.
    public static let batchIdempotency = AWSErrorCode("IdempotencyException")
}
