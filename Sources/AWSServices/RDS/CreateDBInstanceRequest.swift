/// `CreateDBInstance`: Cutover creates the members of a restored Aurora cluster with it
/// (`RestoreDBClusterFromSnapshot` creates only the cluster); the other fields serve tests and
/// standalone instances.
public struct CreateDBInstanceRequest: Sendable, Equatable {
    public var instanceIdentifier: String
    public var instanceClass: String
    public var engine: String
    /// For a cluster member; storage, credentials and encryption then come from the cluster.
    public var clusterIdentifier: String?
    public var engineVersion: String?
    public var allocatedStorage: Int?
    public var masterUsername: String?
    /// Sent to AWS only; never logged (the request parameters are not logged anywhere).
    public var masterUserPassword: String?
    public var dbSubnetGroupName: String?
    public var vpcSecurityGroupIds: [String]?
    public var dbParameterGroupName: String?
    public var storageEncrypted: Bool?
    public var kmsKeyId: String?
    public var multiAZ: Bool?
    public var publiclyAccessible: Bool?
    public var deletionProtection: Bool?
    public var tags: [String: String]?

    public init(
        instanceIdentifier: String, instanceClass: String, engine: String, clusterIdentifier: String? = nil,
        engineVersion: String? = nil, allocatedStorage: Int? = nil, masterUsername: String? = nil,
        masterUserPassword: String? = nil, dbSubnetGroupName: String? = nil, vpcSecurityGroupIds: [String]? = nil,
        dbParameterGroupName: String? = nil, storageEncrypted: Bool? = nil, kmsKeyId: String? = nil,
        multiAZ: Bool? = nil, publiclyAccessible: Bool? = nil, deletionProtection: Bool? = nil,
        tags: [String: String]? = nil
    ) {
        self.instanceIdentifier = instanceIdentifier
        self.instanceClass = instanceClass
        self.engine = engine
        self.clusterIdentifier = clusterIdentifier
        self.engineVersion = engineVersion
        self.allocatedStorage = allocatedStorage
        self.masterUsername = masterUsername
        self.masterUserPassword = masterUserPassword
        self.dbSubnetGroupName = dbSubnetGroupName
        self.vpcSecurityGroupIds = vpcSecurityGroupIds
        self.dbParameterGroupName = dbParameterGroupName
        self.storageEncrypted = storageEncrypted
        self.kmsKeyId = kmsKeyId
        self.multiAZ = multiAZ
        self.publiclyAccessible = publiclyAccessible
        self.deletionProtection = deletionProtection
        self.tags = tags
    }

    var parameters: QueryParameters {
        var p = QueryParameters()
        p.add("DBInstanceIdentifier", instanceIdentifier)
        p.add("AllocatedStorage", allocatedStorage)
        p.add("DBInstanceClass", instanceClass)
        p.add("Engine", engine)
        p.add("MasterUsername", masterUsername)
        p.add("MasterUserPassword", masterUserPassword)
        p.addList("VpcSecurityGroupIds", vpcSecurityGroupIds, member: "VpcSecurityGroupId")
        p.add("DBSubnetGroupName", dbSubnetGroupName)
        p.add("DBParameterGroupName", dbParameterGroupName)
        p.add("MultiAZ", multiAZ)
        p.add("EngineVersion", engineVersion)
        p.add("PubliclyAccessible", publiclyAccessible)
        p.addTags("Tags", tags, member: "Tag")
        p.add("DBClusterIdentifier", clusterIdentifier)
        p.add("StorageEncrypted", storageEncrypted)
        p.add("KmsKeyId", kmsKeyId)
        p.add("DeletionProtection", deletionProtection)
        return p
    }
}
