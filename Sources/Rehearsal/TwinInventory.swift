import Foundation

/// What discovery found, account by account: the facts a twin world is written from and a
/// rehearsal report states. Nothing in it is secret: no object data, no secret value; key policies
/// and bucket policies are configuration, which the twin must reproduce to behave the same.
public struct TwinInventory: Sendable, Codable, Equatable {
    public struct Account: Sendable, Codable, Equatable {
        public var label: String
        public var id: String?
        /// The role cutoverd assumes there (its name only; the twin creates a role of that name).
        public var roleName: String?
        public var externalId: String?
    }

    public struct Bucket: Sendable, Codable, Equatable {
        public var account: String
        public var name: String
        /// False when the bucket does not exist in this account (yet: a staging bucket, or the
        /// name the run re-creates here).
        public var exists: Bool
        /// True when the name exists but belongs to an account this one cannot read (HeadBucket 403).
        public var heldElsewhere: Bool?
        public var region: String?
        /// `Enabled`, `Suspended` or nil.
        public var versioning: String?
        public var objectLock: Bool
        public var policy: String?
        public var objectOwnership: String?
        /// The configuration sub-resources that are set (`cors`, `lifecycle`, …).
        public var configurations: [String]
        /// Current versions, from the listing.
        public var profile: BucketProfile?
        /// Versioned buckets: every version and delete marker, from ListObjectVersions.
        public var versions: Int?
        public var deleteMarkers: Int?
    }

    public struct DBInstance: Sendable, Codable, Equatable {
        public var account: String
        public var identifier: String
        public var exists: Bool
        public var engine: String?
        public var engineVersion: String?
        public var instanceClass: String?
        public var allocatedStorage: Int?
        public var storageEncrypted: Bool
        public var kmsKeyId: String?
        /// True when encrypted with the AWS managed key `aws/rds` (which cannot be shared).
        public var awsManagedKey: Bool?
        public var subnetGroup: String?
        public var securityGroups: [String]
        public var parameterGroups: [String]
        public var optionGroups: [String]
        public var deletionProtection: Bool
        public var multiAZ: Bool
        public var tags: [String: String]
    }

    public struct DBCluster: Sendable, Codable, Equatable {
        public var account: String
        public var identifier: String
        public var exists: Bool
        public var engine: String?
        public var engineVersion: String?
        public var storageEncrypted: Bool
        public var kmsKeyId: String?
        public var awsManagedKey: Bool?
        public var subnetGroup: String?
        public var securityGroups: [String]
        public var members: [String]
        public var deletionProtection: Bool
    }

    public struct Key: Sendable, Codable, Equatable {
        public var account: String
        /// As the runbook or a database names it (alias, ID or ARN).
        public var reference: String
        public var exists: Bool
        public var keyId: String?
        public var awsManaged: Bool
        public var description: String?
        public var aliases: [String]
        public var policy: String?
    }

    public var region: String
    public var accounts: [Account] = []
    public var buckets: [Bucket] = []
    public var dbInstances: [DBInstance] = []
    public var dbClusters: [DBCluster] = []
    public var keys: [Key] = []
    /// Subnet groups and security groups the runbook names, by account (the twin seeds them; their
    /// VPCs are not discovered yet, so the twin places them in one VPC per account).
    public var subnetGroups: [String: [String]] = [:]
    public var securityGroups: [String: [String]] = [:]
    /// The switch-over resources (load balancers, ECS, DNS, secrets, parameters, alarms).
    public var switchover: TwinSwitchover?
    /// Every call discovery made, `service Operation` → count: all reads.
    public var calls: [String: Int] = [:]
    /// What could not be read, with AWS's code: the rehearsal says so rather than guessing.
    public var problems: [String] = []
}
