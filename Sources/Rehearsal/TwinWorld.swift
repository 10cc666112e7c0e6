import Foundation

/// A simulator world (`cutover-aws-sim --seed`, `SimWorldSeed`) written from an inventory: the same
/// accounts and roles, keys with their policies and aliases, databases with their engine, storage,
/// encryption and groups, and buckets with their versioning, lock, policy and — instead of their
/// objects — generated objects in the same prefixes, counts and size spread. No object data and no
/// credential of the real accounts is in it: the twin's one user gets a key the simulator makes.
public struct TwinWorld: Sendable, Encodable {
    struct Account: Encodable, Sendable {
        struct User: Encodable, Sendable {
            var name: String
            /// Only in the private world of a rehearsal run (`withOperatorKey`): a key made up for it.
            var accessKeyId: String?
            var secretAccessKey: String?
        }
        struct Role: Encodable, Sendable {
            var name: String
            var trustedPrincipals: [String]
            var externalId: String?
            var maxSessionDuration: Int?
        }
        var id: String
        var name: String
        var users: [User]?
        var roles: [Role]?
    }

    struct KMS: Encodable, Sendable {
        struct Key: Encodable, Sendable {
            var account: String
            var description: String?
            var alias: String?
            var policy: String?
        }
        var keys: [Key]
    }

    struct RDS: Encodable, Sendable {
        struct Network: Encodable, Sendable {
            var account: String
            var subnetGroups: [String: String]
            var securityGroups: [String: String]
        }
        struct Instance: Encodable, Sendable {
            var account: String
            var identifier: String
            var engine: String?
            var engineVersion: String?
            var instanceClass: String?
            var allocatedStorage: Int?
            var storageEncrypted: Bool
            var kmsKeyId: String?
            var subnetGroupName: String?
            var securityGroupIds: [String]?
            var deletionProtection: Bool
            var tags: [String: String]?
        }
        struct Cluster: Encodable, Sendable {
            var account: String
            var identifier: String
            var engine: String?
            var kmsKeyId: String?
            var storageEncrypted: Bool
            var subnetGroupName: String?
            var securityGroupIds: [String]?
        }
        var networks: [Network]
        var instances: [Instance]
        var clusters: [Cluster]
    }

    struct Bucket: Encodable, Sendable {
        struct Group: Encodable, Sendable {
            var count: Int
            var prefix: String
            var sizes: [Int]
            var versions: Int?
            /// Non-STANDARD classes by count (`S3BucketSeed.Generated.storageClasses`).
            var storageClasses: [String: Int]?
            var tags: [String: String]?
            var tagged: Int?
            var grantSets: [GrantSet]?
        }
        struct GrantSet: Encodable, Sendable {
            struct Grant: Encodable, Sendable {
                var account: String?
                var group: String?
                var permission: String
            }
            var count: Int
            var grants: [Grant]
        }
        struct Inventory: Encodable, Sendable {
            var id: String
            var destination: String
            var destinationAccount: String?
            var prefix: String?
            var includedObjectVersions: String
            var optionalFields: [String]
            var frequency: String
            var format: String
            /// Written at seeding from the twin's objects when the real bucket's report was used.
            var report: Bool
        }
        var name: String
        var account: String
        var region: String?
        var versioning: String?
        var objectLock: Bool?
        var policy: String?
        /// False when the discovered configurations are given in full (`configurations`).
        var modernDefaults: Bool?
        var configurations: [String: String]?
        var inventory: [Inventory]?
        var groups: [Group]
    }

    /// Who holds, in the twin, a bucket name that is taken outside the runbook's accounts.
    public static let outsiderAccount = "999999999999"

    /// The user cutoverd signs as in the twin (in the first account; its key is generated).
    public static let operatorUser = "cutover-rehearsal"

    var accounts: [Account]
    var kms: KMS
    var rds: RDS
    var buckets: [Bucket]
    /// Load balancers, ECS, DNS, secrets, parameters, alarms (`TwinWorld+Switchover`).
    var switchover: Switchover?

