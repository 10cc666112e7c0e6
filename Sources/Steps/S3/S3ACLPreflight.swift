import AWSClient
import AWSServices
import Engine
import Foundation
import Runbook

/// The object ACL checks of `cutoverctl plan --preflight` for a move: the source's Object
/// Ownership, how many objects carry grants beyond the owner and which are public, what that
/// costs the move, and whether the target bucket (which gets the source's ownership and Block
/// Public Access settings restored) can take the public grants. Never silently private: a public
/// grant the target would refuse is a blocker with what to do instead.
extension S3Preflight {
    func objectACLs(_ bucket: String, session: S3Session, keys current: [String], copy: PlannedStep? = nil) async throws -> [Item] {
        let ownership = try await session.read(bucket) { try await $0.getBucketOwnershipControls(bucket: bucket) }
        if ownership == "BucketOwnerEnforced" {
            return [
                Item(
                    account: session.account, check: "object-acls", severity: .ok,
                    detail: "Object Ownership of \(bucket) is BucketOwnerEnforced: ACLs are disabled, so there are no object grants "
                        + "to carry and the copy stays at one request per object (no GetObjectAcl)")
            ]
        }
        let owner = try await session.read(nil) { try await $0.callerCanonicalUserId() }
        let keys = Array(current.prefix(inspectLimit))
        let policies = try await S3CapturedACLs.readACLs(keys, bucket: bucket, session: session, concurrency: 16)
        var withGrants: [String] = []
        var publicKeys: [String] = []
        var otherAccounts: Set<String> = []
        for key in keys {
            guard let policy = policies[key] else { continue }
            let extra = S3CapturedACLs.extraGrants(policy, bucketOwner: owner)
            guard !extra.isEmpty else { continue }
            withGrants.append(key)
            if extra.contains(where: \.isPublic) { publicKeys.append(key) }
            for id in extra.compactMap(\.canonicalUserId) where id != owner { otherAccounts.insert(id) }
        }
        let setting =
            ownership.map { "is \($0)" } ?? "is not set (a bucket from before April 2023: ACLs enabled, the writer owns each object)"
        let sampled = current.count > inspectLimit ? " (of the first \(inspectLimit) objects inspected)" : ""
        var detail =
            "Object Ownership of \(bucket) \(setting): \(withGrants.count) objects\(sampled) carry ACL grants beyond the "
            + "owner, \(publicKeys.count) of them public (AllUsers/AuthenticatedUsers)"
            + (publicKeys.isEmpty ? "" : ", e.g. \(publicKeys.prefix(5).joined(separator: ", "))")
            + ". The move reads every object's ACL once in capture-config (\(current.count) extra GetObjectAcl requests) and sets "
            + "the grants in the same CopyObject into the re-created bucket (x-amz-grant-*, no extra request), "
            + "\(session.label)'s canonical ID rewritten to the target account's"
        if !otherAccounts.isEmpty { detail += "; grants to \(otherAccounts.count) other accounts are kept as they are" }
        var items = [Item(account: session.account, check: "object-acls", severity: withGrants.isEmpty ? .ok : .warning, detail: detail)]
        // A versioned source: every version's own ACL is read once and carried (S3ObjectACL+Versions.swift);
        // say what that costs, since the listing cannot tell which versions carry grants.
        let versioning = try await session.read(bucket) { try await $0.getBucketVersioning(bucket: bucket).status }
        // Noncurrent versions with public grants (of the first `inspectLimit`): when the history is
        // copied they meet the target's Block Public Access like current objects do.
        var publicVersions: [S3VersionRef] = []
        if versioning == "Enabled" || versioning == "Suspended" {
            let chains = try await session.read(bucket) { try await S3VersionChains.list($0, bucket: bucket) }
            let noncurrent = chains.reduce(0) { $0 + $1.noncurrentVersions }
            items.append(
                Item(
                    account: session.account, check: "noncurrent-acls", severity: .ok,
                    detail: "\(bucket) is versioned (\(versioning ?? "")): each of its \(noncurrent) noncurrent versions keeps its own ACL "
                        + "(capture-config reads it with ?versionId: \(noncurrent) GetObjectAcl requests beyond the current versions' "
                        + "when the history is copied; none with `versions: current`); the grants go in the CopyObject of each "
                        + "version, and verification reads back only the versions that carry grants"))
            if copy?.inputs["versions"]?.stringValue.flatMap(S3VersionsMode.init(rawValue:)) != .current {
                let noncurrentRefs = chains.flatMap { chain in
                    chain.entries.dropLast().filter { !$0.isDeleteMarker }.map { S3VersionRef(key: chain.key, versionId: $0.versionId) }
                }.prefix(inspectLimit)
                let read = try await S3CapturedACLs.readVersionACLs(
                    Array(noncurrentRefs), bucket: bucket, session: session, concurrency: 16)
                publicVersions = noncurrentRefs.filter { ref in
                    read[ref].map { S3CapturedACLs.extraGrants($0, bucketOwner: owner).contains(where: \.isPublic) } ?? false
                }
            }
        }
        guard !publicKeys.isEmpty || !publicVersions.isEmpty else { return items }
        let publicCount = publicKeys.count + publicVersions.count
        let noncurrentPublic =
            publicVersions.isEmpty
            ? ""
            : " (\(publicVersions.count) of them noncurrent versions the history copy carries, e.g. "
                + publicVersions.prefix(3).map { "\($0.key) version \($0.versionId)" }.joined(separator: ", ") + ")"

        let block = try await session.read(bucket) { try await $0.getPublicAccessBlock(bucket: bucket) }
        if block?.blockPublicAcls == true {
            items.append(
                Item(
                    account: session.account, check: "public-acls", severity: .blocker,
                    detail: "\(publicCount) objects of \(bucket) are public through their ACLs\(noncurrentPublic), but Block Public Access "
                        + "(BlockPublicAcls) is on for \(bucket) and the re-created bucket gets the same setting: S3 would refuse the "
                        + "public grants (AccessDenied). Either turn BlockPublicAcls off on \(bucket) before the move (the public "
                        + "grants are then carried), or give the same public read with a bucket policy on the target and remove "
                        + "the public ACLs first, e.g. " + Self.publicReadPolicy(bucket, keys: publicKeys + publicVersions.map(\.key))))
        } else if block?.ignorePublicAcls == true {
            items.append(
                Item(
                    account: session.account, check: "public-acls", severity: .warning,
                    detail:
                        "\(publicCount) objects of \(bucket) have public ACL grants\(noncurrentPublic) that IgnorePublicAcls makes ineffective "
                        + "today; they are carried and stay ineffective in the target (same setting)"))
        } else {
            items.append(
                Item(
                    account: session.account, check: "public-acls", severity: .warning,
                    detail:
                        "\(publicCount) objects of \(bucket) are public through their ACLs\(noncurrentPublic) and stay public after the move "
                        + "(restore-config removes the default Block Public Access from the re-created bucket, as the source has none); "
                        + "an account-level Block Public Access in the target account would override that (not checked here: "
                        + "s3control GetPublicAccessBlock of the target)"))
        }
        return items
    }

