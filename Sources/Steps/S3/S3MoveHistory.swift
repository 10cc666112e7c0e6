import Engine
import Foundation
import Runbook

/// What the same-name move does about version history (issue 17), in one place: the copy to
/// staging decides (`versions:`, else the source's versioning), and every later copy — back into
/// the re-created bucket, or back into the source on a rollback after the point of no return —
/// and every verification follows what it did (`versionsFrom`).
enum S3MoveHistory {
    /// The point of no return's title: with `versions: current` the history is destroyed here,
    /// and the approvers are told how much (`verify-staging` counts it just before, output
    /// `noncurrentVersions`/`deleteMarkers`, shown by `cutoverctl status`).
    static func emptySourceNote(_ mode: S3VersionsMode?, bucket: String, verify: String) -> String {
        switch mode {
        case .current:
            return ". versions: current — the history of \(bucket) was NOT copied: every noncurrent version and delete marker "
                + "is destroyed here for good (\(verify) counted them: outputs noncurrentVersions, deleteMarkers, noncurrentBytes; "
                + "`cutoverctl plan --preflight` counts them too)"
        case .all:
            return ". Its history (every version and delete marker) was copied to staging and verified chain by chain"
        case nil:
            return ". A versioned source's history (every version and delete marker) was copied to staging and verified chain by chain"
        }
    }

    /// With `versions: current`, the approvers of the point of no return read how much history
    /// emptying the source destroys, as `verify-staging` counted it just before (its outputs
    /// `noncurrentVersions`, `deleteMarkers`, `noncurrentBytes`, filled in when the gate opens).
    static func emptySourceApproval(_ mode: S3VersionsMode?, title: String, bucket: String) -> PrimitiveTemplate.ApprovalMessage? {
        guard mode == .current else { return nil }
        let verify = S3MoveBucketDefinition.Primitive.verifyStaging.rawValue
        return PrimitiveTemplate.ApprovalMessage(
            text: title + "\n\nversions: current — approving DESTROYS the history of \(bucket): {noncurrentVersions} noncurrent "
                + "versions ({noncurrentBytes} bytes) and {deleteMarkers} delete markers, which were not copied.",
            values: ["noncurrentVersions", "noncurrentBytes", "deleteMarkers"].map {
                .init(placeholder: "{\($0)}", primitive: verify, key: $0)
            })
    }

    /// Inputs for the copy back into the source on a rollback (`EmptyBucketStep.compensate`):
    /// same mode as the forward copy, versioning enabled if the re-created source is not yet, and
    /// a `Suspended` original state put back afterwards.
    static func rollbackCopy(_ copy: S3CopyInputs, of inputs: S3EmptyBucketInputs) -> S3CopyInputs {
        var copy = copy
        copy.enableVersioning = true
        copy.versionsFrom = inputs.versionsFrom
        if let capture = inputs.capture {
            copy.restoreVersioning = capture
            copy.restoreVersioningOutput = "originalConfig"
        }
        return copy
    }
}
