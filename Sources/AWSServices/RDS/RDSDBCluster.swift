import Foundation

/// An Aurora DB cluster as `DescribeDBClusters` and `RestoreDBClusterFromSnapshot` report it.
public struct RDSDBCluster: Sendable, Equatable {
    /// One DB instance in the cluster.
    public struct Member: Sendable, Equatable {
        public var instanceIdentifier: String
        public var isWriter: Bool
        public init(instanceIdentifier: String, isWriter: Bool) {
            self.instanceIdentifier = instanceIdentifier
            self.isWriter = isWriter
        }
    }

    public var identifier: String
    /// `available`, `creating`, `backing-up`, … ; see `RDSWaiters.clusterState`.
    public var status: String
    public var arn: String?
    public var engine: String?
    public var engineVersion: String?
    /// The writer endpoint.
    public var endpoint: String?
    public var readerEndpoint: String?
    public var port: Int?
    public var storageEncrypted: Bool
    public var kmsKeyId: String?
    public var dbSubnetGroupName: String?
    public var vpcSecurityGroupIds: [String]
    public var dbClusterParameterGroupName: String?
    /// Empty right after `RestoreDBClusterFromSnapshot`: members are created with `CreateDBInstance`.
    public var members: [Member]
    public var multiAZ: Bool?
    public var deletionProtection: Bool?
    public var clusterCreateTime: Date?
    public var tags: [String: String]

    public init(
        identifier: String, status: String, arn: String? = nil, engine: String? = nil, engineVersion: String? = nil,
        endpoint: String? = nil, readerEndpoint: String? = nil, port: Int? = nil, storageEncrypted: Bool = false,
        kmsKeyId: String? = nil, dbSubnetGroupName: String? = nil, vpcSecurityGroupIds: [String] = [],
        dbClusterParameterGroupName: String? = nil, members: [Member] = [], multiAZ: Bool? = nil,
        deletionProtection: Bool? = nil, clusterCreateTime: Date? = nil, tags: [String: String] = [:]
    ) {
        self.identifier = identifier
        self.status = status
        self.arn = arn
        self.engine = engine
        self.engineVersion = engineVersion
        self.endpoint = endpoint
        self.readerEndpoint = readerEndpoint
        self.port = port
        self.storageEncrypted = storageEncrypted
        self.kmsKeyId = kmsKeyId
        self.dbSubnetGroupName = dbSubnetGroupName
        self.vpcSecurityGroupIds = vpcSecurityGroupIds
        self.dbClusterParameterGroupName = dbClusterParameterGroupName
        self.members = members
        self.multiAZ = multiAZ
        self.deletionProtection = deletionProtection
        self.clusterCreateTime = clusterCreateTime
        self.tags = tags
    }
}

extension RDSDBCluster {
    /// Decodes a `<DBCluster>` element; the identifier and status are required.
    init(_ x: QueryFields) throws {
        self.init(
            identifier: try x.required("DBClusterIdentifier"),
            status: try x.required("Status"),
            arn: x.string("DBClusterArn"),
            engine: x.string("Engine"),
            engineVersion: x.string("EngineVersion"),
            endpoint: x.string("Endpoint"),
            readerEndpoint: x.string("ReaderEndpoint"),
            port: try x.int("Port"),
            storageEncrypted: try x.bool("StorageEncrypted") ?? false,
            kmsKeyId: x.string("KmsKeyId"),
            dbSubnetGroupName: x.string("DBSubnetGroup"),
            vpcSecurityGroupIds: x.items("VpcSecurityGroups", member: "VpcSecurityGroupMembership") {
                $0.string("VpcSecurityGroupId")
            }.compactMap { $0 },
            dbClusterParameterGroupName: x.string("DBClusterParameterGroup"),
            members: try x.items("DBClusterMembers", member: "DBClusterMember") {
                Member(instanceIdentifier: try $0.required("DBInstanceIdentifier"), isWriter: try $0.bool("IsClusterWriter") ?? false)
            },
            multiAZ: try x.bool("MultiAZ"),
            deletionProtection: try x.bool("DeletionProtection"),
            clusterCreateTime: try x.date("ClusterCreateTime"),
            tags: try x.tags())
    }
}
