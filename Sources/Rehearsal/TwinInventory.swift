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
        /// Versioned buckets: every version and delete marker, from ListObjectVersions (or the
        /// inventory report when it lists all versions).
        public var versions: Int?
        public var deleteMarkers: Int?
        /// The configuration documents that are set, by query name (`cors`, `publicAccessBlock`,
        /// …; the policy, versioning and Object Lock have their own fields): the twin stores them.
        public var configurationDocuments: [String: String]?
        /// The bucket's S3 Inventory configurations (ListBucketInventoryConfigurations).
        public var inventoryConfigurations: [InventoryConfiguration]?
        /// Set when the counts and sizes came from an inventory report instead of a listing.
        public var inventoryReport: InventoryReport?
        /// Tags and ACL grants of the first objects in key order (GetObjectTagging, GetObjectAcl).
        public var objectSample: ObjectSample?
    }

    public struct InventoryConfiguration: Sendable, Codable, Equatable {
        public var id: String
        public var destinationBucket: String
        public var destinationAccount: String?
        public var destinationPrefix: String?
        public var format: String
        public var enabled: Bool
        public var includedObjectVersions: String
        public var filterPrefix: String?
        public var optionalFields: [String]
        public var frequency: String
    }

    /// Which inventory report a profile was read from, and how old it is: an estimate, since S3
    /// writes one a day or a week and the bucket may have changed since.
    public struct InventoryReport: Sendable, Codable, Equatable {
        public var configurationId: String
        public var destinationBucket: String
        public var manifestKey: String
        /// The manifest's `creationTimestamp`.
        public var created: Date
        public var frequency: String
        /// `All` when versions and delete markers were counted from it.
        public var includedObjectVersions: String
        public var dataFiles: Int
        public var rows: Int
    }

    /// What the first `inspected` current objects (in key order, per prefix) carry beyond size and
    /// storage class: tags and ACL grants. Sampled, so bounded; the twin reproduces the grants on
    /// its first objects (the ACL preflight inspects the first objects too) and the tagged share
    /// across each prefix.
    public struct ObjectSample: Sendable, Codable, Equatable {
        public struct Prefix: Sendable, Codable, Equatable {
            public var prefix: String
            public var inspected: Int
            public var tagged: Int
            /// The most tags one inspected object carries.
            public var maxTags: Int
            /// Objects by the grants they carry beyond the owner's full control, in key order.
            public var grantSets: [GrantSet]
        }
        public struct GrantSet: Sendable, Codable, Equatable {
            public var count: Int
            public var grants: [Grant]
        }
        /// `group` (`AllUsers`, `AuthenticatedUsers`, `LogDelivery`) or `otherAccount`, the n-th
        /// distinct other canonical user (the twin gives each a made-up account).
        public struct Grant: Sendable, Codable, Equatable, Hashable {
            public var group: String?
            public var otherAccount: Int?
            public var permission: String
        }
        public var prefixes: [Prefix]
        /// False when ACLs are disabled (BucketOwnerEnforced): no GetObjectAcl was needed.
        public var aclsRead: Bool
        public var publicObjects: Int {
            prefixes.reduce(0) {
                $0
                    + $1.grantSets.filter { $0.grants.contains { $0.group == "AllUsers" || $0.group == "AuthenticatedUsers" } }.reduce(0) {
                        $0 + $1.count
                    }
            }
        }
        public var otherAccounts: Int { Set(prefixes.flatMap { $0.grantSets.flatMap { $0.grants.compactMap(\.otherAccount) } }).count }
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
    /// Subnet groups and security groups the runbook names, by account (the twin seeds them, each
    /// in its discovered VPC: `groupVpcs`).
    public var subnetGroups: [String: [String]] = [:]
    public var securityGroups: [String: [String]] = [:]
    /// The VPC of each subnet group and security group, by account then name (DescribeDBSubnetGroups,
    /// EC2 DescribeSecurityGroups); a group missing here is placed in the account's one twin VPC.
    public var groupVpcs: [String: [String: String]]? = nil
    /// The switch-over resources (load balancers, ECS, DNS, secrets, parameters, alarms).
    public var switchover: TwinSwitchover?
    /// Every call discovery made, `service Operation` → count: all reads.
    public var calls: [String: Int] = [:]
    /// What could not be read, with AWS's code: the rehearsal says so rather than guessing.
    public var problems: [String] = []
    /// What discovery wants the operator to know that is not a gap: an inventory report used
    /// (an estimate, with its date), or a report that could not be used (and the listing used).
    public var findings: [String]? = nil
}
