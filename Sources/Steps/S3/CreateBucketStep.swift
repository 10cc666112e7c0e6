import AWSClient
import AWSServices
import Engine
import Foundation
import Runbook

/// `s3.create-bucket`: the re-create of the moved bucket, same name, in the target account, with
/// the Object Lock and Object Ownership settings captured from the source. One attempt per call;
/// the plan's retry policy makes the loop (every 10 s for 5 min by default) and asks an operator
/// when it runs out.
///
/// - 200, or `BucketAlreadyOwnedByYou`: done once HeadBucket with the target as expected owner
///   confirms whose it is.
/// - `OperationAborted` (S3 still releasing the name) → retried by the loop; transient errors →
///   `TransientError`, retried too.
/// - `BucketAlreadyExists`: another account took the name. Never retried: the step stops and asks.
///
/// In us-east-1 S3 answers 200 to re-creating one's own bucket (and resets its ACL), so HeadBucket
/// comes first (as Terraform does).
struct CreateBucketStep: TypedStep {
    let sessions: any AccountSessions

    func run(_ inputs: S3CreateBucketInputs, _ context: StepContext) async throws -> TypedStepResult<S3CreateBucketOutputs> {
        let bucket = inputs.bucket
        let session = try await S3Session.open(sessions, inputs.account)
        let captured = capturedConfig(context, inputs)
        return try await AWSCallBoundary.read(account: session.label, resource: bucket) {
            if try await ownedByTarget(session, bucket) {
                return .done(outputs(context, bucket, .alreadyOwned))
            }
            await context.progress("attempt \(context.attempt): CreateBucket \(bucket)")
            do {
                _ = try await session.mutate(context, "CreateBucket", resource: bucket, requestId: \.requestId) {
                    try await $0.createBucket(
                        bucket, objectLockEnabled: captured?.objectLockEnabled ?? false,
                        objectOwnership: captured?.objectOwnership)
                }
            } catch let error as AWSError where error.code == .bucketAlreadyOwnedByYou {
                // An earlier attempt's create went through; confirmed below.
            } catch let error as AWSError where error.code == .bucketAlreadyExists {
                throw StepError(
                    code: "BucketAlreadyExists",
                    message: "someone else owns the name \(bucket) now: another AWS account created it after the delete. "
                        + "It will not be retried. The data is safe in the staging bucket; choose rollback or a new name.",
                    retryable: false, account: session.label, resource: bucket, requestId: error.requestId)
            } catch let error as AWSError where error.code == .operationAborted {
                throw StepError(
                    code: "OperationAborted",
                    message: "S3 is still releasing the name \(bucket) (OperationAborted); the loop tries again",
                    retryable: true, account: session.label, resource: bucket, requestId: error.requestId)
            }
            guard try await ownedByTarget(session, bucket) else {
                throw StepError(
                    code: StepErrorCode.transient,
                    message: "CreateBucket \(bucket) succeeded but HeadBucket does not see it yet", retryable: true,
                    account: session.label, resource: bucket)
            }
            return .done(outputs(context, bucket, .created))
        }
    }

    /// Done when the bucket exists and belongs to the target account.
    func check(_ context: StepContext) async throws -> CheckResult {
        let inputs = try decodeInputs(context)
        let session = try await S3Session.open(sessions, inputs.account)
        return try await ownedByTarget(session, inputs.bucket)
            ? try .done(outputs(context, inputs.bucket, .reconciled)) : .notDone
    }

    /// HeadBucket with the target account as expected owner: true when it exists and is ours,
    /// false when it is absent or someone else's (403).
    private func ownedByTarget(_ session: S3Session, _ bucket: String) async throws -> Bool {
        do {
            return try await session.read(bucket) { try await $0.headBucket(bucket) } != nil
        } catch let error as StepError where error.code == .accessDenied {
            return false
        }
    }

    private func outputs(_ context: StepContext, _ bucket: String, _ outcome: S3CreateBucketOutputs.Outcome) -> S3CreateBucketOutputs {
        S3CreateBucketOutputs(bucket: bucket, createdAt: context.clock.now(), attempts: context.attempt, outcome: outcome)
    }

    private func capturedConfig(_ context: StepContext, _ inputs: S3CreateBucketInputs) -> S3CapturedConfig? {
        guard let capture = inputs.capture, let text = context.output(of: capture, "config") else { return nil }
        return try? S3CapturedConfig.decode(text)
    }
}
