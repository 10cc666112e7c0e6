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
        let inputs = S3StepInputs(context)
        let account = try inputs.string("account")
        let bucket = try inputs.string("bucket")
        let staging = try inputs.location("staging")
        let source = S3StepInputs.bucketJSON(account: account, bucket: bucket)
        let stage = S3StepInputs.bucketJSON(account: staging.account, bucket: staging.bucket)
        let concurrency = JSONValue.number(Double(inputs.int("concurrency", default: S3CopyTuning.defaultConcurrency)))

        var copy = context
        copy.step.inputs = .object([
            ("from", stage), ("to", source), ("copyAs", .string(account)), ("concurrency", concurrency),
            ("mirror", .bool(false)), ("kmsKeyMap", context.step.inputs["restoreKmsKeyMap"] ?? .object([])),
        ] + S3MoveHistory.rollbackCopyInputs(inputs) + Self.aclInputs(context))
        let copied = try await CopyObjectsStep(sessions: sessions, tuning: tuning).run(copy)

        var verify = context
        verify.step.inputs = .object(
            [("from", stage), ("to", source), ("concurrency", concurrency)] + S3MoveHistory.rollbackVerifyInputs(inputs) + Self.aclInputs(context))
        let verified = try await VerifyObjectsStep(sessions: sessions, tuning: tuning).run(verify)
        if case .done(let outputs) = verified, case .done(let copies) = copied {
            await context.progress(
                "\(bucket) holds the \(outputs["objects"] ?? "?") objects of \(staging.bucket) again "
                    + "(\(copies["copied"] ?? "?") copied back), verified by SHA-256")
        }
        return .done()
    }
}

extension EmptyBucketStep {
    /// The source's object ACLs as captured, for the copy back and its verification (S3ObjectACL.swift).
    static func aclInputs(_ context: StepContext) -> [(String, JSONValue)] {
        guard let capture = context.step.inputs["capture"] else { return [] }
        return [("capture", capture), ("objectACLs", .string("source"))]
    }
}
