import AWSServices
import Engine

/// Turns whatever an RDS, KMS or EC2 call threw into the `StepError` the engine journals: AWS's
/// own code, the request ID, the account and the resource, and whether trying again can help
/// (throttling, 5xx and connection failures can; everything else cannot).
enum RDSStepFailure {
    static func stepError(_ error: any Error, account: String, resource: String?) -> StepError {
        if let stepError = error as? StepError { return stepError }
        guard let aws = error as? AWSError else { return StepError(error) }
        return StepError(
            code: aws.code, message: aws.description, retryable: isTransient(aws), account: aws.account ?? account,
            resource: aws.resource ?? resource, requestId: aws.requestId)
    }

    /// Throttling, 5xx and transport failures: the client already retried them, the engine may too.
    static func isTransient(_ error: AWSError) -> Bool {
        if error.origin == .transport { return true }
        switch RetryClassifier.classify(code: error.code, status: error.httpStatus) {
        case .transient, .throttling, .timeout: return true
        case .clockSkew, .notRetryable: return false
        }
    }

    /// Runs a read and maps its failure.
    static func read<T: Sendable>(account: String, resource: String?, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw stepError(error, account: account, resource: resource)
        }
    }
}
