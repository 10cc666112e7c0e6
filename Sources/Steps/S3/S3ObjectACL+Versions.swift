import AWSClient
import AWSServices
import Engine
import Foundation

/// Object ACLs of every version of a versioned bucket (issue 17): S3 keeps an ACL per version
/// (GetObjectAcl/PutObjectAcl take `versionId`, AWS-NOTES-2 [ACL-1]), and a history copy makes
/// each version anew, private (CopyObject never carries an ACL, [ACL-3]). So a noncurrent version
/// shared or public through its own ACL would arrive private unless its grants are read and set
/// again on its copy.
///
/// Cost: ListObjectVersions says nothing about ACLs, so it is one GetObjectAcl per version
/// (delete markers have no ACL and are skipped; with BucketOwnerEnforced nothing is read at all;
/// with `versions: current` only current versions are read, as before). The reads happen once,
/// in `capture-config`, whose output is journaled: no later step (copy, verify, rollback, or
/// any of them resumed after a crash) reads a source ACL again. Setting the grants costs
/// nothing extra: they go in the CopyObject (or CreateMultipartUpload above 5 GiB) that makes
/// the version.
///
/// The captured grants are keyed by the source's version IDs. The copy to staging (whose
/// bucket has ACLs disabled, so it cannot hold grants) outputs, for the versions that carry
/// grants, which staging version each became (`aclVersionMap`, from the same old → new mapping
/// the version journal keeps); the copy back into the re-created bucket, the rollback's copy
/// back into the source, and their verifications look the grants up through that map.
extension S3CapturedACLs {
    /// Reads the ACL of every version of `bucket` (GetObjectAcl with `versionId`), fills
    /// `versions` and, for each key's current version, `objects` (what unversioned logic reads).
    mutating func captureVersions(bucket: String, source: S3Session, concurrency: Int) async throws {
        let chains = try await source.read(bucket) { try await S3VersionChains.list($0, bucket: bucket) }
        let wanted = chains.flatMap { $0.entries.filter { !$0.isDeleteMarker } }.map { S3VersionRef(key: $0.key, versionId: $0.versionId) }
        let found = try await Self.readVersionACLs(wanted, bucket: bucket, session: source, concurrency: concurrency)
        var versions: [String: [String: [S3Grant]]] = [:]
        for chain in chains {
            for entry in chain.entries where !entry.isDeleteMarker {
                guard let policy = found[S3VersionRef(key: entry.key, versionId: entry.versionId)] else { continue }
                let extra = Self.extraGrants(policy, bucketOwner: sourceCanonicalId)
                guard !extra.isEmpty else { continue }
                versions[entry.key, default: [:]][entry.versionId] = extra
                if entry.versionId == chain.current?.versionId { objects[entry.key] = extra }
            }
        }
        self.versions = versions
        requests = wanted.count
    }

    /// The captured grants of one source version (`versionId` as the capture listed it).
    func versionGrants(key: String, versionId: String) -> [S3Grant]? { versions?[key]?[versionId] }

    /// Source versions carrying grants, per key: what the copy to staging maps (`aclVersionMap`).
    var versionsWithGrants: [String: Set<String>] {
        (versions ?? [:]).mapValues { Set($0.keys) }.filter { !$0.value.isEmpty }
    }

    /// GetObjectAcl for each version, `concurrency` at a time; versions gone meanwhile are left out.
    static func readVersionACLs(
        _ refs: [S3VersionRef], bucket: String, session: S3Session, expectedBucketOwner: String? = nil, concurrency: Int
    ) async throws -> [S3VersionRef: S3AccessControlPolicy] {
        var result: [S3VersionRef: S3AccessControlPolicy] = [:]
        try await withThrowingTaskGroup(of: (S3VersionRef, S3AccessControlPolicy?).self) { group in
            var next = 0
            func launch() {
                let ref = refs[next]
                next += 1
                group.addTask {
                    (
                        ref,
                        try await session.read("\(bucket)/\(ref.key)?versionId=\(ref.versionId)") {
                            try await $0.getObjectVersionAclIfPresent(
                                bucket: bucket, key: ref.key, versionId: ref.versionId, expectedBucketOwner: expectedBucketOwner)
                        }
                    )
                }
            }
            while next < refs.count && next < max(1, concurrency) { launch() }
            while let (ref, policy) = try await group.next() {
                if let policy { result[ref] = policy }
                if next < refs.count { launch() }
            }
        }
        return result
    }
}

/// One version of one key.
struct S3VersionRef: Sendable, Hashable {
    var key: String
    var versionId: String
}

/// Which version of the captured bucket each version of an intermediate copy is: key → copy's
/// version ID → captured (source) version ID. Output `aclVersionMap` of the copy to staging,
/// only for versions that carry grants (so it stays small: one entry per granted version).
struct S3ACLVersionMap: Codable, Sendable, Equatable {
    var keys: [String: [String: String]]

    func capturedVersion(key: String, copyVersionId: String) -> String? { keys[key]?[copyVersionId] }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    static func decode(_ text: String) throws -> S3ACLVersionMap {
        try JSONDecoder().decode(S3ACLVersionMap.self, from: Data(text.utf8))
    }

    /// The map a step's copy to staging output (`versionsFrom`'s `aclVersionMap`), if any.
    static func from(_ context: StepContext, versionsFrom step: String?) -> S3ACLVersionMap? {
        guard let step, let text = context.output(of: step, "aclVersionMap") else { return nil }
        return try? decode(text)
    }
}

