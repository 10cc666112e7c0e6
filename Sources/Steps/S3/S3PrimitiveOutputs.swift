import Foundation

/// The typed outputs of the S3 primitives, as later steps read them (`${steps.ID.outputs.NAME}`)
/// and the journal keeps them (`StepValues.outputs`): flags `true`/`false`, counts plain decimals,
/// times RFC 3339 (`RunbookTimestamp`). Lists stay comma-separated text and captured documents
/// stay compact JSON text, byte for byte what earlier versions journaled, because later steps of
/// runs journaled then read them so. The copy and verification outputs are filled by the copy
/// engines and verifiers themselves (`S3ObjectCopier.Summary`, `S3VersionCopier.Summary`,
/// `S3VersionVerifier`), which own what they count; members only one of the two modes reports are
/// optional and left out by the other.

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

/// `s3.copy`: what the copy did, for the current versions (`versions: current`, S3ObjectCopier)
/// or the whole history (`versions: all`, S3VersionCopier). `versions` says which, and the
/// verification and the move's later steps read it (`versionsFrom`).
struct S3CopyOutputs: Encodable, Sendable, Equatable {
    var versions: S3VersionsMode
    /// Keys at the source.
    var objects: Int
    /// Objects (current) or versions and delete markers (history) copied by this attempt.
    var copied: Int
    /// Already at the destination, unchanged (a resumed or repeated copy).
    var skipped: Int
    /// Deleted at the destination: keys the source lacks (`mirror`), diverged chains (history).
    var deleted: Int
    var bytesCopied: Int64

    // `versions: current` only.
    /// Listed, then gone from the source before its copy.
    var vanished: Int? = nil
    /// Objects that needed HeadObject (and more) before the copy.
    var inspected: Int? = nil
    /// Copies S3 throttled (on any attempt), the adaptive concurrency's peak and end, and its halvings.
    var throttled: Int? = nil
    var concurrencyPeak: Int? = nil
    var concurrencyFinal: Int? = nil
    var concurrencyHalvings: Int? = nil

    // `versions: all` only.
    /// Versions and delete markers at the source.
    var historyEntries: Int? = nil
    var copiedVersions: Int? = nil
    var copiedDeleteMarkers: Int? = nil
    /// Keys listed again after an ambiguous answer.
    var relisted: Int? = nil
    /// Destination version → source version of granted versions (`S3ACLVersionMap`, JSON), when asked.
    var aclVersionMap: String? = nil
}

/// `s3.verify`: what was compared and how. `versions` is `all` for a history verification and
/// absent for current versions; the history counts come from the history verified or, with
/// `countHistory`, from what emptying the source would destroy (for the point of no return).
struct S3VerifyOutputs: Encodable, Sendable, Equatable {
    var versions: S3VersionsMode? = nil
    /// Keys verified.
    var objects: Int
    var bytes: Int64
    /// Sides downloaded and hashed here (no stored full-object SHA-256).
    var hashedLocally: Int
    /// Objects (or versions) proven equal by their listed ETags, with no request.
    var sameETag: Int
    /// Objects (or versions) compared by SHA-256.
    var comparedBySHA256: Int
    /// Versions and delete markers verified (history only).
    var historyEntries: Int? = nil
    var deleteMarkers: Int? = nil
    var noncurrentVersions: Int? = nil
    /// Bytes of noncurrent versions left behind at the source (`countHistory` on a current-only move).
    var noncurrentBytes: Int64? = nil
}
