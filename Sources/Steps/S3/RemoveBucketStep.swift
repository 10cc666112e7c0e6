import AWSClient
import AWSServices
import Engine
import Foundation
import Runbook

/// `s3.remove-bucket` (irreversible, gated): empties and deletes a bucket of this run, such as the
/// staging copy once the moved bucket is verified. `check`: done when the bucket is gone.
struct RemoveBucketStep: Step {
    let sessions: any AccountSessions

    func run(_ context: StepContext) async throws -> StepResult {
        let inputs = S3StepInputs(context)
        let bucket = try inputs.string("bucket")
        let session = try await S3Session.open(sessions, try inputs.string("account"))
        return try await AWSCallBoundary.read(account: session.label, resource: bucket) {
            guard try await session.client.headBucket(bucket) != nil else {
                return .done(outputs: ["bucket": bucket, "alreadyGone": "true"])
            }
            let summary = try await S3BucketEmptier(session: session, bucket: bucket).empty(context)
            do {
                _ = try await session.mutate(context, "DeleteBucket", resource: bucket, requestId: \.requestId) {
                    try await $0.deleteBucket(bucket)
                }
            } catch let error as AWSError where error.code == .noSuchBucket {}
            return .done(outputs: ["bucket": bucket, "versionsDeleted": String(summary.versionsDeleted)])
        }
    }

    func check(_ context: StepContext) async throws -> CheckResult {
        let inputs = S3StepInputs(context)
        let bucket = try inputs.string("bucket")
        let session = try await S3Session.open(sessions, try inputs.string("account"))
        let head = try await session.read(bucket) { try await $0.headBucket(bucket) }
        return head == nil ? .done(outputs: ["bucket": bucket, "reconciled": "true"]) : .notDone
    }
}
