/// An AWS error code that callers branch on, as a typed constant instead of a string literal: one
/// name, plus the other spellings AWS and its reimplementations use for the same condition. RDS's
/// Query API answers `DBSnapshotNotFound` where the SDKs (and moto) say `DBSnapshotNotFoundFault`;
/// a comparison written once here accepts both everywhere.
///
/// Compare with `==` against a wire code: `error.code == .noSuchBucket`.
public struct AWSErrorCode: Sendable, Hashable, CustomStringConvertible {
    /// The spelling used when Cutover itself reports the condition.
    public let name: String
    /// Every spelling that means this condition, `name` included.
    public let spellings: Set<String>

    public init(_ name: String, alsoSpelled others: String...) {
        self.name = name
        self.spellings = Set([name] + others)
    }

    /// Whether the wire code `code` means this condition.
    public func matches(_ code: String) -> Bool { spellings.contains(code) }

    public var description: String { name }

    public static func == (code: String, expected: AWSErrorCode) -> Bool { expected.matches(code) }
    public static func != (code: String, expected: AWSErrorCode) -> Bool { !expected.matches(code) }
    public static func ~= (pattern: AWSErrorCode, code: String) -> Bool { pattern.matches(code) }
}

// MARK: - S3

extension AWSErrorCode {
    public static let noSuchBucket = AWSErrorCode("NoSuchBucket")
    public static let noSuchUpload = AWSErrorCode("NoSuchUpload")
    public static let bucketAlreadyOwnedByYou = AWSErrorCode("BucketAlreadyOwnedByYou")
    /// The name belongs to another account: the same-name move must stop, never retry.
    public static let bucketAlreadyExists = AWSErrorCode("BucketAlreadyExists")
    public static let bucketNotEmpty = AWSErrorCode("BucketNotEmpty")
    /// A conflicting operation on the bucket is in progress (and S3's hold on a deleted name).
    public static let operationAborted = AWSErrorCode("OperationAborted")
    public static let preconditionFailed = AWSErrorCode("PreconditionFailed")
    public static let noSuchKey = AWSErrorCode("NoSuchKey")
    /// A version ID that names no version of the key (a history copy whose source version expired).
    public static let noSuchVersion = AWSErrorCode("NoSuchVersion")
    /// Access refused; HEAD requests carry no body, so S3 answers them with a bare `Forbidden`.
    public static let accessDenied = AWSErrorCode("AccessDenied", alsoSpelled: "Forbidden")
}

// MARK: - RDS

extension AWSErrorCode {
    public static let dbInstanceNotFound = AWSErrorCode("DBInstanceNotFound", alsoSpelled: "DBInstanceNotFoundFault")
    public static let dbInstanceAlreadyExists = AWSErrorCode("DBInstanceAlreadyExists", alsoSpelled: "DBInstanceAlreadyExistsFault")
    public static let invalidDBInstanceState = AWSErrorCode("InvalidDBInstanceState", alsoSpelled: "InvalidDBInstanceStateFault")
    public static let dbSnapshotNotFound = AWSErrorCode("DBSnapshotNotFound", alsoSpelled: "DBSnapshotNotFoundFault")
    public static let dbSnapshotAlreadyExists = AWSErrorCode("DBSnapshotAlreadyExists", alsoSpelled: "DBSnapshotAlreadyExistsFault")
    public static let invalidDBSnapshotState = AWSErrorCode("InvalidDBSnapshotState", alsoSpelled: "InvalidDBSnapshotStateFault")
    public static let dbClusterNotFound = AWSErrorCode("DBClusterNotFoundFault", alsoSpelled: "DBClusterNotFound")
    public static let dbClusterAlreadyExists = AWSErrorCode("DBClusterAlreadyExistsFault", alsoSpelled: "DBClusterAlreadyExists")
    public static let invalidDBClusterState = AWSErrorCode("InvalidDBClusterStateFault", alsoSpelled: "InvalidDBClusterState")
    public static let dbClusterSnapshotNotFound = AWSErrorCode("DBClusterSnapshotNotFoundFault", alsoSpelled: "DBClusterSnapshotNotFound")
    public static let dbClusterSnapshotAlreadyExists = AWSErrorCode(
        "DBClusterSnapshotAlreadyExistsFault", alsoSpelled: "DBClusterSnapshotAlreadyExists")
    public static let invalidDBClusterSnapshotState = AWSErrorCode(
        "InvalidDBClusterSnapshotStateFault", alsoSpelled: "InvalidDBClusterSnapshotState")
    public static let dbSubnetGroupNotFound = AWSErrorCode("DBSubnetGroupNotFoundFault", alsoSpelled: "DBSubnetGroupNotFound")
    public static let dbParameterGroupNotFound = AWSErrorCode("DBParameterGroupNotFound", alsoSpelled: "DBParameterGroupNotFoundFault")
    public static let dbClusterParameterGroupNotFound = AWSErrorCode(
        "DBClusterParameterGroupNotFound", alsoSpelled: "DBClusterParameterGroupNotFoundFault")
    /// BC-RDS keeps the suffix on the wire (AWS-NOTES-2 PROTO-4).
    public static let optionGroupNotFound = AWSErrorCode("OptionGroupNotFoundFault", alsoSpelled: "OptionGroupNotFound")
}

// MARK: - EC2

extension AWSErrorCode {
    /// A security group that does not exist, or an ID that cannot be one.
    public static let securityGroupNotFound = AWSErrorCode("InvalidGroup.NotFound", alsoSpelled: "InvalidGroupId.Malformed")
}

// MARK: - ELBv2

extension AWSErrorCode {
    /// Another rule holds the priority (ELBv2 error codes are the shape name without `Exception`).
    public static let priorityInUse = AWSErrorCode("PriorityInUse", alsoSpelled: "PriorityInUseException")
    public static let ruleNotFound = AWSErrorCode("RuleNotFound", alsoSpelled: "RuleNotFoundException")
    public static let listenerNotFound = AWSErrorCode("ListenerNotFound", alsoSpelled: "ListenerNotFoundException")
    public static let loadBalancerNotFound = AWSErrorCode("LoadBalancerNotFound", alsoSpelled: "LoadBalancerNotFoundException")
}

// MARK: - ECS

extension AWSErrorCode {
    public static let serviceNotFound = AWSErrorCode("ServiceNotFoundException")
    public static let serviceNotActive = AWSErrorCode("ServiceNotActiveException")
    public static let clusterNotFound = AWSErrorCode("ClusterNotFoundException")
}

// MARK: - KMS

extension AWSErrorCode {
    /// No such key or alias (KMS answers this, HTTP 400, also for another account's key it cannot see).
    public static let kmsNotFound = AWSErrorCode("NotFoundException")
    /// The key's state does not allow the call (ScheduleKeyDeletion on a key already pending deletion).
    public static let kmsInvalidState = AWSErrorCode("KMSInvalidStateException")
}
