import AWSClient
import AWSServices
import Engine
import Foundation

/// Turns what the AWS layer throws into the `StepError` the engine journals: AWS's code, message
/// and request ID kept, the account and resource named, transient failures marked retryable.
enum S3StepErrors {
    /// The code retry policies name for "AWS had a transient problem" (5xx, throttling, network),
    /// whatever the exact wire code was; the message keeps the original.
    static let transientCode = "TransientError"

    static let throttlingCodes: Set<String> = [
        "SlowDown", "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottled",
        "RequestThrottledException", "TooManyRequestsException", "RequestLimitExceeded", "ProvisionedThroughputExceededException",
        "BandwidthLimitExceeded", "EC2ThrottledException", "PriorRequestNotComplete",
    ]
    static let transientCodes: Set<String> = [
        "InternalError", "ServiceUnavailable", "RequestTimeout", "RequestTimeoutException", "InternalFailure",
    ]

    /// True for answers worth another try later: throttling, 5xx, network trouble.
    static func isTransient(_ error: AWSError) -> Bool {
        switch error.origin {
        case .transport: return true
        case .credentials: return false
        case .service, .malformedResponse:
            return error.httpStatus >= 500 || error.httpStatus == 429 || throttlingCodes.contains(error.code)
                || transientCodes.contains(error.code)
        }
    }

    /// The step error for `error`. Transient AWS failures become `TransientError` (retryable) with
    /// the wire code in the message, unless `keepTransientCode`; everything else keeps AWS's code.
    static func map(_ error: any Error, account: String?, resource: String?, keepTransientCode: Bool = false) -> StepError {
        switch error {
        case let error as StepError:
            return error
        case let error as AWSError:
            let transient = isTransient(error)
            return StepError(
                code: transient && !keepTransientCode ? transientCode : error.code,
                message: transient && !keepTransientCode ? "\(error.code): \(error.description)" : error.description,
                retryable: transient, account: error.account ?? account, resource: error.resource ?? resource,
                requestId: error.requestId)
        case let error as S3RequestError:
            return StepError(code: error.code.rawValue, message: error.description, retryable: false, account: account,
                             resource: error.resource ?? resource)
        default:
            return StepError(code: "\(type(of: error))", message: String(describing: error), retryable: false,
                             account: account, resource: resource)
        }
    }

    /// Runs `body`, passing cancellation through and mapping every other error.
    static func mapping<T>(account: String?, resource: String?, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw map(error, account: account, resource: resource)
        }
    }

    /// The AWS error code of `error`, if it is an AWS service answer.
    static func awsCode(_ error: any Error) -> String? {
        (error as? AWSError).map(\.code)
    }
}
