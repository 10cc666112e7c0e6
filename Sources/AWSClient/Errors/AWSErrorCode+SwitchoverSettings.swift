// MARK: - Secrets Manager, SSM Parameter Store, Route 53 (the switch-over's settings and DNS)

extension AWSErrorCode {
    /// Secrets Manager: no such secret (AWS answers 400, moto 404).
    public static let resourceNotFound = AWSErrorCode("ResourceNotFoundException")
    /// Secrets Manager: the `ClientRequestToken` names a version with different data.
    public static let resourceExists = AWSErrorCode("ResourceExistsException")
    /// Parameter Store: no such parameter.
    public static let parameterNotFound = AWSErrorCode("ParameterNotFound")
    /// Route 53: no such hosted zone.
    public static let noSuchHostedZone = AWSErrorCode("NoSuchHostedZone")
    /// Route 53: a change the zone refuses (a DELETE that does not match the record exactly). moto
    /// answers `InvalidInput` where AWS says `InvalidChangeBatch` (AWS-NOTES-2 R53-6).
    public static let invalidChangeBatch = AWSErrorCode("InvalidChangeBatch", alsoSpelled: "InvalidInput")
    /// Route 53: the zone is still applying an earlier change; AWS says to retry with backoff.
    public static let priorRequestNotComplete = AWSErrorCode("PriorRequestNotComplete")
}
