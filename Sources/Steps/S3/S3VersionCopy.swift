import AWSServices
import Engine
import Foundation
import Runbook

/// How `s3.copy` decides between the plain copy (current versions only, one CopyObject per
/// object) and the history copy (`S3VersionCopier`), from its inputs:
///
/// - `versions: current`, as the runbook wrote it;
/// - else `versionsFrom: <step>`: the mode that step's copy used (its output `versions`): the
///   move's copy back and its rollback copy carry history exactly when the copy to staging did;
/// - else the source bucket decides: versioning `Enabled` or `Suspended` → `all` (one
///   GetBucketVersioning per run; an unversioned source keeps the plain copy, no request per
///   object, also under `versions: all`: it has no history, and its copy stays unversioned).
///
/// `enableVersioning: true` lets the history copy enable versioning on the destination (a bucket
/// the run created or re-created); `restoreVersioning: <capture step>` (with
/// `restoreVersioningOutput`, `config` by default) suspends it again afterwards when the
/// captured source was `Suspended`.
enum S3VersionCopy {
    static func copier(_ context: StepContext, _ inputs: S3CopyInputs, plain: S3ObjectCopier) async throws -> S3VersionCopier? {
        guard try await mode(context, inputs, plain: plain) == .all else { return nil }
        var suspendAfter = false
        if let capture = inputs.restoreVersioning,
            let text = context.output(of: capture, inputs.restoreVersioningOutput ?? "config"),
            let config = try? S3CapturedConfig.decode(text)
        {
            suspendAfter = config.documents[BucketSubresource.versioning.rawValue]?.contains("<Status>Suspended</Status>") == true
        }
        var copier = S3VersionCopier(plain: plain, enableVersioning: inputs.enableVersioning ?? false, suspendAfter: suspendAfter)
        // The copy to a move's staging (ACLs disabled there): say which staging version each
        // version with captured grants became, for the copy back (S3ObjectACL+Versions.swift).
        if inputs.objectACLs == nil, let capture = inputs.capture,
            let text = context.output(of: capture, "objectACLs"), let captured = try? S3CapturedACLs.decode(text)
        {
            copier.mapACLVersions = captured.versionsWithGrants
        }
        copier.inspectEach = try await AWSCallBoundary.read(account: plain.source.label, resource: plain.from.bucket) {
            try await plain.mustInspectEachObject()
        }
        return copier
    }

    static func mode(_ context: StepContext, _ inputs: S3CopyInputs, plain: S3ObjectCopier) async throws -> S3VersionsMode {
        let written = inputs.versions
        if written == .current { return .current }
        if written == nil, let step = inputs.versionsFrom,
            let used = context.output(of: step, "versions").flatMap(S3VersionsMode.init(rawValue:))
        {
            return used
        }
        let versioned = try await plain.source.read(plain.from.bucket) {
            try await S3VersionChains.isVersioned($0, bucket: plain.from.bucket, expectedBucketOwner: plain.fromOwnerId)
        }
        return versioned ? .all : .current
    }
}

extension S3VersionCopy {
    /// Whether a Batch Operations copy must give way to the per-object history copy: the step
    /// copies history (`versions: all`, or not written and the source is versioned). With
    /// `engine: auto` the answer is "copy per object"; with `engine: batch-operations` (where the
    /// planner already refused `versions: all`) a versioned source stops the step with what to
    /// write instead, rather than silently copy only the current versions.
    static func historyRefusesBatch(
        _ written: S3VersionsMode?, sessions: any AccountSessions, source: S3Session, bucket: String, auto: Bool
    ) async throws -> Bool {
        if written == .current { return false }
        let versioned = try await source.read(bucket) { try await S3VersionChains.isVersioned($0, bucket: bucket) }
        guard versioned else { return false }
        if auto { return true }
        throw StepError(
            code: "BatchCannotCopyHistory",
            message: "\(bucket) keeps versions, and an S3 Batch Operations job copies only current versions, in no order: its "
                + "history would be lost. Write `versions: current` in the step to copy only current versions with a job, or "
                + "`engine: per-object` (or `auto`) to copy the history",
            retryable: false, account: source.label, resource: bucket)
    }
}
