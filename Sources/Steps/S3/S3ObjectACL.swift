import AWSClient
import AWSServices
import Engine
import Foundation

/// The object ACLs of a bucket as `capture-config` journals them (output `objectACLs`, compact
/// JSON), so that the copy into the target bucket, and the copy back of a rollback, can set
/// them again: CopyObject never carries the source's ACL (AWS-NOTES-2 [ACL-3]), and the staging
/// bucket in between has ACLs disabled (BucketOwnerEnforced), so the grants cannot travel with
/// the objects.
///
/// Only objects with grants beyond the bucket owner's own full control are kept; with
/// BucketOwnerEnforced (ACLs disabled) nothing is read at all.
struct S3CapturedACLs: Codable, Sendable, Equatable {
    /// The source's Object Ownership; nil when it has no ownership controls (a bucket from
    /// before April 2023: ACLs enabled, the writer owns each object).
    var ownership: String?
    /// Canonical user IDs of the source and target accounts (ListBuckets' owner).
    var sourceCanonicalId: String?
    var targetCanonicalId: String?
    /// Key → grants beyond the bucket owner's full control, as the source has them.
    var objects: [String: [S3Grant]]
    /// GetObjectAcl requests the capture made.
    var requests: Int
    /// Key → source version ID → grants beyond the bucket owner's full control, for every version
    /// (current and noncurrent) of a versioned source whose history is copied (S3ObjectACL+Versions.swift);
    /// nil when the capture read current objects only (unversioned source, `versions: current`).
    var versions: [String: [String: [S3Grant]]]? = nil

    /// Which account's bucket the grants are for: the target (rewritten) or the source (as they were).
    enum Direction: String, Sendable {
        case target
        case source
    }

    var aclsEnabled: Bool { ownership != "BucketOwnerEnforced" }

    /// Keys with a public grant on any version (AllUsers, AuthenticatedUsers).
    var publicKeys: [String] {
        var keys = Set(objects.filter { $0.value.contains(where: \.isPublic) }.map(\.key))
        for (key, versions) in versions ?? [:] where versions.values.contains(where: { $0.contains(where: \.isPublic) }) {
            keys.insert(key)
        }
        return keys.sorted()
    }

    /// The full ACL to set on `key` in the `direction` bucket: its owner's full control, then the
    /// captured grants with the source account's canonical ID replaced by the target's (grants to
    /// other accounts are kept: a canonical ID is valid in every bucket). Nil when the object had
    /// no grants beyond the owner (the copy is then private, as S3 makes it).
    func grants(for key: String, _ direction: Direction) -> [S3Grant]? {
        full(objects[key], direction)
    }

