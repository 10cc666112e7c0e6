/// `RestoreDBClusterFromSnapshot`. Unlike instance restores, a shared cluster snapshot — encrypted
/// or not — can be restored directly, and `kmsKeyId` re-encrypts at restore (use a key ARN across
/// accounts). It creates only the cluster: add members with `CreateDBInstance` once it is available.
public struct RestoreDBClusterFromSnapshotRequest: Sendable, Equatable {
    public var clusterIdentifier: String
    /// The DB cluster snapshot (or DB snapshot) identifier or ARN.
    public var snapshotIdentifier: String
    /// Required by the API: must match the snapshot's engine family (`aurora-mysql`, `aurora-postgresql`).
    public var engine: String
    public var engineVersion: String?
    public var kmsKeyId: String?
    public var dbSubnetGroupName: String?
    public var vpcSecurityGroupIds: [String]?
    public var dbClusterParameterGroupName: String?
    public var port: Int?
    public var deletionProtection: Bool?
    public var tags: [String: String]?

    public init(
        clusterIdentifier: String, snapshotIdentifier: String, engine: String, engineVersion: String? = nil,
        kmsKeyId: String? = nil, dbSubnetGroupName: String? = nil, vpcSecurityGroupIds: [String]? = nil,
        dbClusterParameterGroupName: String? = nil, port: Int? = nil, deletionProtection: Bool? = nil,
        tags: [String: String]? = nil
    ) {
        self.clusterIdentifier = clusterIdentifier
        self.snapshotIdentifier = snapshotIdentifier
        self.engine = engine
        self.engineVersion = engineVersion
        self.kmsKeyId = kmsKeyId
        self.dbSubnetGroupName = dbSubnetGroupName
        self.vpcSecurityGroupIds = vpcSecurityGroupIds
        self.dbClusterParameterGroupName = dbClusterParameterGroupName
        self.port = port
        self.deletionProtection = deletionProtection
        self.tags = tags
    }

    var parameters: QueryParameters {
        var p = QueryParameters()
        p.add("DBClusterIdentifier", clusterIdentifier)
        p.add("SnapshotIdentifier", snapshotIdentifier)
        p.add("Engine", engine)
        p.add("EngineVersion", engineVersion)
        p.add("Port", port)
        p.add("DBSubnetGroupName", dbSubnetGroupName)
        p.addList("VpcSecurityGroupIds", vpcSecurityGroupIds, member: "VpcSecurityGroupId")
        p.addTags("Tags", tags, member: "Tag")
        p.add("KmsKeyId", kmsKeyId)
        p.add("DBClusterParameterGroupName", dbClusterParameterGroupName)
        p.add("DeletionProtection", deletionProtection)
        return p
    }
}
