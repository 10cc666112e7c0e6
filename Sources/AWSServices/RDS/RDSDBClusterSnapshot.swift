import Foundation

/// An Aurora DB cluster snapshot as `DescribeDBClusterSnapshots` and the cluster snapshot calls
/// report it.
public struct RDSDBClusterSnapshot: Sendable, Equatable {
    public var identifier: String
    /// `creating`, `available`, `copying`, … ; see `RDSWaiters.clusterSnapshotState`.
    public var status: String
    public var arn: String?
    public var clusterIdentifier: String?
    /// `manual`, `automated`, `shared`, `public`.
    public var snapshotType: String?
    public var percentProgress: Int?
    public var storageEncrypted: Bool
    public var kmsKeyId: String?
    /// For a copy: the ARN of the snapshot it was copied from.
    public var sourceSnapshotArn: String?
    public var snapshotCreateTime: Date?
    public var engine: String?
    public var engineVersion: String?
    public var port: Int?
    public var vpcId: String?
    public var tags: [String: String]

    public init(
        identifier: String, status: String, arn: String? = nil, clusterIdentifier: String? = nil,
        snapshotType: String? = nil, percentProgress: Int? = nil, storageEncrypted: Bool = false,
        kmsKeyId: String? = nil, sourceSnapshotArn: String? = nil, snapshotCreateTime: Date? = nil,
        engine: String? = nil, engineVersion: String? = nil, port: Int? = nil, vpcId: String? = nil,
        tags: [String: String] = [:]
    ) {
        self.identifier = identifier
        self.status = status
        self.arn = arn
        self.clusterIdentifier = clusterIdentifier
        self.snapshotType = snapshotType
        self.percentProgress = percentProgress
        self.storageEncrypted = storageEncrypted
        self.kmsKeyId = kmsKeyId
        self.sourceSnapshotArn = sourceSnapshotArn
        self.snapshotCreateTime = snapshotCreateTime
        self.engine = engine
        self.engineVersion = engineVersion
        self.port = port
        self.vpcId = vpcId
        self.tags = tags
    }
}

extension RDSDBClusterSnapshot {
    /// Decodes a `<DBClusterSnapshot>` element; the identifier and status are required.
    init(_ x: QueryFields) throws {
        self.init(
            identifier: try x.required("DBClusterSnapshotIdentifier"),
            status: try x.required("Status"),
            arn: x.string("DBClusterSnapshotArn"),
            clusterIdentifier: x.string("DBClusterIdentifier"),
            snapshotType: x.string("SnapshotType"),
            percentProgress: try x.int("PercentProgress"),
            storageEncrypted: try x.bool("StorageEncrypted") ?? false,
            kmsKeyId: x.string("KmsKeyId"),
            sourceSnapshotArn: x.string("SourceDBClusterSnapshotArn"),
            snapshotCreateTime: try x.date("SnapshotCreateTime"),
            engine: x.string("Engine"),
            engineVersion: x.string("EngineVersion"),
            port: try x.int("Port"),
            vpcId: x.string("VpcId"),
            tags: try x.tags())
    }
}
