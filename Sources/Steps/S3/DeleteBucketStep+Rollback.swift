import AWSClient
import AWSServices
import Engine
import Foundation
import Runbook

/// Rollback after the point of no return, first half: the bucket is re-created under its name in
/// the source account and given back its original configuration (the copy back from staging is
/// the compensation of `empty-source`, which the engine runs next).
///
/// - The name must not already be in the target account: then the move's re-create succeeded, the
///   name is the target's, and moving it back is a new move in the opposite direction. Nothing is
///   deleted; the rollback stops and says so.
/// - It waits until T0 (the journaled `deletedAt`) + `forcedWait`, polled, so a crash neither
///   shortens nor restarts the wait.
/// - Then the same loop as the forward re-create, one CreateBucket per attempt under the plan's
///   `undoRetry` (every/for; `OperationAborted` and transient errors retried); an existing bucket
///   owned by the source (`BucketAlreadyOwnedByYou`, or HeadBucket) is done; `BucketAlreadyExists`
///   means a third party took the name: never retried, the rollback stops with the data safe in
///   staging.
/// - Restores the configuration as captured (not the copy rewritten for the target).
extension DeleteBucketStep {
    func compensate(_ context: StepContext) async throws -> StepResult {
        let inputs = try decodeInputs(context)
        let bucket = inputs.bucket
        let account = inputs.account
        let session = try await S3Session.open(sessions, account)
        if let target = inputs.targetAccount {
            try await refuseIfMoved(bucket, target: target)
        }

        // `RunbookTimestamp` reads both what this step journals and the always-fractional form
        // (`2026-12-01T01:00:00.000Z`) that earlier versions journaled, so an older run's rollback waits right.
        if let text = context.output(of: context.step.id, "deletedAt"), let deletedAt = RunbookTimestamp.parse(text) {
            let due = deletedAt.addingTimeInterval(inputs.forcedWait ?? 0)
            let now = context.clock.now()
            if now < due {
                let left = RunbookDuration.format(.milliseconds(Int64((due.timeIntervalSince(now) * 1000).rounded())))
                return .notYet(
                    progress: "waiting until \(RunbookTimestamp.format(due)) (\(left)) for S3 to release the name \(bucket) before "
                        + "re-creating it in \(session.label)",
                    after: .milliseconds(Int64((due.timeIntervalSince(now) * 1000).rounded(.up))))
            }
        }

        try await AWSCallBoundary.read(account: session.label, resource: bucket) {
            if try await ownedBySource(session, bucket) { return }
            await context.progress("rollback attempt \(context.attempt): CreateBucket \(bucket) in \(session.label)")
            let captured = inputs.capture.flatMap { context.output(of: $0, "originalConfig") }
                .flatMap { try? S3CapturedConfig.decode($0) }
            do {
                _ = try await session.mutate(context, "CreateBucket", resource: bucket, requestId: \.requestId) {
                    try await $0.createBucket(
                        bucket, objectLockEnabled: captured?.objectLockEnabled ?? false, objectOwnership: captured?.objectOwnership)
                }
            } catch let error as AWSError where error.code == .bucketAlreadyOwnedByYou {
                // An earlier attempt's create went through; confirmed below.
            } catch let error as AWSError where error.code == .bucketAlreadyExists {
                throw StepError(
                    code: "BucketNameTaken",
                    message: "another AWS account took the name \(bucket) after the delete, so the rollback cannot put the "
                        + "bucket back under its name in \(session.label). It will not be retried. Every object is safe in "
                        + "the staging bucket, which the rollback keeps; copy it to a bucket with a new name.",
                    retryable: false, account: session.label, resource: bucket, requestId: error.requestId)
            } catch let error as AWSError where error.code == .operationAborted {
                throw StepError(
                    code: "OperationAborted",
                    message: "S3 is still releasing the name \(bucket) (OperationAborted); the rollback's loop tries again",
                    retryable: true, account: session.label, resource: bucket, requestId: error.requestId)
            }
            guard try await ownedBySource(session, bucket) else {
                throw StepError(
                    code: StepErrorCode.transient, message: "CreateBucket \(bucket) succeeded but HeadBucket does not see it yet",
                    retryable: true, account: session.label, resource: bucket)
            }
        }

        if let capture = inputs.capture {
            var restore = context
            restore.step.inputs = try StepValues.encode(
                S3RestoreConfigInputs(account: account, bucket: bucket, capture: capture, configOutput: "originalConfig"))
            _ = try await RestoreConfigStep(sessions: sessions).run(restore)
        }
        return .done()
    }

    /// Throws when the bucket already exists in the target account: the move's re-create won.
    private func refuseIfMoved(_ bucket: String, target: String) async throws {
        let session = try await S3Session.open(sessions, target)
        let head: S3BucketHead?
        do {
            head = try await session.read(bucket) {
                try await $0.headBucket(bucket, expectedBucketOwner: session.accountId)
            }
        } catch let error as StepError where error.code == .accessDenied {
            return  // someone else's, or nobody's we can see: the create below tells
        }
        guard head != nil else { return }
        throw StepError(
            code: "NameAlreadyMoved",
            message: "the bucket \(bucket) was already re-created in the target account \(session.label): the name "
                + "belongs to it now, and rollback does not delete it (that would release the name to anyone). "
                + "To move the name back, run a new move in the opposite direction.",
            retryable: false, account: session.label, resource: bucket)
    }

    private func ownedBySource(_ session: S3Session, _ bucket: String) async throws -> Bool {
        do {
            return try await session.read(bucket) {
                try await $0.headBucket(bucket, expectedBucketOwner: session.accountId)
            } != nil
        } catch let error as StepError where error.code == .accessDenied {
            return false
        }
    }
}
