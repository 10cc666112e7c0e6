import AWSClient
import AWSServices
import Engine
import Foundation
import Runbook

/// `s3.capture-config` (read-only): reads every bucket sub-resource S3Client supports, rewrites
/// account IDs and KMS keys for the target account, and returns the result as the output
/// `config` (compact JSON) so it lives in the journal. Also stops early on what would block the
/// move later: MFA delete (no automated tool can empty such a bucket) and a bucket in another
/// region than the runbook's.
struct CaptureConfigStep: TypedStep {
    let sessions: any AccountSessions

    func run(_ inputs: S3CaptureInputs, _ context: StepContext) async throws -> TypedStepResult<S3CaptureOutputs> {
        let account = inputs.account
        let bucket = inputs.bucket
        let target = inputs.targetAccount
        let session = try await S3Session.open(sessions, account)

        guard let head = try await session.read(bucket, { try await $0.headBucket(bucket) }) else {
            throw StepError(
                code: "NoSuchBucket", message: "bucket \(bucket) does not exist in \(account)", retryable: false,
                account: session.label, resource: bucket)
        }
        if let region = head.region, region != sessions.region {
            throw StepError(
                code: "BucketInAnotherRegion",
                message: "\(bucket) is in \(region) but the runbook runs in \(sessions.region): the bucket can only be "
                    + "re-created in the region the runbook names",
                retryable: false, account: session.label, resource: bucket)
        }

        var accountMap = inputs.accountMap
        let sourceId = sessions.accountId(account)
        let targetId = sessions.accountId(target)
        if let sourceId, let targetId, accountMap[sourceId] == nil { accountMap[sourceId] = targetId }
        let rewriter = S3AccountRewriter(
            accounts: accountMap, kmsKeys: inputs.kmsKeyMap, sourceAccountId: sourceId, targetAccountId: targetId)

        var config = S3CapturedConfig(region: head.region, documents: [:], unmappedAccountIds: [], unmappedKMSKeys: [])
        // As S3 returned it: what a rollback after the point of no return puts back on the source.
        var original = S3CapturedConfig(region: head.region, documents: [:], unmappedAccountIds: [], unmappedKMSKeys: [])
        for subresource in BucketSubresource.allCases {
            guard let captured = try await session.read(bucket, { try await $0.getBucketSubresource(subresource, bucket: bucket) })
            else { continue }
            if subresource == .versioning, captured.document.contains("<MfaDelete>Enabled</MfaDelete>") {
                throw StepError(
                    code: "MFADeleteEnabled",
                    message: "\(bucket) has MFA delete enabled: every version delete needs the root user's MFA code, so it "
                        + "cannot be emptied automatically. The root user must disable MFA delete first.",
                    retryable: false, account: session.label, resource: bucket)
            }
            for key in rewriter.unmappedKMSKeys(in: captured.document) where !config.unmappedKMSKeys.contains(key) {
                config.unmappedKMSKeys.append(key)
            }
            let rewritten = rewriter.rewrite(captured.document)
            for id in rewriter.unmappedAccountIds(in: rewritten) where !config.unmappedAccountIds.contains(id) {
                config.unmappedAccountIds.append(id)
            }
            config.documents[subresource.rawValue] = rewritten
            original.documents[subresource.rawValue] = captured.document
            if subresource == .lifecycle {
                config.lifecycleMinimumObjectSize = captured.transitionDefaultMinimumObjectSize
                original.lifecycleMinimumObjectSize = captured.transitionDefaultMinimumObjectSize
            }
        }
        if !config.unmappedKMSKeys.isEmpty {
            throw StepError(
                code: "UnmappedKMSKey",
                message: "the configuration of \(bucket) uses KMS keys of \(account) that `kmsKeyMap` does not map: "
                    + config.unmappedKMSKeys.joined(separator: ", ")
                    + ". Add them to `with.kmsKeyMap` with a key of the target account, then re-plan.",
                retryable: false, account: session.label, resource: bucket)
        }
        let names = BucketSubresource.allCases.map(\.rawValue).filter { config.documents[$0] != nil }
        // Object ACLs (S3ObjectACL.swift): read once here, set again by the copy into the target.
        // A versioned source whose history is copied: every version's ACL (`versions: current`: current only).
        let acls = try await S3CapturedACLs.capture(
            bucket: bucket, source: session, target: try await S3Session.open(sessions, target),
            history: inputs.versions != .current)
        await context.progress(
            "captured \(names.count) configurations of \(bucket)"
                + (acls.aclsEnabled
                    ? "; \(acls.objects.count) of \(acls.requests) \(acls.versions == nil ? "objects" : "versions read") carry ACL grants beyond the owner"
                    : ""))
        return .done(
            S3CaptureOutputs(
                config: try config.json(), originalConfig: try original.json(), subresources: names.joined(separator: ","),
                unmappedAccountIds: config.unmappedAccountIds.joined(separator: ","),
                objectLock: config.objectLockEnabled ? .enabled : .disabled, region: head.region ?? sessions.region,
                objectACLs: try acls.json()))
    }

    /// Read-only: running it again is the check.
    func check(_ context: StepContext) async throws -> CheckResult { .notDone }

    func undo(_ context: StepContext) async throws {}
}
