import AWSClient
import Engine
import Testing

@testable import Steps

/// The one mapping from what an AWS call threw to the `StepError` a runbook's `retry.on` sees:
/// the same code for the same failure whichever service answered.
@Suite struct AWSCallBoundaryTests {
    static func error(_ code: String, status: Int, service: String, origin: AWSError.Origin = .service) -> AWSError {
        AWSError(
            origin: origin, code: code, message: "m", httpStatus: status, operation: "Op", service: service, region: "us-east-1",
            requestId: "req-1")
    }

    @Test(arguments: [("Throttling", 400, "rds"), ("SlowDown", 503, "s3"), ("InternalError", 500, "s3"), ("Whatever", 502, "rds")])
    func transientFailuresAreTransientErrorWhicheverServiceAnswered(_ code: String, _ status: Int, _ service: String) {
        let mapped = AWSCallBoundary.stepError(Self.error(code, status: status, service: service), account: "111111111111", resource: "r")
        #expect(mapped.code == "TransientError")
        #expect(mapped.retryable)
        #expect(mapped.message.hasPrefix("\(code): "))
        #expect(mapped.requestId == "req-1")
        #expect(mapped.account == "111111111111")
    }

    @Test func aDroppedConnectionIsTransient() {
        let mapped = AWSCallBoundary.stepError(
            Self.error("Transport.connectionReset", status: 0, service: "rds", origin: .transport), account: "a", resource: nil)
        #expect(mapped.code == "TransientError")
        #expect(mapped.retryable)
    }

    @Test(arguments: [("DBSnapshotNotFound", 404, "rds"), ("OperationAborted", 409, "s3"), ("AccessDenied", 403, "s3")])
    func otherAnswersKeepAWSCodeAndAreNotRetried(_ code: String, _ status: Int, _ service: String) {
        let mapped = AWSCallBoundary.stepError(Self.error(code, status: status, service: service), account: "a", resource: "r")
        #expect(mapped.code == code)
        #expect(!mapped.retryable)
        #expect(mapped.resource == "r")
    }

    @Test func missingCredentialsAreNotRetried() {
        let mapped = AWSCallBoundary.stepError(
            Self.error("CredentialsUnavailable", status: 0, service: "s3", origin: .credentials), account: "a", resource: nil)
        #expect(mapped.code == "CredentialsUnavailable")
        #expect(!mapped.retryable)
    }

    @Test func aStepErrorPassesThroughUnchanged() {
        let original = StepError(code: "SnapshotNameTaken", message: "taken", retryable: false)
        #expect(AWSCallBoundary.stepError(original, account: "a", resource: nil) == original)
    }

    @Test func typedCodesAcceptEverySpellingOfOneCondition() {
        #expect("DBSnapshotNotFound" == AWSErrorCode.dbSnapshotNotFound)
        #expect("DBSnapshotNotFoundFault" == AWSErrorCode.dbSnapshotNotFound)
        #expect("DBClusterSnapshotNotFoundFault" == AWSErrorCode.dbClusterSnapshotNotFound)
        #expect("DBClusterSnapshotNotFound" == AWSErrorCode.dbClusterSnapshotNotFound)
        #expect("DBSnapshotNotFound" != AWSErrorCode.dbClusterSnapshotNotFound)
        #expect("Forbidden" == AWSErrorCode.accessDenied)
        #expect(AWSErrorCode.dbClusterNotFound.name == "DBClusterNotFoundFault")
        switch "NoSuchBucket" {
        case AWSErrorCode.noSuchBucket: break
        default: Issue.record("NoSuchBucket did not match .noSuchBucket")
        }
    }
}
