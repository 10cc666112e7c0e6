/// A DB instance to seed, as a cutover's source account has it (the demo's legacy MySQL).
/// Seeding goes through the same CreateDBInstance code as a request, so a seed is validated the
/// way RDS validates (subnet group, security groups, parameter group, KMS key).
public struct SimDBInstanceSeed: Sendable, Equatable {
    public var identifier: String
    public var engine: String
    public var engineVersion: String?
    public var instanceClass: String
    public var allocatedStorage: Int
    public var masterUsername: String
    /// Encrypt the storage; with `kmsKeyId` nil, under the account's AWS managed `aws/rds` key.
    public var storageEncrypted: Bool
    /// A key ID, key ARN, alias name or alias ARN usable by the account (implies encryption).
    public var kmsKeyId: String?
    public var subnetGroupName: String?
    public var securityGroupIds: [String]
    public var parameterGroupName: String?
    /// An option group seeded with `seedRDSNetwork(optionGroups:)`; the engine's default one when nil.
    public var optionGroupName: String?
    public var deletionProtection: Bool
    public var backupRetentionPeriod: Int
    public var tags: [String: String]
    /// True: `available` at once. False: the instance starts `creating` now and goes through
    /// `backing-up` with the configured `RDSTimings`.
    public var availableImmediately: Bool
    /// Makes the instance a member of this Aurora cluster (seeded first, same engine); storage,
    /// encryption and network then come from the cluster.
    public var clusterIdentifier: String?

    public init(
        identifier: String, engine: String = "mysql", engineVersion: String? = nil, instanceClass: String = "db.t3.medium",
        allocatedStorage: Int = 20, masterUsername: String = "admin", storageEncrypted: Bool = false, kmsKeyId: String? = nil,
        subnetGroupName: String? = nil, securityGroupIds: [String] = [], parameterGroupName: String? = nil,
        deletionProtection: Bool = false, backupRetentionPeriod: Int = 1, tags: [String: String] = [:], availableImmediately: Bool = true,
        clusterIdentifier: String? = nil, optionGroupName: String? = nil
    ) {
        self.identifier = identifier
        self.engine = engine
        self.engineVersion = engineVersion
        self.instanceClass = instanceClass
        self.allocatedStorage = allocatedStorage
        self.masterUsername = masterUsername
        self.storageEncrypted = storageEncrypted
        self.kmsKeyId = kmsKeyId
        self.subnetGroupName = subnetGroupName
        self.securityGroupIds = securityGroupIds
        self.parameterGroupName = parameterGroupName
        self.deletionProtection = deletionProtection
        self.backupRetentionPeriod = backupRetentionPeriod
        self.tags = tags
        self.availableImmediately = availableImmediately
        self.clusterIdentifier = clusterIdentifier
        self.optionGroupName = optionGroupName
    }

    /// The CreateDBInstance parameters this seed stands for.
    var parameters: [(String, String)] {
        var p: [(String, String)] = [
            ("DBInstanceIdentifier", identifier), ("Engine", engine), ("DBInstanceClass", instanceClass),
            ("AllocatedStorage", String(allocatedStorage)), ("MasterUsername", masterUsername),
            ("ManageMasterUserPassword", "true"), ("DeletionProtection", deletionProtection ? "true" : "false"),
            ("BackupRetentionPeriod", String(backupRetentionPeriod)),
        ]
        if let engineVersion { p.append(("EngineVersion", engineVersion)) }
        if storageEncrypted || kmsKeyId != nil { p.append(("StorageEncrypted", "true")) }
        if let kmsKeyId { p.append(("KmsKeyId", kmsKeyId)) }
        if let subnetGroupName { p.append(("DBSubnetGroupName", subnetGroupName)) }
        for (i, group) in securityGroupIds.enumerated() { p.append(("VpcSecurityGroupIds.VpcSecurityGroupId.\(i + 1)", group)) }
        if let parameterGroupName { p.append(("DBParameterGroupName", parameterGroupName)) }
        if let optionGroupName { p.append(("OptionGroupName", optionGroupName)) }
        if let clusterIdentifier { p.append(("DBClusterIdentifier", clusterIdentifier)) }
        for (i, tag) in tags.sorted(by: { $0.key < $1.key }).enumerated() {
            p.append(("Tags.Tag.\(i + 1).Key", tag.key))
            p.append(("Tags.Tag.\(i + 1).Value", tag.value))
        }
        return p
    }
}
