import Engine
import Foundation
import Runbook

/// The typed inputs of the S3 primitives: what `S3CopyObjectsDefinition` and
/// `S3MoveBucketDefinition` encode into each primitive's plan inputs (`StepValues.encode`) and
/// the executors decode (`TypedStep`). Member names are the plan's JSON keys; an optional member
/// is one some plans leave out, and is then absent from the plan too (so plan hashes stay as they
/// were when the definitions wrote these members by hand).

/// A bucket in a runbook account (`from`, `to`, `staging` of the copy primitives).
struct S3Location: Codable, Sendable, Hashable, CustomStringConvertible {
    var account: String
    var bucket: String

    var description: String { "\(account):\(bucket)" }
}

/// `s3.capture-config`: the source bucket, the account it moves to, and the rewrites.
struct S3CaptureInputs: Codable, Sendable {
    var account: String
    var bucket: String
    var targetAccount: String
    /// Account IDs to rewrite in the captured documents, `{ old: new }`.
    var accountMap: [String: String]
    /// KMS keys to rewrite, `{ old ARN: new ARN }`.
    var kmsKeyMap: [String: String]
    /// The move's `versions:`; with `current`, only current versions' ACLs are read.
    var versions: S3VersionsMode?
}

/// `s3.ensure-bucket`: the bucket, and the account that copies into it (granted in its policy).
struct S3EnsureBucketInputs: Codable, Sendable {
    var account: String
    var bucket: String
    var grantAccount: String?
}

/// `s3.create-bucket` (the move's re-create): Object Lock and Ownership come from `capture`.
struct S3CreateBucketInputs: Codable, Sendable {
    var account: String
    var bucket: String
    var capture: String?
}

/// `s3.delete-bucket`; `targetAccount`, `capture` and `forcedWait` (seconds) are for its rollback.
struct S3DeleteBucketInputs: Codable, Sendable {
    var account: String
    var bucket: String
    var targetAccount: String?
    var capture: String?
    var forcedWait: TimeInterval?
}

/// `s3.empty-bucket`; the rest is for its rollback, which copies everything back from `staging`.
struct S3EmptyBucketInputs: Codable, Sendable {
    var account: String
    var bucket: String
    var staging: S3Location?
    var concurrency: Int?
    /// The move's `kmsKeyMap` reversed: target keys back to the source's.
    var restoreKmsKeyMap: [String: String]?
    var capture: String?
    var versionsFrom: String?
}

/// `s3.remove-bucket`.
struct S3RemoveBucketInputs: Codable, Sendable {
    var account: String
    var bucket: String
}

/// `s3.restore-config`: `configOutput` is `originalConfig` when a rollback restores the source.
struct S3RestoreConfigInputs: Codable, Sendable {
    var account: String
    var bucket: String
    var capture: String
    var configOutput: String?
}

/// `objectACLs` of a copy or verification: `copy` reads each source object's grants live, `none`
/// makes private copies, `target`/`source` use the grants `capture` recorded, rewritten for that side.
enum S3ObjectACLMode: String, Codable, Sendable {
    case copy, none, target, source
}

/// `s3.copy` (and the per-object part of `s3.batch-copy`).
struct S3CopyInputs: Codable, Sendable {
    var from: S3Location
    var to: S3Location
    /// The account whose session issues the copies, when it is not `from`'s.
    var copyAs: String?
    var concurrency: Int?
    var maxConcurrency: Int?
    /// Remove what the destination holds beyond the source.
    var mirror: Bool?
    var kmsKeyMap: [String: String]?
    /// Carried by the move's copies (the capture reads it); the copy itself does not.
    var accountMap: [String: String]?
    var objectACLs: S3ObjectACLMode?
    var versions: S3VersionsMode?
    var versionsFrom: String?
    var enableVersioning: Bool?
    var restoreVersioning: String?
    var restoreVersioningOutput: String?
    /// The step that created the destination, whose undo deletes it with the copies.
    var createdBy: String?
    var capture: String?
}

/// `s3.verify`.
struct S3VerifyInputs: Codable, Sendable {
    var from: S3Location
    var to: S3Location
    var concurrency: Int?
    /// Compare every object by SHA-256, even where equal ETags prove it.
    var sha256: Bool?
    /// With `versions: current`: count the history emptying the source destroys.
    var countHistory: Bool?
    var versions: S3VersionsMode?
    var versionsFrom: String?
    var capture: String?
    var objectACLs: S3ObjectACLMode?
}

extension S3VersionsMode: Codable {}
