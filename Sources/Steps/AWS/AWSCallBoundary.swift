import AWSClient
import AWSServices
import Engine
import Foundation

/// The one boundary between steps and the AWS clients: a read maps its failure, a mutating call is
/// journaled right after it returns (success with its request ID, failure with AWS's own code) and
/// then maps its failure, and every failure becomes the same `StepError` whichever service threw
/// it. Steps never build a `StepError` from an `AWSError` themselves.
///
/// What a runbook's `retry.on` sees (docs/ENGINE.md, "Step error codes"):
/// - a transient failure — throttling, a 5xx, a dropped connection, as the AWS client's
///   `RetryClassifier` judges it — is `TransientError`, retryable, with AWS's code in the message;
/// - any other AWS answer keeps AWS's code (`OperationAborted`, `DBSnapshotNotFound`), not retryable;
/// - a step input the plan should have provided is `InvalidInputs`.
///
/// The journal's call record keeps AWS's own code either way, so the audit log shows what AWS said.
struct AWSCallBoundary: Sendable {
    let context: StepContext
    /// The service as journaled (`s3`, `rds`).
    let service: String
    let region: String

    /// A mutating call, journaled with its outcome before this returns; its failure is mapped.
    /// - Parameters:
    ///   - account: the account ID the call acts in (the runbook's label when the ID is unknown).
    ///   - body: the call; returns its value and AWS's request ID.
    func mutate<T: Sendable>(
        _ operation: String, account: String, resource: String, _ body: () async throws -> (T, String?)
    ) async throws -> T {
        do {
            return try await journaled(operation, account: account, resource: resource, requestId: \.1, body).0
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw Self.stepError(error, account: account, resource: resource)
        }
    }

    /// A mutating call, journaled with its outcome, that passes on what the call threw unchanged:
    /// for steps that branch on AWS's answer before deciding what failed.
    func journaled<T>(
        _ operation: String, account: String, resource: String, requestId: (T) -> String?, _ body: () async throws -> T
    ) async throws -> T {
        let result: T
        do {
            result = try await body()
        } catch is CancellationError {
            throw CancellationError()
        } catch let error as AWSError {
            try await context.record(
                record(
                    operation, account: account, resource: resource, requestId: error.requestId, outcome: error.code,
                    retries: max(0, error.attempts - 1)))
            throw error
        }
        try await context.record(record(operation, account: account, resource: resource, requestId: requestId(result), outcome: "ok"))
        return result
    }

    private func record(
        _ operation: String, account: String, resource: String, requestId: String?, outcome: String, retries: Int = 0
    ) -> AWSCallRecord {
        AWSCallRecord(
            service: service, operation: operation, account: account, region: region, resource: resource, requestId: requestId,
            outcome: outcome, retries: retries, mutating: true)
    }

    /// Runs a read (or opening a session) and maps its failure; cancellation passes through.
    static func read<T>(account: String?, resource: String?, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw stepError(error, account: account, resource: resource)
        }
    }

    /// The step error for whatever a call threw: the one mapping every step uses.
    static func stepError(_ error: any Error, account: String?, resource: String?) -> StepError {
        switch error {
        case let error as StepError:
            return error
        case let error as AWSError:
            let transient = isTransient(error)
            return StepError(
                code: transient ? StepErrorCode.transient : error.code,
                message: transient ? "\(error.code): \(error.description)" : error.description,
                retryable: transient, account: error.account ?? account, resource: error.resource ?? resource,
                requestId: error.requestId)
        case let error as S3RequestError:
            // Refused before anything was sent (a key S3 cannot take, a malformed answer).
            return StepError(
                code: error.code.rawValue, message: error.description, retryable: false, account: account,
                resource: error.resource ?? resource)
        default:
            return StepError(
                code: "\(type(of: error))", message: String(describing: error), retryable: false, account: account,
                resource: resource)
        }
    }

    /// Whether trying again later can help, as the AWS client's retry classification says: a
    /// failed connection, throttling, a 5xx. The client has already retried these; the engine may
    /// too, under the step's retry policy.
    static func isTransient(_ error: AWSError) -> Bool {
        switch error.origin {
        case .transport: return true
        case .credentials: return false
        case .service, .malformedResponse:
            switch RetryClassifier.classify(code: error.code, status: error.httpStatus) {
            case .transient, .throttling, .timeout: return true
            case .clockSkew, .notRetryable: return false
            }
        }
    }

    /// AWS's code, when `error` is an AWS answer.
    static func awsCode(_ error: any Error) -> String? { (error as? AWSError).map(\.code) }
}
