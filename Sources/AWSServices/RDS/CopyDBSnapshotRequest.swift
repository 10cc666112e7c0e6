/// `CopyDBSnapshot`, run in the target account to take ownership of a shared snapshot.
///
/// For a snapshot shared by another account the source must be its **ARN**, and for an encrypted
/// one `kmsKeyId` is mandatory: the target's own key, so the copy stops depending on the source
/// account's key (AWS-NOTES §5.2). Encrypted shared snapshots can only be copied within a region.
public struct CopyDBSnapshotRequest: Sendable, Equatable {
    /// The source snapshot: its ARN across accounts or regions, its identifier otherwise.
    public var sourceSnapshotIdentifier: String
    public var targetSnapshotIdentifier: String
    /// The key to encrypt the copy with (ARN, key ID or alias in the calling account).
    public var kmsKeyId: String?
    /// Copy the source's tags (AWS's default is not to).
    public var copyTags: Bool?
    public var tags: [String: String]?
    /// Needed for snapshots with a non-default option group.
    public var optionGroupName: String?
    /// Copy the option group too (cross-account copies).
    public var copyOptionGroup: Bool?

    public init(
        sourceSnapshotIdentifier: String, targetSnapshotIdentifier: String, kmsKeyId: String? = nil,
        copyTags: Bool? = nil, tags: [String: String]? = nil, optionGroupName: String? = nil, copyOptionGroup: Bool? = nil
    ) {
        self.sourceSnapshotIdentifier = sourceSnapshotIdentifier
        self.targetSnapshotIdentifier = targetSnapshotIdentifier
        self.kmsKeyId = kmsKeyId
        self.copyTags = copyTags
        self.tags = tags
        self.optionGroupName = optionGroupName
        self.copyOptionGroup = copyOptionGroup
    }

    var parameters: QueryParameters {
        var p = QueryParameters()
        p.add("SourceDBSnapshotIdentifier", sourceSnapshotIdentifier)
        p.add("TargetDBSnapshotIdentifier", targetSnapshotIdentifier)
        p.add("KmsKeyId", kmsKeyId)
        p.addTags("Tags", tags, member: "Tag")
        p.add("CopyTags", copyTags)
        p.add("OptionGroupName", optionGroupName)
        p.add("CopyOptionGroup", copyOptionGroup)
        return p
    }
}
