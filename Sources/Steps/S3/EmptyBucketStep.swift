import AWSClient
import AWSServices
import Engine
import Foundation
import Runbook

/// `s3.empty-bucket` (a point of no return, gated): deletes every version, delete marker and
/// unfinished multipart upload of the bucket (`S3BucketEmptier`). Running it again after a crash
/// only deletes what is left; `check` says done when a listing finds nothing. When the plan gives
/// it a `staging` copy, rollback compensates by copying everything back (`compensate`).
struct EmptyBucketStep: TypedStep {
    let sessions: any AccountSessions
    let tuning: S3CopyTuning

    func run(_ inputs: S3EmptyBucketInputs, _ context: StepContext) async throws -> TypedStepResult<S3EmptyBucketOutputs> {
        let bucket = inputs.bucket
        let session = try await S3Session.open(sessions, inputs.account)
        let summary = try await AWSCallBoundary.read(account: session.label, resource: bucket) {
            try await S3BucketEmptier(session: session, bucket: bucket).empty(context)
        }
        return .done(
            S3EmptyBucketOutputs(
                versionsDeleted: summary.versionsDeleted, uploadsAborted: summary.uploadsAborted, requests: summary.requests))
    }

    func check(_ context: StepContext) async throws -> CheckResult {
        let inputs = try decodeInputs(context)
        let bucket = inputs.bucket
        let session = try await S3Session.open(sessions, inputs.account)
        let empty = try await AWSCallBoundary.read(account: session.label, resource: bucket) {
            try await S3BucketEmptier(session: session, bucket: bucket).isEmpty()
        }
        return empty ? try .done(S3EmptyBucketOutputs(reconciled: true)) : .notDone
    }

    func undo(_ context: StepContext) async throws {
        _ = try await compensate(context)
    }
}
