import AWSClient
import AWSServices
import Engine
import Foundation

/// `s3.ensure-bucket` (reversible): makes sure a bucket exists in the account and, when another
/// account copies into it (`grantAccount`), that its policy lets that account write. A bucket it
/// creates is tagged `cutover:run` = the run ID, so `check` and `undo` can tell a bucket this run
/// created (undo empties and deletes it) from one that was there before (undo only removes the
/// grant it added).
struct EnsureBucketStep: TypedStep {
    let sessions: any AccountSessions

    static let runTag = "cutover:run"

    func run(_ inputs: S3EnsureBucketInputs, _ context: StepContext) async throws -> TypedStepResult<S3EnsureBucketOutputs> {
        let bucket = inputs.bucket
        let session = try await S3Session.open(sessions, inputs.account)
        return try await AWSCallBoundary.read(account: session.label, resource: bucket) {
            var created = false
            if try await head(session, bucket) == nil {
                do {
                    _ = try await session.mutate(context, "CreateBucket", resource: bucket, requestId: \.requestId) {
                        try await $0.createBucket(bucket)
                    }
                } catch let error as AWSError where error.code == .bucketAlreadyOwnedByYou {
                    // A previous attempt created it (or it appeared meanwhile); the tag below says which.
                } catch let error as AWSError where error.code == .bucketAlreadyExists {
                    throw StepError(
                        code: "BucketAlreadyExists",
                        message: "the name \(bucket) belongs to another AWS account; choose another staging bucket name",
                        retryable: false, account: session.label, resource: bucket, requestId: error.requestId)
                }
                _ = try await session.mutate(context, "PutBucketTagging", resource: bucket, requestId: \.requestId) {
                    try await $0.putBucketTagging(bucket: bucket, tags: [S3Tag(key: Self.runTag, value: context.runId)])
                }
                created = true
            } else if try await isOurs(session, bucket, runId: context.runId) {
                created = true
            } else if try await isUntouched(session, bucket) {
                // An earlier attempt's CreateBucket went through and the process died before the
                // tag: adopt it, or a rollback would leave it behind. (A bare bucket someone made
                // before the run is adopted too; remove-staging would delete it anyway.)
                _ = try await session.mutate(context, "PutBucketTagging", resource: bucket, requestId: \.requestId) {
                    try await $0.putBucketTagging(bucket: bucket, tags: [S3Tag(key: Self.runTag, value: context.runId)])
                }
                created = true
            }
            let granted = try await grant(context, session: session, bucket: bucket, inputs: inputs)
            return .done(S3EnsureBucketOutputs(bucket: bucket, created: created, granted: granted))
        }
    }

    func check(_ context: StepContext) async throws -> CheckResult {
        let inputs = try decodeInputs(context)
        let bucket = inputs.bucket
        let session = try await S3Session.open(sessions, inputs.account)
        guard try await head(session, bucket) != nil else { return .notDone }
        guard try await isOurs(session, bucket, runId: context.runId) else {
            // Existing bucket: running again only (re)adds the grant, which is idempotent.
            return .notDone
        }
        if let grantee = grantee(inputs) {
            let policy = try await session.read(bucket) { try await $0.getBucketPolicy(bucket: bucket) }
            guard S3CopyGrant.isGranted(policy, grantee: grantee) else { return .notDone }
        }
        return try .done(S3EnsureBucketOutputs(bucket: bucket, created: true, granted: grantee(inputs) != nil))
    }

    func undo(_ context: StepContext) async throws {
        let inputs = try decodeInputs(context)
        let bucket = inputs.bucket
        let session = try await S3Session.open(sessions, inputs.account)
        try await AWSCallBoundary.read(account: session.label, resource: bucket) {
            guard try await head(session, bucket) != nil else { return }
            if try await isOurs(session, bucket, runId: context.runId) {
                _ = try await S3BucketEmptier(session: session, bucket: bucket).empty(context)
                do {
                    _ = try await session.mutate(context, "DeleteBucket", resource: bucket, requestId: \.requestId) {
                        try await $0.deleteBucket(bucket)
                    }
                } catch let error as AWSError where error.code == .noSuchBucket {}
                return
            }
            guard let grantee = grantee(inputs) else { return }
            let policy = try await session.read(bucket) { try await $0.getBucketPolicy(bucket: bucket) }
            guard let change = try S3CopyGrant.removing(from: policy, grantee: grantee) else { return }
            if let remaining = change {
                _ = try await session.mutate(context, "PutBucketPolicy", resource: bucket, requestId: \.requestId) {
                    try await $0.putBucketPolicy(bucket: bucket, policy: remaining)
                }
            } else {
                _ = try await session.mutate(context, "DeleteBucketPolicy", resource: bucket, requestId: \.requestId) {
                    try await $0.deleteBucketSubresource(.policy, bucket: bucket)
                }
            }
        }
    }

    /// HeadBucket with this account as the expected owner; someone else's bucket is an error.
    private func head(_ session: S3Session, _ bucket: String) async throws -> S3BucketHead? {
        do {
            return try await session.client.headBucket(bucket)
        } catch let error as AWSError where error.httpStatus == 403 {
            throw StepError(
                code: "BucketOwnedByAnotherAccount",
                message: "\(bucket) exists but does not belong to \(session.account) (\(session.label)); choose another name",
                retryable: false, account: session.label, resource: bucket, requestId: error.requestId)
        }
    }

    /// No tags, no policy, no objects: a bucket exactly as CreateBucket leaves it.
    private func isUntouched(_ session: S3Session, _ bucket: String) async throws -> Bool {
        let tags = try await session.read(bucket) { try await $0.getBucketTagging(bucket: bucket) } ?? []
        guard tags.isEmpty else { return false }
        guard try await session.read(bucket, { try await $0.getBucketPolicy(bucket: bucket) }) == nil else { return false }
        let page = try await session.read(bucket) { try await $0.listObjectVersions(bucket: bucket, maxKeys: 1) }
        return page.versions.isEmpty && page.deleteMarkers.isEmpty
    }

    private func isOurs(_ session: S3Session, _ bucket: String, runId: String) async throws -> Bool {
        let tags = try await session.read(bucket) { try await $0.getBucketTagging(bucket: bucket) } ?? []
        return tags.contains { $0.key == Self.runTag && $0.value == runId }
    }

    /// The account ID the policy must let write, when another account copies in.
    private func grantee(_ inputs: S3EnsureBucketInputs) -> String? {
        guard let account = inputs.grantAccount, let id = sessions.accountId(account) else { return nil }
        guard id != sessions.accountId(inputs.account) else { return nil }
        return id
    }

    private func grant(_ context: StepContext, session: S3Session, bucket: String, inputs: S3EnsureBucketInputs) async throws -> Bool {
        guard let grantee = grantee(inputs) else { return false }
        let policy = try await session.read(bucket) { try await $0.getBucketPolicy(bucket: bucket) }
        guard let updated = try S3CopyGrant.adding(to: policy, bucket: bucket, grantee: grantee) else { return true }
        _ = try await session.mutate(context, "PutBucketPolicy", resource: bucket, requestId: \.requestId) {
            try await $0.putBucketPolicy(bucket: bucket, policy: updated)
        }
        return true
    }
}
