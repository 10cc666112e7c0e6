import Foundation

/// A world to seed the simulator with, as `POST /_sim/seed` takes it. Every section is optional:
///
/// ```json
/// {"accounts": [
///    {"id": "111111111111", "name": "legacy",
///     "users": [{"name": "cutover", "accessKeyId": "AKIA…", "secretAccessKey": "…"}],
///     "roles": [{"name": "CutoverSource", "trustedPrincipals": ["222222222222"], "externalId": "x"}]},
///    {"id": "222222222222", "name": "product", "users": [{"name": "operator"}]}],
///  "kms": {"keys": [{"account": "222222222222", "alias": "alias/cutover", "sharedWith": ["111111111111"]},
///                   {"account": "111111111111", "alias": "alias/legacy-db"}]},
///  "rds": {
///    "networks": [{"account": "222222222222", "subnetGroups": {"product-db": "vpc-1"}, "securityGroups": {"sg-1": "vpc-1"},
///                  "parameterGroups": ["mysql8"]}],
///    "instances": [{"account": "111111111111", "identifier": "legacy-mysql", "engine": "mysql",
///                   "storageEncrypted": true, "kmsKeyId": "alias/legacy-db"}],
///    "clusters": [{"account": "111111111111", "identifier": "legacy-aurora"}]},
///  "buckets": [{"name": "legacy-data", "account": "111111111111", "versioning": "Enabled",
///               "generated": {"count": 100, "prefix": "data/", "size": 1024, "versions": 2, "tags": {"tier": "gold"}}}]}
/// ```
///
/// A user without `accessKeyId`/`secretAccessKey` gets a generated key, returned in the answer
/// (one reason the admin API is loopback only). Sections are applied in dependency order —
/// accounts, users and roles, KMS keys, RDS networks, RDS instances and clusters, buckets — each
/// through the same validation as the matching API call; a failure stops there and leaves what
/// was applied (the error says how much). Because keys come first, an instance's or cluster's
/// `kmsKeyId` may name a key of the same seed by its alias (`alias/legacy-db`, resolved in the
/// instance's account and the simulator's region), as CreateDBInstance would.
public struct SimWorldSeed: Sendable, Decodable {
    public struct Account: Sendable, Decodable {
        public var id: String
        public var name: String
        public var users: [User]?
        public var roles: [Role]?
    }

    public struct User: Sendable, Decodable {
        public var name: String
        public var accessKeyId: String?
        public var secretAccessKey: String?
    }

    public struct Role: Sendable, Decodable {
        public var name: String
        public var trustedPrincipals: [String]
        public var externalId: String?
        public var maxSessionDuration: Int?
    }

    public struct KMS: Sendable, Decodable {
        public struct Key: Sendable, Decodable {
            public var account: String
            public var description: String?
            public var sharedWith: [String]?
            public var alias: String?
            /// A key policy document (JSON text); the standard policy when absent.
            public var policy: String?
        }
        public var keys: [Key]?
    }

    public struct RDS: Sendable, Decodable {
        public struct Network: Sendable, Decodable {
            public var account: String
            /// Subnet group name → VPC ID.
            public var subnetGroups: [String: String]?
            /// Security group ID → VPC ID.
            public var securityGroups: [String: String]?
            /// Security group ID → group name (default: the ID), as EC2 describes it.
            public var securityGroupNames: [String: String]?
            public var parameterGroups: [String]?
            public var clusterParameterGroups: [String]?
            public var optionGroups: [String]?
        }

        /// `SimDBInstanceSeed`'s fields plus the owning account; absent fields take its defaults.
        public struct Instance: Sendable, Decodable {
            public var account: String
            public var identifier: String
            public var engine: String?
            public var engineVersion: String?
            public var instanceClass: String?
            public var allocatedStorage: Int?
            public var masterUsername: String?
            public var storageEncrypted: Bool?
            public var kmsKeyId: String?
            public var subnetGroupName: String?
            public var securityGroupIds: [String]?
            public var parameterGroupName: String?
            public var deletionProtection: Bool?
            public var backupRetentionPeriod: Int?
            public var tags: [String: String]?
            public var availableImmediately: Bool?

            var seed: SimDBInstanceSeed {
                let defaults = SimDBInstanceSeed(identifier: identifier)
                return SimDBInstanceSeed(
                    identifier: identifier, engine: engine ?? defaults.engine, engineVersion: engineVersion,
                    instanceClass: instanceClass ?? defaults.instanceClass, allocatedStorage: allocatedStorage ?? defaults.allocatedStorage,
                    masterUsername: masterUsername ?? defaults.masterUsername, storageEncrypted: storageEncrypted ?? false,
                    kmsKeyId: kmsKeyId,
                    subnetGroupName: subnetGroupName, securityGroupIds: securityGroupIds ?? [], parameterGroupName: parameterGroupName,
                    deletionProtection: deletionProtection ?? false,
                    backupRetentionPeriod: backupRetentionPeriod ?? defaults.backupRetentionPeriod,
                    tags: tags ?? [:], availableImmediately: availableImmediately ?? true)
            }
        }

        public struct Cluster: Sendable, Decodable {
            public var account: String
            public var identifier: String
            public var engine: String?
            public var kmsKeyId: String?
            public var storageEncrypted: Bool?
            public var subnetGroupName: String?
            public var securityGroupIds: [String]?
            public var availableImmediately: Bool?
        }

