/// `CopyDBClusterSnapshot`: as for instances, the source must be the ARN when it is shared, and
/// `kmsKeyId` is mandatory for an encrypted shared snapshot (and an error for an unencrypted one).
public struct CopyDBClusterSnapshotRequest: Sendable, Equatable {
    public var sourceSnapshotIdentifier: String
    public var targetSnapshotIdentifier: String
    public var kmsKeyId: String?
    public var copyTags: Bool?
    public var tags: [String: String]?

    public init(
        sourceSnapshotIdentifier: String, targetSnapshotIdentifier: String, kmsKeyId: String? = nil,
        copyTags: Bool? = nil, tags: [String: String]? = nil
    ) {
        self.sourceSnapshotIdentifier = sourceSnapshotIdentifier
        self.targetSnapshotIdentifier = targetSnapshotIdentifier
        self.kmsKeyId = kmsKeyId
        self.copyTags = copyTags
        self.tags = tags
    }

    var parameters: QueryParameters {
        var p = QueryParameters()
        p.add("SourceDBClusterSnapshotIdentifier", sourceSnapshotIdentifier)
        p.add("TargetDBClusterSnapshotIdentifier", targetSnapshotIdentifier)
        p.add("KmsKeyId", kmsKeyId)
        p.add("CopyTags", copyTags)
        p.addTags("Tags", tags, member: "Tag")
        return p
    }
}
