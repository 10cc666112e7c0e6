import Foundation

/// The typed outputs of the S3 primitives, as later steps read them (`${steps.ID.outputs.NAME}`)
/// and the journal keeps them (`StepValues.outputs`): flags `true`/`false`, counts plain decimals,
/// times RFC 3339 (`RunbookTimestamp`). Lists stay comma-separated text and captured documents
/// stay compact JSON text, byte for byte what earlier versions journaled, because later steps of
/// runs journaled then read them so. The copy and verification outputs are built by the copiers
/// and verifiers themselves (`S3ObjectCopier.Summary`, `S3VersionVerifier`) and stay by name.

/// `s3.capture-config`.
struct S3CaptureOutputs: Encodable, Sendable {
    enum ObjectLock: String, Encodable, Sendable {
        case enabled = "Enabled"
        case disabled = "Disabled"
    }

    /// The configuration rewritten for the target account (`S3CapturedConfig`, JSON).
    var config: String
    /// As S3 returned it, for a rollback after the point of no return (JSON).
    var originalConfig: String
    /// The sub-resources captured, comma-separated.
    var subresources: String
    /// Account IDs left in the configuration that `accountMap` does not map, comma-separated.
    var unmappedAccountIds: String
    var objectLock: ObjectLock
    var region: String
    /// The object ACLs (`S3CapturedACLs`, JSON).
    var objectACLs: String
}

/// `s3.ensure-bucket`.
struct S3EnsureBucketOutputs: Encodable, Sendable {
    var bucket: String
    /// This run created the bucket (its undo deletes it).
    var created: Bool
    /// The bucket's policy lets the copying account write.
    var granted: Bool
}

/// `s3.create-bucket`.
struct S3CreateBucketOutputs: Encodable, Sendable {
    enum Outcome: String, Encodable, Sendable {
        case created
        case alreadyOwned = "already owned by the target account"
        case reconciled
    }

    var bucket: String
    var createdAt: Date
    var attempts: Int
    var outcome: Outcome
}

/// `s3.delete-bucket`: `deletedAt` is T0 of the forced wait (a rollback waits from it too).
struct S3DeleteBucketOutputs: Encodable, Sendable {
    var deletedAt: Date
    var bucket: String
    /// An earlier attempt's delete had gone through.
    var alreadyGone: Bool?
    /// Found gone after a crash; `deletedAt` is then when that was seen.
    var reconciled: Bool?
}

/// `s3.empty-bucket`: counts from a run, or only `reconciled` when a crash check found it empty.
struct S3EmptyBucketOutputs: Encodable, Sendable {
    var versionsDeleted: Int?
    var uploadsAborted: Int?
    var requests: Int?
    var reconciled: Bool?
}

/// `s3.remove-bucket`.
struct S3RemoveBucketOutputs: Encodable, Sendable {
    var bucket: String
    var alreadyGone: Bool?
    var versionsDeleted: Int?
    var reconciled: Bool?
}

/// `s3.restore-config`.
struct S3RestoreConfigOutputs: Encodable, Sendable {
    /// The sub-resources (and ACLs) put back, comma-separated, in the order they were.
    var restored: String
    var unmappedAccountIds: String
}
