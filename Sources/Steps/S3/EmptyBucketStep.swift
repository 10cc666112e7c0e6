import AWSClient
import AWSServices
import Engine
import Foundation
import Runbook

/// `s3.empty-bucket` (a point of no return, gated): deletes every version, delete marker and
/// unfinished multipart upload of the bucket (`S3BucketEmptier`). Running it again after a crash
/// only deletes what is left; `check` says done when a listing finds nothing. When the plan gives
/// it a `staging` copy, rollback compensates by copying everything back (`compensate`).
struct EmptyBucketStep: Step {
    let sessions: any AccountSessions
    let tuning: S3CopyTuning

    func run(_ context: StepContext) async throws -> StepResult {
        let inputs = S3StepInputs(context)
        let bucket = try inputs.string("bucket")
        let session = try await S3Session.open(sessions, try inputs.string("account"))
        let summary = try await AWSCallBoundary.read(account: session.label, resource: bucket) {
            try await S3BucketEmptier(session: session, bucket: bucket).empty(context)
        }
        return .done(outputs: [
            "versionsDeleted": String(summary.versionsDeleted), "uploadsAborted": String(summary.uploadsAborted),
            "requests": String(summary.requests),
        ])
    }

    func check(_ context: StepContext) async throws -> CheckResult {
        let inputs = S3StepInputs(context)
        let bucket = try inputs.string("bucket")
        let session = try await S3Session.open(sessions, try inputs.string("account"))
        let empty = try await AWSCallBoundary.read(account: session.label, resource: bucket) {
            try await S3BucketEmptier(session: session, bucket: bucket).isEmpty()
        }
        return empty ? .done(outputs: ["reconciled": "true"]) : .notDone
    }

    func undo(_ context: StepContext) async throws {
        _ = try await compensate(context)
    }
}
