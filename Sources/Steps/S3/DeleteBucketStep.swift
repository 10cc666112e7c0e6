import AWSClient
import AWSServices
import Engine
import Foundation
import Runbook

/// `s3.delete-bucket` (a point of no return, gated): DeleteBucket of the (emptied) source, with
/// the source account as the expected owner. Output `deletedAt` is T0, from which the forced wait
/// counts. `check` asks HeadBucket: gone (404), or now someone else's (403), means our delete
/// happened; the engine then never issues DeleteBucket again. Rollback re-creates the bucket in
/// the same account once S3 releases the name (`compensate`, DeleteBucketStep+Rollback.swift).
struct DeleteBucketStep: TypedStep {
    let sessions: any AccountSessions

    func run(_ inputs: S3DeleteBucketInputs, _ context: StepContext) async throws -> TypedStepResult<S3DeleteBucketOutputs> {
        let bucket = inputs.bucket
        let session = try await S3Session.open(sessions, inputs.account)
        return try await AWSCallBoundary.read(account: session.label, resource: bucket) {
            var lostAnswers = 0
            while true {
                do {
                    _ = try await session.mutate(context, "DeleteBucket", resource: bucket, requestId: \.requestId) {
                        try await $0.deleteBucket(bucket)
                    }
                    return .done(S3DeleteBucketOutputs(deletedAt: context.clock.now(), bucket: bucket))
                } catch let error as AWSError where error.origin == .transport && lostAnswers < 3 {
                    // The answer was lost and the client does not resend an irreversible call:
                    // look before deleting again.
                    lostAnswers += 1
                    if try await session.client.headBucket(bucket) == nil {
                        return .done(S3DeleteBucketOutputs(deletedAt: context.clock.now(), bucket: bucket, alreadyGone: true))
                    }
                } catch let error as AWSError where error.code == .noSuchBucket {
                    // An earlier attempt's delete went through but its answer was lost.
                    return .done(S3DeleteBucketOutputs(deletedAt: context.clock.now(), bucket: bucket, alreadyGone: true))
                } catch let error as AWSError where error.code == .bucketNotEmpty {
                    throw StepError(
                        code: "BucketNotEmpty",
                        message: "\(bucket) received new objects after it was emptied: stop whatever writes to it, then retry "
                            + "(the retry empties it again before deleting)",
                        retryable: false, account: session.label, resource: bucket, requestId: error.requestId)
                }
            }
        }
    }

    func check(_ context: StepContext) async throws -> CheckResult {
        let inputs = try decodeInputs(context)
        let bucket = inputs.bucket
        let session = try await S3Session.open(sessions, inputs.account)
        let reconciled = S3DeleteBucketOutputs(deletedAt: context.clock.now(), bucket: bucket, reconciled: true)
        do {
            guard try await session.client.headBucket(bucket) == nil else { return .notDone }
        } catch let error as AWSError where error.httpStatus == 403 {
            // Not ours any more: our delete went through and the name has been taken since.
            return try .done(reconciled)
        }
        // Gone. The exact time of the delete is unknown; now is later, so the wait is not shortened.
        return try .done(reconciled)
    }

    /// The engine calls `compensate`; this is its one-shot form, which fails while S3 holds the name.
    func undo(_ context: StepContext) async throws {
        if case .notYet(let progress, _) = try await compensate(context) {
            throw StepError(code: "NotYet", message: progress, retryable: true)
        }
    }
}
