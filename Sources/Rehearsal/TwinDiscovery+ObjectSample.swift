import AWSClient
import AWSServices
import Foundation

/// Tags and ACL grants of a bucket's first objects (GetObjectTagging; GetObjectAcl unless ACLs
/// are disabled), so the twin's objects carry the same: a copy of tagged objects needs the tag
/// permissions, and the ACL preflight reads the first objects' grants (its public-grant block).
/// Bounded by `objectSampleLimit` requests of each kind, `sampleConcurrency` at a time.
extension TwinDiscovery {
    static let sampleConcurrency = 16

    func sampleObjects(
        _ keys: [String], bucket: String, ownership: String?, s3: S3Client, _ recorder: inout CallRecorder
    )
        async throws -> TwinInventory.ObjectSample
    {
        let readACLs = ownership != "BucketOwnerEnforced" && !keys.isEmpty
        var owner: String?
        if readACLs {
            recorder.note("s3", "ListBuckets")
            owner = try await s3.callerCanonicalUserId()
        }
        struct Read: Sendable {
            var key: String
            var tags: Int
            var grants: [S3Grant]
        }
        var reads: [String: Read] = [:]
        try await withThrowingTaskGroup(of: Read.self) { group in
            var next = 0
            func launch() {
                let key = keys[next]
                next += 1
                group.addTask {
                    let tags = try await s3.getObjectTagging(bucket: bucket, key: key).count
                    let grants = readACLs ? try await s3.getObjectAcl(bucket: bucket, key: key).grants : []
                    return Read(key: key, tags: tags, grants: grants)
                }
            }
            while next < keys.count && next < Self.sampleConcurrency { launch() }
            while let read = try await group.next() {
                reads[read.key] = read
                if next < keys.count { launch() }
            }
        }
        for _ in keys { recorder.note("s3", "GetObjectTagging") }
        if readACLs { for _ in keys { recorder.note("s3", "GetObjectAcl") } }

        // Other accounts numbered in order of first appearance, so the twin keeps them distinct.
        var others: [String: Int] = [:]
        var prefixes: [String: TwinInventory.ObjectSample.Prefix] = [:]
        for key in keys {
            guard let read = reads[key] else { continue }
            let prefix = key.firstIndex(of: "/").map { String(key[...$0]) } ?? ""
            var entry = prefixes[prefix] ?? .init(prefix: prefix, inspected: 0, tagged: 0, maxTags: 0, grantSets: [])
            entry.inspected += 1
            if read.tags > 0 { entry.tagged += 1 }
            entry.maxTags = max(entry.maxTags, read.tags)
            let extra = read.grants.filter { !($0.canonicalUserId == owner && $0.permission == "FULL_CONTROL") }
            let grants = extra.map { grant -> TwinInventory.ObjectSample.Grant in
                switch grant.grantee {
                case .group(let uri):
                    return .init(group: String(uri.split(separator: "/").last ?? ""), otherAccount: nil, permission: grant.permission)
                case .canonicalUser(let id) where id == owner:
                    return .init(group: nil, otherAccount: 0, permission: grant.permission)
                case .canonicalUser(let id):
                    if others[id] == nil { others[id] = others.count + 1 }
                    return .init(group: nil, otherAccount: others[id]!, permission: grant.permission)
                }
            }
            // Runs of objects with the same grants, in key order.
            if let last = entry.grantSets.last, last.grants == grants {
                entry.grantSets[entry.grantSets.count - 1].count += 1
            } else {
                entry.grantSets.append(.init(count: 1, grants: grants))
            }
            prefixes[prefix] = entry
        }
        return TwinInventory.ObjectSample(prefixes: prefixes.keys.sorted().map { prefixes[$0]! }, aclsRead: readACLs)
    }
}