        public var networks: [Network]?
        public var instances: [Instance]?
        public var clusters: [Cluster]?
    }

    /// What seeding created: every key (generated ones included) and the ARNs of the rest.
    public struct Applied: Sendable, Encodable {
        public struct Key: Sendable, Encodable {
            public var account: String
            public var userName: String
            public var accessKeyId: String
            public var secretAccessKey: String
        }
        public var accounts: [String] = []
        public var keys: [Key] = []
        public var roles: [String] = []
        public var kmsKeys: [String] = []
        public var dbInstances: [String] = []
        public var dbClusters: [String] = []
        public var buckets: [String] = []
        /// ARNs (or IDs) of the switch-over resources.
        public var switchover: [String] = []

        /// "2 accounts, 1 users, …", for logs and error messages.
        public var summary: String {
            "\(accounts.count) accounts, \(keys.count) users, \(roles.count) roles, \(kmsKeys.count) KMS keys, "
                + "\(dbInstances.count) DB instances, \(dbClusters.count) DB clusters, \(buckets.count) buckets"
                + (switchover.isEmpty ? "" : ", \(switchover.count) switch-over resources")
        }
    }

    public var accounts: [Account]?
    public var kms: KMS?
    public var rds: RDS?
    /// Buckets in S3's own seed form (`S3BucketSeed`).
    public var buckets: [S3BucketSeed]?
    /// Load balancers, ECS, hosted zones, secrets, parameters and alarms (`SimSwitchoverSeed`).
    public var switchover: SimSwitchoverSeed?

    /// Seeds `simulator`. Throws `SimAdminError` carrying the simulator's own error code and
    /// status for a rejected entry (e.g. IAM `EntityAlreadyExists`, S3 `BucketAlreadyExists`).
    public func apply(to simulator: Simulator) throws(SimAdminError) -> Applied {
        var applied = Applied()
        do throws(SimError) {
            try applyAccounts(to: simulator, &applied)
            for key in kms?.keys ?? [] {
                let created = try simulator.createKMSKey(
                    account: key.account, description: key.description ?? "", sharedWith: key.sharedWith ?? [], alias: key.alias,
                    policy: key.policy)
                applied.kmsKeys.append(created.arn)
            }
            for network in rds?.networks ?? [] {
                simulator.seedRDSNetwork(
                    account: network.account, subnetGroups: network.subnetGroups ?? [:], securityGroups: network.securityGroups ?? [:],
                    securityGroupNames: network.securityGroupNames ?? [:], parameterGroups: network.parameterGroups ?? [],
                    clusterParameterGroups: network.clusterParameterGroups ?? [],
                    optionGroups: network.optionGroups ?? [])
            }
            for instance in rds?.instances ?? [] {
                applied.dbInstances.append(try simulator.seedDBInstance(instance.seed, account: instance.account).arn)
            }
            for cluster in rds?.clusters ?? [] {
                let seeded = try simulator.seedDBCluster(
                    identifier: cluster.identifier, engine: cluster.engine ?? "aurora-mysql", kmsKeyId: cluster.kmsKeyId,
                    storageEncrypted: cluster.storageEncrypted ?? false, subnetGroupName: cluster.subnetGroupName,
                    securityGroupIds: cluster.securityGroupIds ?? [], availableImmediately: cluster.availableImmediately ?? true,
                    account: cluster.account)
                applied.dbClusters.append(seeded.identifier)
            }
            for bucket in buckets ?? [] {
                applied.buckets.append(try simulator.seed(bucket).name)
            }
            // Inventory reports once every bucket (their destinations too) exists.
            for bucket in buckets ?? [] {
                for inventory in bucket.inventory ?? [] where inventory.report != false {
                    try simulator.deliverInventoryReport(bucket: bucket.name, id: inventory.id)
                }
            }
            if let switchover { applied.switchover = try simulator.seedSwitchover(switchover) }
        } catch {
            throw SimAdminError(error.status, error.code, "\(error.message) (seeded before the failure: \(applied.summary))")
        }
        return applied
    }

    private func applyAccounts(to simulator: Simulator, _ applied: inout Applied) throws(SimError) {
        for account in accounts ?? [] {
            try simulator.addAccount(id: account.id, name: account.name)
            applied.accounts.append(account.id)
        }
        for account in accounts ?? [] {
            for user in account.users ?? [] {
                let key: SimAccessKey
                switch (user.accessKeyId, user.secretAccessKey) {
                case (let id?, let secret?):
                    key = try simulator.addUser(account: account.id, name: user.name, accessKeyId: id, secret: secret)
                case (nil, nil):
                    key = try simulator.addUser(account: account.id, name: user.name)
                default:
                    throw SimError(
                        "ValidationError", "user \(user.name): give both accessKeyId and secretAccessKey, or neither", status: 400)
                }
                applied.keys.append(
                    .init(account: key.account, userName: key.userName, accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey))
            }
            for role in account.roles ?? [] {
                let arn = try simulator.addRole(
                    account: account.id, name: role.name, trustedPrincipals: role.trustedPrincipals, externalId: role.externalId,
                    maxSessionDuration: role.maxSessionDuration ?? 3600)
                applied.roles.append(arn)
            }
        }
    }
}