    public init(_ inventory: TwinInventory) {
        var ids: [String: String] = [:]
        for (index, account) in inventory.accounts.enumerated() {
            ids[account.label] = account.id ?? String(format: "9000000000%02d", index + 1)
        }
        let operatorAccount = inventory.accounts.first.flatMap { ids[$0.label] } ?? "900000000001"
        accounts = inventory.accounts.enumerated().map { index, account in
            Account(
                id: ids[account.label]!, name: account.label,
                users: index == 0 ? [.init(name: Self.operatorUser)] : nil,
                roles: account.roleName.map {
                    [
                        Account.Role(
                            name: $0, trustedPrincipals: [operatorAccount], externalId: account.externalId, maxSessionDuration: 43_200)
                    ]
                })
        }
        // Keys: each customer managed key once, under its first alias (or one made up for the twin,
        // which the databases then name); AWS managed keys exist in the simulator already.
        var keyNames: [String: String] = [:]
        var keys: [KMS.Key] = []
        for key in inventory.keys where key.exists && !key.awsManaged {
            guard let keyId = key.keyId, keyNames[keyId] == nil else { continue }
            let alias = key.aliases.first ?? "alias/twin-\(keyId)"
            keyNames[keyId] = alias
            keys.append(KMS.Key(account: ids[key.account] ?? key.account, description: key.description, alias: alias, policy: key.policy))
        }
        kms = KMS(keys: keys)
        func keyName(_ reference: String?, managed: Bool?) -> String? {
            guard let reference else { return nil }
            if managed == true { return "alias/aws/rds" }
            return keyNames.first { reference == $0.key || reference.hasSuffix("/" + $0.key) }?.value ?? reference
        }
        var networks: [String: RDS.Network] = [:]
        // Each group in the VPC discovery found it in (so groups in different VPCs stay apart, as
        // the restore's preflight checks), else in one twin VPC per account.
        func vpc(_ account: String, _ group: String) -> String { inventory.groupVpcs?[account]?[group] ?? "vpc-twin-\(account)" }
        for (account, groups) in inventory.subnetGroups {
            let id = ids[account] ?? account
            networks[id, default: .init(account: id, subnetGroups: [:], securityGroups: [:])].subnetGroups =
                Dictionary(uniqueKeysWithValues: groups.map { ($0, vpc(account, $0)) })
        }
        for (account, groups) in inventory.securityGroups {
            let id = ids[account] ?? account
            networks[id, default: .init(account: id, subnetGroups: [:], securityGroups: [:])].securityGroups =
                Dictionary(uniqueKeysWithValues: groups.map { ($0, vpc(account, $0)) })
        }
        rds = RDS(
            networks: networks.keys.sorted().map { networks[$0]! },
            instances: inventory.dbInstances.filter(\.exists).map { db in
                RDS.Instance(
                    account: ids[db.account] ?? db.account, identifier: db.identifier, engine: db.engine, engineVersion: db.engineVersion,
                    instanceClass: db.instanceClass, allocatedStorage: db.allocatedStorage, storageEncrypted: db.storageEncrypted,
                    kmsKeyId: keyName(db.kmsKeyId, managed: db.awsManagedKey), subnetGroupName: nil,
                    securityGroupIds: nil, deletionProtection: db.deletionProtection, tags: db.tags.isEmpty ? nil : db.tags)
            },
            clusters: inventory.dbClusters.filter(\.exists).map { db in
                RDS.Cluster(
                    account: ids[db.account] ?? db.account, identifier: db.identifier, engine: db.engine,
                    kmsKeyId: keyName(db.kmsKeyId, managed: db.awsManagedKey), storageEncrypted: db.storageEncrypted,
                    subnetGroupName: nil, securityGroupIds: nil)
            })
        buckets = inventory.buckets.filter(\.exists).map { bucket in
            let account = ids[bucket.account] ?? bucket.account
            let groups = (bucket.profile?.groups ?? []).filter { $0.objects > 0 }.map { group in
                let perObject = bucket.versions.map { versions in
                    max(1, Int((Double(versions) / Double(max(1, bucket.profile?.objects ?? 1))).rounded()))
                }
                var twin = Bucket.Group(
                    count: group.objects, prefix: group.prefix + "twin-", sizes: group.sizeSample.map { Int($0) },
                    versions: bucket.versioning == nil ? nil : perObject)
                Self.carryObjectTraits(group, bucket.objectSample, bucketAccount: account, into: &twin)
                return twin
            }
            return Bucket(
                name: bucket.name, account: account, region: bucket.region.flatMap { $0.isEmpty ? nil : $0 }, versioning: bucket.versioning,
                objectLock: bucket.objectLock ? true : nil, policy: bucket.policy,
                modernDefaults: bucket.configurationDocuments == nil ? nil : false, configurations: bucket.configurationDocuments,
                inventory: Self.twinInventory(bucket, ids: ids), groups: groups)
        }
        buckets += Self.inventoryDestinations(inventory, existing: Set(buckets.map(\.name)), ids: ids)
        switchover = Self.switchover(inventory.switchover, ids: ids)
        // A name held outside the runbook's accounts (HeadBucket 403 from every one of them and no
        // runbook account owns it): an empty bucket of that name in an outsider account, so the twin
        // refuses the create as AWS would.
        let held = Set(inventory.buckets.filter { $0.heldElsewhere == true }.map(\.name))
            .subtracting(inventory.buckets.filter(\.exists).map(\.name))
        if !held.isEmpty {
            accounts.append(Account(id: Self.outsiderAccount, name: "outsider", users: nil, roles: nil))
            buckets += held.sorted().map {
                Bucket(name: $0, account: Self.outsiderAccount, region: nil, versioning: nil, objectLock: nil, policy: nil, groups: [])
            }
        }
    }

    /// This world with a fixed key for the operator user, so the rehearsal's private cutoverd can
    /// sign as it (`--world-out` files carry no key: the simulator makes one when seeded).
    public func withOperatorKey(accessKeyId: String, secretAccessKey: String) -> TwinWorld {
        var world = self
        for index in world.accounts.indices {
            guard var users = world.accounts[index].users, let user = users.firstIndex(where: { $0.name == Self.operatorUser }) else {
                continue
            }
            users[user].accessKeyId = accessKeyId
            users[user].secretAccessKey = secretAccessKey
            world.accounts[index].users = users
        }
        return world
    }

    /// The world as the simulator's seed file takes it.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
