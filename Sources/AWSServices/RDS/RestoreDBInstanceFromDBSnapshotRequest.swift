/// `RestoreDBInstanceFromDBSnapshot`: a new instance from a snapshot the caller owns.
///
/// The network and parameter settings are optional in the API, but their defaults (default VPC,
/// default subnet group, security group, parameter group and option group) are wrong for a cutover,
/// so a cutover passes all of them (AWS-NOTES §5.3). There is no KMS key here: re-encryption
/// happens at `CopyDBSnapshot`.
public struct RestoreDBInstanceFromDBSnapshotRequest: Sendable, Equatable {
    public var instanceIdentifier: String
    /// The snapshot identifier or ARN (a shared *encrypted* snapshot must be copied first).
    public var snapshotIdentifier: String
    public var dbSubnetGroupName: String?
    public var vpcSecurityGroupIds: [String]?
    public var dbParameterGroupName: String?
    public var optionGroupName: String?
    public var instanceClass: String?
    public var multiAZ: Bool?
    public var publiclyAccessible: Bool?
    public var deletionProtection: Bool?
    public var port: Int?
    /// When nil, RDS copies the source instance's tags from snapshot time.
    public var tags: [String: String]?

    public init(
        instanceIdentifier: String, snapshotIdentifier: String, dbSubnetGroupName: String? = nil,
        vpcSecurityGroupIds: [String]? = nil, dbParameterGroupName: String? = nil, optionGroupName: String? = nil,
        instanceClass: String? = nil, multiAZ: Bool? = nil, publiclyAccessible: Bool? = nil,
        deletionProtection: Bool? = nil, port: Int? = nil, tags: [String: String]? = nil
    ) {
        self.instanceIdentifier = instanceIdentifier
        self.snapshotIdentifier = snapshotIdentifier
        self.dbSubnetGroupName = dbSubnetGroupName
        self.vpcSecurityGroupIds = vpcSecurityGroupIds
        self.dbParameterGroupName = dbParameterGroupName
        self.optionGroupName = optionGroupName
        self.instanceClass = instanceClass
        self.multiAZ = multiAZ
        self.publiclyAccessible = publiclyAccessible
        self.deletionProtection = deletionProtection
        self.port = port
        self.tags = tags
    }

    var parameters: QueryParameters {
        var p = QueryParameters()
        p.add("DBInstanceIdentifier", instanceIdentifier)
        p.add("DBSnapshotIdentifier", snapshotIdentifier)
        p.add("DBInstanceClass", instanceClass)
        p.add("Port", port)
        p.add("DBSubnetGroupName", dbSubnetGroupName)
        p.add("MultiAZ", multiAZ)
        p.add("PubliclyAccessible", publiclyAccessible)
        p.add("OptionGroupName", optionGroupName)
        p.addTags("Tags", tags, member: "Tag")
        p.addList("VpcSecurityGroupIds", vpcSecurityGroupIds, member: "VpcSecurityGroupId")
        p.add("DBParameterGroupName", dbParameterGroupName)
        p.add("DeletionProtection", deletionProtection)
        return p
    }
}
