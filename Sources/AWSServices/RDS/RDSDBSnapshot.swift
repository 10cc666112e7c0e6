import Foundation

/// A DB snapshot (manual, automated or shared) as `DescribeDBSnapshots` and the snapshot calls
/// report it.
public struct RDSDBSnapshot: Sendable, Equatable {
    public var identifier: String
    /// `creating`, `available`, `copying`, … ; see `RDSWaiters.snapshotState`.
    public var status: String
    /// The ARN another account uses to copy the snapshot once it is shared.
    public var arn: String?
    public var instanceIdentifier: String?
    /// `manual`, `automated`, `shared`, `public`, `awsbackup`.
    public var snapshotType: String?
    /// 0–100 while the snapshot is created or copied.
    public var percentProgress: Int?
    public var encrypted: Bool
    /// The key the snapshot is encrypted with. A snapshot under the default `aws/rds` key cannot be
    /// shared with another account.
    public var kmsKeyId: String?
    public var snapshotCreateTime: Date?
    public var originalSnapshotCreateTime: Date?
    /// For a copy: the snapshot it was copied from (ARN across regions or accounts).
    public var sourceSnapshotIdentifier: String?
    public var sourceRegion: String?
    public var engine: String?
    public var engineVersion: String?
    public var allocatedStorage: Int?
    public var port: Int?
    public var vpcId: String?
    public var availabilityZone: String?
    public var optionGroupName: String?
    public var storageType: String?
    public var tags: [String: String]

    public init(
        identifier: String, status: String, arn: String? = nil, instanceIdentifier: String? = nil,
        snapshotType: String? = nil, percentProgress: Int? = nil, encrypted: Bool = false, kmsKeyId: String? = nil,
        snapshotCreateTime: Date? = nil, originalSnapshotCreateTime: Date? = nil, sourceSnapshotIdentifier: String? = nil,
        sourceRegion: String? = nil, engine: String? = nil, engineVersion: String? = nil, allocatedStorage: Int? = nil,
        port: Int? = nil, vpcId: String? = nil, availabilityZone: String? = nil, optionGroupName: String? = nil,
        storageType: String? = nil, tags: [String: String] = [:]
    ) {
        self.identifier = identifier
        self.status = status
        self.arn = arn
        self.instanceIdentifier = instanceIdentifier
        self.snapshotType = snapshotType
        self.percentProgress = percentProgress
        self.encrypted = encrypted
        self.kmsKeyId = kmsKeyId
        self.snapshotCreateTime = snapshotCreateTime
        self.originalSnapshotCreateTime = originalSnapshotCreateTime
        self.sourceSnapshotIdentifier = sourceSnapshotIdentifier
        self.sourceRegion = sourceRegion
        self.engine = engine
        self.engineVersion = engineVersion
        self.allocatedStorage = allocatedStorage
        self.port = port
        self.vpcId = vpcId
        self.availabilityZone = availabilityZone
        self.optionGroupName = optionGroupName
        self.storageType = storageType
        self.tags = tags
    }
}

extension RDSDBSnapshot {
    /// Decodes a `<DBSnapshot>` element; the identifier and status are required.
    init(_ x: QueryFields) throws {
        self.init(
            identifier: try x.required("DBSnapshotIdentifier"),
            status: try x.required("Status"),
            arn: x.string("DBSnapshotArn"),
            instanceIdentifier: x.string("DBInstanceIdentifier"),
            snapshotType: x.string("SnapshotType"),
            percentProgress: try x.int("PercentProgress"),
            encrypted: try x.bool("Encrypted") ?? false,
            kmsKeyId: x.string("KmsKeyId"),
            snapshotCreateTime: try x.date("SnapshotCreateTime"),
            originalSnapshotCreateTime: try x.date("OriginalSnapshotCreateTime"),
            sourceSnapshotIdentifier: x.string("SourceDBSnapshotIdentifier"),
            sourceRegion: x.string("SourceRegion"),
            engine: x.string("Engine"),
            engineVersion: x.string("EngineVersion"),
            allocatedStorage: try x.int("AllocatedStorage"),
            port: try x.int("Port"),
            vpcId: x.string("VpcId"),
            availabilityZone: x.string("AvailabilityZone"),
            optionGroupName: x.string("OptionGroupName"),
            storageType: x.string("StorageType"),
            tags: try x.tags())
    }
}