    /// The full ACL for a list of captured extra grants (see `grants(for:_:)`).
    func full(_ extra: [S3Grant]?, _ direction: Direction) -> [S3Grant]? {
        guard let extra, !extra.isEmpty else { return nil }
        let owner = direction == .target ? targetCanonicalId : sourceCanonicalId
        var result: [S3Grant] = owner.map { [S3Grant(.canonicalUser($0), "FULL_CONTROL")] } ?? []
        for grant in extra {
            var mapped = grant
            if direction == .target, let source = sourceCanonicalId, let target = targetCanonicalId, grant.canonicalUserId == source {
                mapped.grantee = .canonicalUser(target)
            }
            if !result.contains(mapped) { result.append(mapped) }
        }
        return result
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    static func decode(_ text: String) throws -> S3CapturedACLs {
        try JSONDecoder().decode(S3CapturedACLs.self, from: Data(text.utf8))
    }

    /// The grants of `policy` beyond `bucketOwner`'s full control (what the new owner has anyway).
    static func extraGrants(_ policy: S3AccessControlPolicy, bucketOwner: String?) -> [S3Grant] {
        policy.grants.filter { !($0.canonicalUserId == (bucketOwner ?? policy.ownerId) && $0.permission == "FULL_CONTROL") }
    }

    /// Reads the ACL of every current object of `bucket` (GetObjectAcl, `concurrency` in flight),
    /// unless ACLs are disabled. `target` names the account the move goes to (for its canonical ID).
    static func capture(
        bucket: String, source: S3Session, target: S3Session?, history: Bool = false, concurrency: Int = 32
    ) async throws -> S3CapturedACLs {
        let ownership = try await source.read(bucket) { try await $0.getBucketOwnershipControls(bucket: bucket) }
        var captured = S3CapturedACLs(ownership: ownership, objects: [:], requests: 0)
        guard captured.aclsEnabled else { return captured }
        captured.sourceCanonicalId = try await source.read(nil) { try await $0.callerCanonicalUserId() }
        if let target { captured.targetCanonicalId = try await target.read(nil) { try await $0.callerCanonicalUserId() } }
        if history, try await source.read(bucket, { try await S3VersionChains.isVersioned($0, bucket: bucket) }) {
            try await captured.captureVersions(bucket: bucket, source: source, concurrency: concurrency)
            return captured
        }
        let keys = try await source.read(bucket) { try await $0.listAllObjects(bucket: bucket) }.map(\.key)
        let owner = captured.sourceCanonicalId
        let found = try await readACLs(keys, bucket: bucket, session: source, concurrency: concurrency)
        for (key, policy) in found {
            let extra = extraGrants(policy, bucketOwner: owner)
            if !extra.isEmpty { captured.objects[key] = extra }
        }
        captured.requests = keys.count
        return captured
    }

    /// GetObjectAcl for each key, `concurrency` at a time; keys gone meanwhile are left out.
    static func readACLs(
        _ keys: [String], bucket: String, session: S3Session, expectedBucketOwner: String? = nil, concurrency: Int
    ) async throws -> [String: S3AccessControlPolicy] {
        var result: [String: S3AccessControlPolicy] = [:]
        try await withThrowingTaskGroup(of: (String, S3AccessControlPolicy?).self) { group in
            var next = 0
            func launch() {
                let key = keys[next]
                next += 1
                group.addTask {
                    let policy = try await session.read("\(bucket)/\(key)") {
                        try await $0.getObjectAclIfPresent(bucket: bucket, key: key, expectedBucketOwner: expectedBucketOwner)
                    }
                    return (key, policy)
                }
            }
            while next < keys.count && next < max(1, concurrency) { launch() }
            while let (key, policy) = try await group.next() {
                if let policy { result[key] = policy }
                if next < keys.count { launch() }
            }
        }
        return result
    }
}

extension S3Client {
    /// GetObjectAcl, nil when the key is gone (NoSuchKey).
    func getObjectAclIfPresent(bucket: String, key: String, expectedBucketOwner: String?) async throws -> S3AccessControlPolicy? {
        do {
            return try await getObjectAcl(bucket: bucket, key: key, expectedBucketOwner: expectedBucketOwner)
        } catch let error as AWSError where error.code == .noSuchKey {
            return nil
        }
    }
}

/// Where a copy gets the ACL to set on each object: the move's capture (copy-back, rollback), or
/// the source object itself (a direct `s3.copy-objects`: one GetObjectAcl per object, unless the
/// source has ACLs disabled).
struct S3ObjectGrants: Sendable {
    enum Mode: Sendable {
        case captured(S3CapturedACLs, S3CapturedACLs.Direction)
        /// Read each source object's ACL, rewrite `sourceCanonicalId` to `destinationCanonicalId`.
        case live(session: S3Session, bucket: String, expectedOwner: String?, sourceCanonicalId: String, destinationCanonicalId: String)
    }

    let mode: Mode
    /// For a copy out of staging: which captured version each staging version is (S3ObjectACL+Versions.swift).
    var versionMap: S3ACLVersionMap? = nil

    /// The ACL to send with the copy of `key`; nil sends none (the copy is private).
    func grants(for key: String) async throws -> [S3Grant]? {
        switch mode {
        case .captured(let captured, let direction):
            return captured.grants(for: key, direction)
        case .live(let session, let bucket, let expectedOwner, let sourceId, let destinationId):
            guard
                let policy = try await session.read(
                    "\(bucket)/\(key)",
                    {
                        try await $0.getObjectAclIfPresent(bucket: bucket, key: key, expectedBucketOwner: expectedOwner)
                    })
            else { return nil }
            let captured = S3CapturedACLs(
                ownership: nil, sourceCanonicalId: sourceId, targetCanonicalId: destinationId,
                objects: [key: S3CapturedACLs.extraGrants(policy, bucketOwner: sourceId)], requests: 1)
            return captured.grants(for: key, .target)
        }
    }

