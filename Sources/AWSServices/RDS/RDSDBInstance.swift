import Foundation

/// A DB instance as `DescribeDBInstances` (and the create, restore and delete calls) report it:
/// the fields a cutover plans with, checks, and reports afterwards.
public struct RDSDBInstance: Sendable, Equatable {
    public var identifier: String
    /// `available`, `creating`, `backing-up`, `deleting`, …; see `RDSWaiters` for what each means.
    public var status: String
    public var arn: String?
    public var engine: String?
    public var engineVersion: String?
    public var instanceClass: String?
    /// The DNS name clients connect to; absent while the instance is still being created.
    public var endpointAddress: String?
    public var endpointPort: Int?
    public var storageEncrypted: Bool
    /// The KMS key (ARN) the storage is encrypted with; the RDS preflight checks it is shareable.
    public var kmsKeyId: String?
    public var dbSubnetGroupName: String?
    public var vpcId: String?
    public var vpcSecurityGroupIds: [String]
    public var dbParameterGroupNames: [String]
    public var optionGroupNames: [String]
    public var multiAZ: Bool
    public var deletionProtection: Bool
    public var publiclyAccessible: Bool?
    public var availabilityZone: String?
    public var allocatedStorage: Int?
    /// Set when the instance is a member of an Aurora cluster.
    public var dbClusterIdentifier: String?
    public var dbiResourceId: String?
    public var instanceCreateTime: Date?
    public var tags: [String: String]

    public init(
        identifier: String, status: String, arn: String? = nil, engine: String? = nil, engineVersion: String? = nil,
        instanceClass: String? = nil, endpointAddress: String? = nil, endpointPort: Int? = nil,
        storageEncrypted: Bool = false, kmsKeyId: String? = nil, dbSubnetGroupName: String? = nil, vpcId: String? = nil,
        vpcSecurityGroupIds: [String] = [], dbParameterGroupNames: [String] = [], optionGroupNames: [String] = [],
        multiAZ: Bool = false, deletionProtection: Bool = false, publiclyAccessible: Bool? = nil,
        availabilityZone: String? = nil, allocatedStorage: Int? = nil, dbClusterIdentifier: String? = nil,
        dbiResourceId: String? = nil, instanceCreateTime: Date? = nil, tags: [String: String] = [:]
    ) {
        self.identifier = identifier
        self.status = status
        self.arn = arn
        self.engine = engine
        self.engineVersion = engineVersion
        self.instanceClass = instanceClass
        self.endpointAddress = endpointAddress
        self.endpointPort = endpointPort
        self.storageEncrypted = storageEncrypted
        self.kmsKeyId = kmsKeyId
        self.dbSubnetGroupName = dbSubnetGroupName
        self.vpcId = vpcId
        self.vpcSecurityGroupIds = vpcSecurityGroupIds
        self.dbParameterGroupNames = dbParameterGroupNames
        self.optionGroupNames = optionGroupNames
        self.multiAZ = multiAZ
        self.deletionProtection = deletionProtection
        self.publiclyAccessible = publiclyAccessible
        self.availabilityZone = availabilityZone
        self.allocatedStorage = allocatedStorage
        self.dbClusterIdentifier = dbClusterIdentifier
        self.dbiResourceId = dbiResourceId
        self.instanceCreateTime = instanceCreateTime
        self.tags = tags
    }
}

extension RDSDBInstance {
    /// Decodes a `<DBInstance>` element; the identifier and status are required.
    init(_ x: QueryFields) throws {
        let endpoint = x.nested("Endpoint")
        let subnetGroup = x.nested("DBSubnetGroup")
        self.init(
            identifier: try x.required("DBInstanceIdentifier"),
            status: try x.required("DBInstanceStatus"),
            arn: x.string("DBInstanceArn"),
            engine: x.string("Engine"),
            engineVersion: x.string("EngineVersion"),
            instanceClass: x.string("DBInstanceClass"),
            endpointAddress: endpoint?.string("Address"),
            endpointPort: try endpoint?.int("Port") ?? x.int("DbInstancePort").flatMap { $0 == 0 ? nil : $0 },
            storageEncrypted: try x.bool("StorageEncrypted") ?? false,
            kmsKeyId: x.string("KmsKeyId"),
            dbSubnetGroupName: subnetGroup?.string("DBSubnetGroupName"),
            vpcId: subnetGroup?.string("VpcId"),
            vpcSecurityGroupIds: x.items("VpcSecurityGroups", member: "VpcSecurityGroupMembership") {
                $0.string("VpcSecurityGroupId")
            }.compactMap { $0 },
            dbParameterGroupNames: x.items("DBParameterGroups", member: "DBParameterGroup") {
                $0.string("DBParameterGroupName")
            }.compactMap { $0 },
            optionGroupNames: x.items("OptionGroupMemberships", member: "OptionGroupMembership") {
                $0.string("OptionGroupName")
            }.compactMap { $0 },
            multiAZ: try x.bool("MultiAZ") ?? false,
            deletionProtection: try x.bool("DeletionProtection") ?? false,
            publiclyAccessible: try x.bool("PubliclyAccessible"),
            availabilityZone: x.string("AvailabilityZone"),
            allocatedStorage: try x.int("AllocatedStorage"),
            dbClusterIdentifier: x.string("DBClusterIdentifier"),
            dbiResourceId: x.string("DbiResourceId"),
            instanceCreateTime: try x.date("InstanceCreateTime"),
            tags: try x.tags())
    }
}
