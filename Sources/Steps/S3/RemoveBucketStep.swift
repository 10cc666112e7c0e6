import AWSClient
import AWSServices
import Engine
import Foundation
import Runbook

/// `s3.remove-bucket` (irreversible, gated): empties and deletes a bucket of this run, such as the
/// staging copy once the moved bucket is verified. `check`: done when the bucket is gone.
struct RemoveBucketStep: TypedStep {
    let sessions: any AccountSessions

    func run(_ inputs: S3RemoveBucketInputs, _ context: StepContext) async throws -> TypedStepResult<S3RemoveBucketOutputs> {
        let bucket = inputs.bucket
        let session = try await S3Session.open(sessions, inputs.account)
        return try await AWSCallBoundary.read(account: session.label, resource: bucket) {
            guard try await session.client.headBucket(bucket) != nil else {
                return .done(S3RemoveBucketOutputs(bucket: bucket, alreadyGone: true))
            }
            let summary = try await S3BucketEmptier(session: session, bucket: bucket).empty(context)
            do {
                _ = try await session.mutate(context, "DeleteBucket", resource: bucket, requestId: \.requestId) {
                    try await $0.deleteBucket(bucket)
                }
            } catch let error as AWSError where error.code == .noSuchBucket {}
            return .done(S3RemoveBucketOutputs(bucket: bucket, versionsDeleted: summary.versionsDeleted))
        }
    }

    func check(_ context: StepContext) async throws -> CheckResult {
        let inputs = try decodeInputs(context)
        let bucket = inputs.bucket
        let session = try await S3Session.open(sessions, inputs.account)
        let head = try await session.read(bucket) { try await $0.headBucket(bucket) }
        return head == nil ? try .done(S3RemoveBucketOutputs(bucket: bucket, reconciled: true)) : .notDone
    }
}
