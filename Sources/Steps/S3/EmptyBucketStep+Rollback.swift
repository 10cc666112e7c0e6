import AWSServices
import Engine
import Foundation
import Runbook

/// Rollback after the point of no return, second half: every object goes back from the staging
/// bucket (target account) into the emptied (or re-created) source bucket, then the source is
/// verified against staging: keys, sizes, SHA-256. Staging is left alone; its removal is the undo
/// of `ensure-staging`, which waits for an approval once the source was emptied.
///
/// The copies are issued by the source account: it reads staging through the grant
/// `ensure-staging` gave it (`s3:ListBucket`, `s3:GetObject`, `s3:GetObjectTagging`) and writes
/// into its own bucket, so no policy on the source bucket changes. Objects in staging encrypted
/// with a target key are re-encrypted with the source key `restoreKmsKeyMap` names (the source
/// account needs kms:Decrypt on the target key, AWS-NOTES §3.4). Resumable and idempotent like
/// the forward copy; nothing in the source is deleted.
extension EmptyBucketStep {
    func compensate(_ context: StepContext) async throws -> StepResult {
        let inputs = try decodeInputs(context)
        let account = inputs.account
        let bucket = inputs.bucket
        guard let staging = inputs.staging else {
            throw StepError(
                code: StepErrorCode.invalidInputs, message: "\(context.step.id) has no `staging` to copy back from; re-plan the runbook",
                retryable: false)
        }
        let source = S3Location(account: account, bucket: bucket)
        let concurrency = inputs.concurrency ?? S3CopyTuning.defaultConcurrency
        // The source's object ACLs as captured, for the copy back and its verification (S3ObjectACL.swift).
        let objectACLs: S3ObjectACLMode? = inputs.capture == nil ? nil : .source

        var copy = context
        copy.step.inputs = try StepValues.encode(
            S3MoveHistory.rollbackCopy(
                S3CopyInputs(
                    from: staging, to: source, copyAs: account, concurrency: concurrency, mirror: false,
                    kmsKeyMap: inputs.restoreKmsKeyMap ?? [:], objectACLs: objectACLs, capture: inputs.capture),
                of: inputs))
        let copied = try await CopyObjectsStep(sessions: sessions, tuning: tuning).run(copy)

        var verify = context
        verify.step.inputs = try StepValues.encode(
            S3VerifyInputs(
                from: staging, to: source, concurrency: concurrency, versionsFrom: inputs.versionsFrom, capture: inputs.capture,
                objectACLs: objectACLs))
        let verified = try await VerifyObjectsStep(sessions: sessions, tuning: tuning).run(verify)
        if case .done(let outputs) = verified, case .done(let copies) = copied {
            await context.progress(
                "\(bucket) holds the \(outputs["objects"] ?? "?") objects of \(staging.bucket) again "
                    + "(\(copies["copied"] ?? "?") copied back), verified by SHA-256")
        }
        return .done()
    }
}
