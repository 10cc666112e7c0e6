import Foundation

/// Object ACLs seen from outside (tests' assertions, the demo): the ACL as S3 keeps it and what
/// an anonymous reader would get.
extension Simulator {
    /// The owner account and grants of `key`'s current version.
    public func objectACL(bucket: String, key: String) -> (owner: String, grants: [S3ObjectGrant])? {
        withState { $0.s3.objectACL(bucket: bucket, key: key) }
    }

    /// Whether an anonymous reader could fetch `key` through its ACL (see `S3State.isPubliclyReadable`).
    public func isPubliclyReadable(bucket: String, key: String) -> Bool {
        withState { $0.s3.isPubliclyReadable(bucket: bucket, key: key) }
    }

    /// Sets a bucket's Object Ownership and bucket-level Block Public Access directly (seeding).
    public func setObjectOwnership(bucket: String, _ ownership: String?, blockPublicAccess: Bool) {
        withState { state in
            guard state.s3.buckets[bucket] != nil else { return }
            state.s3.buckets[bucket]!.configurations[.ownershipControls] = ownership.map {
                "<OwnershipControls xmlns=\"\(s3Namespace)\"><Rule><ObjectOwnership>\($0)</ObjectOwnership></Rule></OwnershipControls>"
            }
            state.s3.buckets[bucket]!.configurations[.publicAccessBlock] =
                blockPublicAccess ? S3BucketConfiguration.newBucketDefaults()[.publicAccessBlock] : nil
        }
    }
}

extension Simulator {
    /// Replaces the grants of `key`'s current version (seeding; no request rules apply).
    public func setObjectGrants(bucket: String, key: String, _ grants: [S3ObjectGrant]) throws(SimError) {
        try withState { state in
            Result { () throws(SimError) in try state.s3.seedObjectGrants(bucket: bucket, key: key, grants) }
        }.get()
    }

    /// Replaces the grants of one version of `key` (seeding a noncurrent version's own ACL).
    public func setObjectGrants(bucket: String, key: String, versionId: String, _ grants: [S3ObjectGrant]) throws(SimError) {
        try withState { state in
            Result { () throws(SimError) in try state.s3.seedObjectGrants(bucket: bucket, key: key, versionId: versionId, grants) }
        }.get()
    }

    /// The owner account and grants of one version of `key` (current or noncurrent).
    public func objectACL(bucket: String, key: String, versionId: String) -> (owner: String, grants: [S3ObjectGrant])? {
        withState { $0.s3.objectACL(bucket: bucket, key: key, versionId: versionId) }
    }
}