    /// What `CopyObjectsStep` passes the copier: the capture's ACLs when the step says which
    /// direction (`objectACLs: target|source` with `capture`), or a live read for a direct copy
    /// (`objectACLs: copy`) from a source with ACLs enabled; nil when there is nothing to carry.
    static func forStep(
        _ context: StepContext, inputs: S3CopyInputs, source: S3Session, destination: S3Session, from: S3Location, fromOwnerId: String?
    ) async throws -> S3ObjectGrants? {
        switch inputs.objectACLs {
        case .target?, .source?:
            guard let capture = inputs.capture, let text = context.output(of: capture, "objectACLs") else { return nil }
            let captured = try S3CapturedACLs.decode(text)
            guard !captured.objects.isEmpty || !captured.versionsWithGrants.isEmpty else { return nil }
            return S3ObjectGrants(
                mode: .captured(captured, inputs.objectACLs == .target ? .target : .source),
                versionMap: S3ACLVersionMap.from(context, versionsFrom: inputs.versionsFrom))
        case .copy?:
            let ownership = try await source.read(from.bucket) {
                try await $0.getBucketOwnershipControls(bucket: from.bucket, expectedBucketOwner: fromOwnerId)
            }
            guard ownership != "BucketOwnerEnforced" else { return nil }
            let sourceId = try await source.read(nil) { try await $0.callerCanonicalUserId() }
            let destinationId = try await destination.read(nil) { try await $0.callerCanonicalUserId() }
            return S3ObjectGrants(
                mode: .live(
                    session: source, bucket: from.bucket, expectedOwner: fromOwnerId, sourceCanonicalId: sourceId,
                    destinationCanonicalId: destinationId))
        default:
            return nil
        }
    }
}

/// Verification that the ACLs arrived (`s3.verify` with `capture` and `objectACLs`): one
/// GetObjectAcl per object that had grants beyond the owner; each expected grant must be there.
enum S3ACLVerification {
    static func differences(
        _ context: StepContext, inputs: S3VerifyInputs, destination: S3Session, to: S3Location, present: Set<String>, concurrency: Int
    ) async throws -> [VerifyObjectsStep.Difference] {
        guard let direction = inputs.objectACLs.flatMap({ S3CapturedACLs.Direction(rawValue: $0.rawValue) }),
            let capture = inputs.capture, let text = context.output(of: capture, "objectACLs")
        else { return [] }
        let captured = try S3CapturedACLs.decode(text)
        let keys = captured.objects.keys.filter { present.contains($0) }.sorted()
        guard !keys.isEmpty else { return [] }
        let found = try await S3CapturedACLs.readACLs(keys, bucket: to.bucket, session: destination, concurrency: concurrency)
        var differences: [VerifyObjectsStep.Difference] = []
        for key in keys {
            guard let expected = captured.grants(for: key, direction) else { continue }
            let actual = Set(found[key]?.grants ?? [])
            let missing = expected.filter { !actual.contains($0) }
            if !missing.isEmpty {
                let names = missing.map { "\($0.permission) for \(describe($0))" }.joined(separator: ", ")
                differences.append(VerifyObjectsStep.Difference(key: key, reason: "ACL lacks \(names)"))
            }
        }
        await context.progress("verified the ACLs of \(keys.count) objects with grants beyond the owner")
        return differences
    }

    static func describe(_ grant: S3Grant) -> String {
        switch grant.grantee {
        case .canonicalUser(let id): "canonical user \(id.prefix(12))…"
        case .group(let uri): uri.split(separator: "/").last.map(String.init) ?? uri
        }
    }
}

/// What `restore-config` adds for object ACLs: a re-created bucket starts with S3's defaults
/// (BucketOwnerEnforced, Block Public Access on), which the source did not have when it carried
/// object grants. Where the captured configuration has no ownership controls (a bucket from
/// before April 2023, ACLs enabled) ObjectWriter reproduces it; where it has no Block Public
/// Access and objects carry public grants, the default block is removed, as the source had none.
/// Only then: a bucket without object grants keeps S3's defaults.
enum S3ACLRestore {
    static func apply(
        _ context: StepContext, session: S3Session, bucket: String, capture: String, config: S3CapturedConfig
    ) async throws -> [String] {
        guard let text = context.output(of: capture, "objectACLs"), let captured = try? S3CapturedACLs.decode(text),
            !captured.objects.isEmpty || !captured.versionsWithGrants.isEmpty
        else { return [] }
        var changed: [String] = []
        if config.documents[BucketSubresource.ownershipControls.rawValue] == nil {
            _ = try await session.mutate(context, "PutBucketOwnershipControls", resource: bucket, requestId: \.requestId) {
                try await $0.putBucketOwnershipControls(bucket: bucket, objectOwnership: "ObjectWriter")
            }
            changed.append("ownershipControls=ObjectWriter")
        }
        if !captured.publicKeys.isEmpty, config.documents[BucketSubresource.publicAccessBlock.rawValue] == nil {
            _ = try await session.mutate(context, "DeletePublicAccessBlock", resource: bucket, requestId: \.requestId) {
                try await $0.deleteBucketSubresource(.publicAccessBlock, bucket: bucket)
            }
            changed.append("publicAccessBlock removed")
        }
        return changed
    }
}