    /// A bucket policy giving anonymous `s3:GetObject` on the prefixes of `keys` (a key's
    /// folder + `*`, or the key itself at the top level).
    static func publicReadPolicy(_ bucket: String, keys: [String]) -> String {
        var resources: [String] = []
        for key in keys {
            let resource: String
            if let slash = key.lastIndex(of: "/") {
                resource = "arn:aws:s3:::\(bucket)/\(key[...slash])*"
            } else {
                resource = "arn:aws:s3:::\(bucket)/\(key)"
            }
            if !resources.contains(resource) { resources.append(resource) }
        }
        let list = resources.map { "\"\($0)\"" }.joined(separator: ", ")
        return "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\", "
            + "\"Action\": \"s3:GetObject\", \"Resource\": [\(list)]}]} (which also needs BlockPublicPolicy off)"
    }
}

/// The same question for `s3.copy-objects` with `objectACLs: copy`: the destination's own
/// settings decide whether the grants can be set. A destination the run creates gets S3's
/// defaults (BucketOwnerEnforced, Block Public Access), which refuse every grant.
extension S3Preflight {
    func copyObjectACLs(_ copy: PlannedStep) async -> [Item] {
        guard copy.inputs["objectACLs"]?.stringValue == "copy", case .object(let from)? = copy.inputs["from"],
            case .object(let to)? = copy.inputs["to"],
            let fromAccount = from.first(where: { $0.0 == "account" })?.1.stringValue,
            let fromBucket = from.first(where: { $0.0 == "bucket" })?.1.stringValue,
            let toAccount = to.first(where: { $0.0 == "account" })?.1.stringValue,
            let toBucket = to.first(where: { $0.0 == "bucket" })?.1.stringValue
        else { return [] }
        do {
            let source = try await S3Session.open(sessions, fromAccount)
            guard try await source.read(fromBucket, { try await $0.headBucket(fromBucket) }) != nil else { return [] }
            let listed = try await source.read(fromBucket) { try await $0.listAllObjects(bucket: fromBucket) }
            let current = listed.map(\.key)
            var items = try await objectACLs(fromBucket, session: source, keys: current)
                .filter { $0.check == "object-acls" }
                .map {
                    Item(
                        account: $0.account, check: "copy-object-acls", severity: $0.severity,
                        detail: $0.detail
                            .replacingOccurrences(
                                of: "The move reads every object's ACL once in capture-config", with: "The copy reads every object's ACL"
                            )
                            .replacingOccurrences(of: "into the re-created bucket", with: "into \(toBucket)"))
                }
            guard items.first?.severity == .warning else { return items }
            let owner = try await source.read(nil) { try await $0.callerCanonicalUserId() }
            let policies = try await S3CapturedACLs.readACLs(
                Array(current.prefix(inspectLimit)), bucket: fromBucket, session: source, concurrency: 16)
            let publicKeys = policies.filter { S3CapturedACLs.extraGrants($0.value, bucketOwner: owner).contains(where: \.isPublic) }
                .map(\.key).sorted()
            let destination = try await S3Session.open(sessions, toAccount)
            let exists = try await destination.read(toBucket) { try await $0.headBucket(toBucket) } != nil
            let ownership =
                exists
                ? try await destination.read(toBucket) { try await $0.getBucketOwnershipControls(bucket: toBucket) } : "BucketOwnerEnforced"
            let blocksPublic =
                exists
                ? try await destination.read(toBucket) { try await $0.getPublicAccessBlock(bucket: toBucket) }?.blockPublicAcls == true
                : true
            let what = exists ? "\(toBucket)" : "\(toBucket) (created by the run with S3's defaults)"
            if ownership == "BucketOwnerEnforced" {
                items.append(
                    Item(
                        account: toAccount, check: "copy-object-acls", severity: .blocker,
                        detail: "\(what) has ACLs disabled (BucketOwnerEnforced): S3 would refuse the grants "
                            + "(AccessControlListNotSupported). Set its Object Ownership to BucketOwnerPreferred before the copy "
                            + "(PutBucketOwnershipControls), or set `objectACLs: none` and give the same access with a bucket policy"
                            + (publicKeys.isEmpty ? "" : ", e.g. " + Self.publicReadPolicy(toBucket, keys: publicKeys))))
            } else if !publicKeys.isEmpty, blocksPublic {
                items.append(
                    Item(
                        account: toAccount, check: "copy-object-acls", severity: .blocker,
                        detail: "\(publicKeys.count) objects are public through their ACLs but Block Public Access (BlockPublicAcls) is on "
                            + "for \(what): S3 would refuse the public grants (AccessDenied). Turn BlockPublicAcls off on \(toBucket), "
                            + "or set `objectACLs: none` and give the same public read with a bucket policy, e.g. "
                            + Self.publicReadPolicy(toBucket, keys: publicKeys)))
            }
            return items
        } catch {
            return [
                Item(
                    account: fromAccount, check: "copy-object-acls", severity: .warning,
                    detail: "cannot check the object ACLs of \(fromBucket): \(StepError(error).description)")
            ]
        }
    }
}