extension S3ObjectGrants {
    /// The ACL for the copy of one version of `key` (`versionId` in the copy's source bucket):
    /// - captured with per-version grants: that version's own grants, found directly (the copy
    ///   reads the captured bucket) or through `versionMap` (it reads staging);
    /// - captured without them (a capture from before per-version ACLs, or `versions: current`):
    ///   the current grants on the latest version only, as before;
    /// - live (a direct copy): GetObjectAcl of that version (with `versionId`).
    func grants(for key: String, versionId: String, isLatest: Bool) async throws -> [S3Grant]? {
        switch mode {
        case .captured(let captured, let direction):
            guard captured.versions != nil else { return isLatest ? captured.grants(for: key, direction) : nil }
            let sourceVersion = versionMap.map { $0.capturedVersion(key: key, copyVersionId: versionId) } ?? versionId
            guard let sourceVersion else { return nil }
            return captured.full(captured.versionGrants(key: key, versionId: sourceVersion), direction)
        case .live(let session, let bucket, let expectedOwner, let sourceId, let destinationId):
            guard
                let policy = try await session.read(
                    "\(bucket)/\(key)?versionId=\(versionId)",
                    {
                        try await $0.getObjectVersionAclIfPresent(
                            bucket: bucket, key: key, versionId: versionId, expectedBucketOwner: expectedOwner)
                    })
            else { return nil }
            let captured = S3CapturedACLs(
                ownership: nil, sourceCanonicalId: sourceId, targetCanonicalId: destinationId,
                objects: [key: S3CapturedACLs.extraGrants(policy, bucketOwner: sourceId)], requests: 1)
            return captured.grants(for: key, .target)
        }
    }
}

extension S3ObjectGrants {
    /// Which of `keys` get grants beyond the owner: the captured ones, or (live) those whose
    /// source ACL has some (one GetObjectAcl per key).
    func keysCarryingGrants(_ keys: [String], concurrency: Int) async throws -> Set<String> {
        switch mode {
        case .captured(let captured, _):
            return Set(keys.filter { captured.objects[$0]?.isEmpty == false })
        case .live(let session, let bucket, let expectedOwner, let sourceId, _):
            let found = try await S3CapturedACLs.readACLs(
                keys, bucket: bucket, session: session, expectedBucketOwner: expectedOwner, concurrency: concurrency)
            return Set(found.filter { !S3CapturedACLs.extraGrants($0.value, bucketOwner: sourceId).isEmpty }.keys)
        }
    }
}

extension S3Client {
    /// GetObjectAcl of one version, nil when it is gone (NoSuchKey, NoSuchVersion) or is a
    /// delete marker (MethodNotAllowed).
    func getObjectVersionAclIfPresent(
        bucket: String, key: String, versionId: String, expectedBucketOwner: String?
    ) async throws -> S3AccessControlPolicy? {
        do {
            return try await getObjectAcl(bucket: bucket, key: key, versionId: versionId, expectedBucketOwner: expectedBucketOwner)
        } catch let error as AWSError where error.code == .noSuchKey || error.code == .noSuchVersion || error.httpStatus == 405 {
            return nil
        }
    }
}

/// Verification of every version's grants after a history copy (`s3.verify` with `capture` and
/// `objectACLs`): the two chains are paired entry by entry (as `S3VersionVerifier` compares
/// them), and each destination version whose source version had grants beyond the owner gets
/// one GetObjectAcl (with `versionId`); every expected grant must be there.
enum S3VersionACLVerification {
    static func differences(
        _ context: StepContext, inputs: S3VerifyInputs, source: S3Session, destination: S3Session, from: S3Location, to: S3Location,
        concurrency: Int
    ) async throws -> [VerifyObjectsStep.Difference]? {
        guard let direction = inputs.objectACLs.flatMap({ S3CapturedACLs.Direction(rawValue: $0.rawValue) }),
            let capture = inputs.capture, let text = context.output(of: capture, "objectACLs")
        else { return [] }
        let captured = try S3CapturedACLs.decode(text)
        // A capture of current versions only: the caller checks current versions as before.
        guard captured.versions != nil else { return nil }
        guard !captured.versionsWithGrants.isEmpty else { return [] }
        let grants = S3ObjectGrants(
            mode: .captured(captured, direction), versionMap: S3ACLVersionMap.from(context, versionsFrom: inputs.versionsFrom))
        async let listedSource = source.read(from.bucket) { try await S3VersionChains.list($0, bucket: from.bucket) }
        async let listedDestination = destination.read(to.bucket) { try await S3VersionChains.list($0, bucket: to.bucket) }
        let chains = try await listedSource
        var there: [String: S3VersionChain] = [:]
        for chain in try await listedDestination { there[chain.key] = chain }
        var expected: [S3VersionRef: [S3Grant]] = [:]
        var differences: [VerifyObjectsStep.Difference] = []
        for chain in chains {
            let copy = there[chain.key]?.entries ?? []
            for (left, right) in zip(chain.entries, copy) where !left.isDeleteMarker && !right.isDeleteMarker {
                guard let wanted = try await grants.grants(for: left.key, versionId: left.versionId, isLatest: left.isLatest) else {
                    continue
                }
                expected[S3VersionRef(key: right.key, versionId: right.versionId)] = wanted
            }
        }
        let found = try await S3CapturedACLs.readVersionACLs(
            Array(expected.keys), bucket: to.bucket, session: destination, concurrency: concurrency)
        for (ref, wanted) in expected {
            let actual = Set(found[ref]?.grants ?? [])
            let missing = wanted.filter { !actual.contains($0) }
            if !missing.isEmpty {
                let names = missing.map { "\($0.permission) for \(S3ACLVerification.describe($0))" }.joined(separator: ", ")
                differences.append(.init(key: ref.key, reason: "ACL of version \(ref.versionId) lacks \(names)"))
            }
        }
        await context.progress("verified the ACLs of \(expected.count) versions with grants beyond the owner")
        return differences
    }
}
