import AWSClient
import AWSServices
import Foundation
import Runbook
import Steps

/// Read-only discovery of everything a runbook touches, through the runbook's own accounts
/// (the roles cutoverd would assume): buckets from their listings and configuration GETs, RDS
/// instances and clusters from their descriptions, KMS keys with their policies and aliases.
/// Every call is a Get, Head, List or Describe (`TwinDiscovery.readOperations`; a test holds the
/// simulator's request log to that). A resource that cannot be read is a problem in the
/// inventory, not a failure: the operator sees every gap at once.
public struct TwinDiscovery: Sendable {
    let sessions: any AccountSessions
    let plan: RunbookPlan

    public init(plan: RunbookPlan, sessions: any AccountSessions) {
        self.plan = plan
        self.sessions = sessions
    }

    /// The operations discovery may call; anything else would be a bug (and fails the test).
    public static let readOperations: Set<String> = Set([
        "GetCallerIdentity", "AssumeRole", "HeadBucket", "GetBucketLocation", "ListObjectsV2", "ListObjectVersions",
        "GetBucketVersioning", "GetObjectLockConfiguration", "GetBucketPolicy", "GetBucketOwnershipControls",
        "DescribeDBInstances", "DescribeDBClusters", "DescribeKey", "GetKeyPolicy", "ListAliases",
        // The inventory report (manifest and data files: metadata, not the bucket's objects) and
        // the tag/ACL sample of the first objects.
        "ListBucketInventoryConfigurations", "GetObject", "GetObjectTagging", "GetObjectAcl", "ListBuckets",
        // The VPCs of the subnet and security groups a restore names.
        "DescribeDBSubnetGroups", "DescribeSecurityGroups",
    ]).union(BucketSubresource.allCases.map { "Get\($0.operationStem)" }).union(switchoverReadOperations)

    /// How many of a bucket's first objects discovery reads tags and ACLs of.
    public var objectSampleLimit = 1000
    /// The range read from an inventory data file at a time (bounded memory).
    public var inventoryReadChunk: Int64 = 4 << 20

    public func discover() async -> TwinInventory {
        let targets = TwinTargets(plan: plan)
        var inventory = TwinInventory(region: plan.region)
        inventory.accounts = plan.accounts.map { spec in
            TwinInventory.Account(
                label: spec.name, id: spec.accountId, roleName: spec.role.map { String($0.split(separator: "/").last ?? "") },
                externalId: spec.externalId)
        }
        var recorder = CallRecorder()
        var findings: [String] = []
        for bucket in targets.buckets.sorted() {
            inventory.buckets.append(await discoverBucket(bucket, &recorder, &inventory.problems, &findings))
        }
        inventory.findings = findings.isEmpty ? nil : findings
        for bucket in inventory.buckets where bucket.heldElsewhere == true {
            let owner = inventory.buckets.first { $0.name == bucket.name && $0.exists }
            if owner == nil {
                inventory.problems.append(
                    "\(bucket.account): bucket \(bucket.name) exists but is not readable from \(bucket.account) nor owned by another "
                        + "account of the runbook (HeadBucket 403): the name is taken outside this cutover")
            }
        }
        var keyReferences = targets.kmsKeys
        for instance in targets.dbInstances.sorted() {
            let facts = await discoverInstance(instance, &recorder, &inventory.problems)
            if let key = facts.kmsKeyId { keyReferences.insert(.init(account: instance.account, name: key)) }
            inventory.dbInstances.append(facts)
        }
        for cluster in targets.dbClusters.sorted() {
            let facts = await discoverCluster(cluster, &recorder, &inventory.problems)
            if let key = facts.kmsKeyId { keyReferences.insert(.init(account: cluster.account, name: key)) }
            inventory.dbClusters.append(facts)
        }
        for key in keyReferences.sorted() {
            inventory.keys.append(await discoverKey(key, &recorder, &inventory.problems))
        }
        for (facts, awsManaged) in inventory.keys.map({ ($0.keyId, $0.awsManaged) }) where facts != nil {
            for index in inventory.dbInstances.indices where keyMatches(inventory.dbInstances[index].kmsKeyId, facts) {
                inventory.dbInstances[index].awsManagedKey = awsManaged
            }
            for index in inventory.dbClusters.indices where keyMatches(inventory.dbClusters[index].kmsKeyId, facts) {
                inventory.dbClusters[index].awsManagedKey = awsManaged
            }
        }
        inventory.subnetGroups = Dictionary(grouping: targets.subnetGroups, by: \.account).mapValues { $0.map(\.name).sorted() }
        inventory.securityGroups = Dictionary(grouping: targets.securityGroups, by: \.account).mapValues { $0.map(\.name).sorted() }
        let vpcs = await discoverGroupVpcs(targets, &recorder, &inventory.problems)
        inventory.groupVpcs = vpcs.isEmpty ? nil : vpcs
        let switchover = await discoverSwitchover(&recorder, &inventory.problems)
        inventory.switchover = switchover.isEmpty ? nil : switchover
        inventory.calls = recorder.counts
        return inventory
    }

    private func keyMatches(_ reference: String?, _ keyId: String?) -> Bool {
        guard let reference, let keyId else { return false }
        return reference == keyId || reference.hasSuffix("/" + keyId)
    }

    // MARK: S3

    private func discoverBucket(
        _ target: TwinTargets.Resource, _ recorder: inout CallRecorder, _ problems: inout [String], _ findings: inout [String]
    ) async -> TwinInventory.Bucket {
        var facts = TwinInventory.Bucket(
            account: target.account, name: target.name, exists: false, objectLock: false, configurations: [])
        let s3: S3Client
        do {
            s3 = try await sessions.s3(target.account)
        } catch {
            problems.append("\(target.account): cannot reach S3 for bucket \(target.name): \(error)")
            return facts
        }
        do {
            recorder.note("s3", "HeadBucket")
            do {
                guard try await s3.headBucket(target.name) != nil else { return facts }
            } catch let error as AWSError where error.httpStatus == 403 {
                // The name exists and this account may not read it: another account owns it (the
                // source's bucket, seen from the target before the move). Checked below.
                facts.heldElsewhere = true
                return facts
            }
            facts.exists = true
            recorder.note("s3", "GetBucketLocation")
            facts.region = try await s3.getBucketLocation(target.name)
            for subresource in BucketSubresource.allCases {
                recorder.note("s3", "Get\(subresource.operationStem)")
                guard let document = try await s3.getBucketSubresource(subresource, bucket: target.name) else { continue }
                facts.configurations.append(subresource.rawValue)
                if ![.policy, .versioning, .objectLock].contains(subresource) {
                    facts.configurationDocuments = (facts.configurationDocuments ?? [:]).merging([subresource.queryName: document.document])
                    { $1 }
                }
                switch subresource {
                case .policy: facts.policy = document.document
                case .versioning:
                    if document.document.contains("<Status>Enabled</Status>") { facts.versioning = "Enabled" }
                    if document.document.contains("<Status>Suspended</Status>") { facts.versioning = "Suspended" }
                case .objectLock: facts.objectLock = document.document.contains("<ObjectLockEnabled>Enabled</ObjectLockEnabled>")
                case .ownershipControls:
                    for value in ["BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter"] where document.document.contains(value) {
                        facts.objectOwnership = value
                    }
                default: break
                }
            }
            try await profileBucket(target, s3: s3, &facts, &recorder, &findings)
        } catch {
            problems.append("\(target.account): bucket \(target.name): \(error)")
        }
        return facts
    }

    // MARK: RDS

    private func discoverInstance(
        _ target: TwinTargets.Resource, _ recorder: inout CallRecorder, _ problems: inout [String]
    ) async -> TwinInventory.DBInstance {
        var facts = TwinInventory.DBInstance(
            account: target.account, identifier: target.name, exists: false, storageEncrypted: false, securityGroups: [],
            parameterGroups: [], optionGroups: [], deletionProtection: false, multiAZ: false, tags: [:])
        do {
            let rds = try await sessions.rds(target.account)
            recorder.note("rds", "DescribeDBInstances")
            guard let instance = try await rds.describeDBInstances(.init(instanceIdentifier: target.name)).items.first else { return facts }
            facts.exists = true
            facts.engine = instance.engine
            facts.engineVersion = instance.engineVersion
            facts.instanceClass = instance.instanceClass
            facts.allocatedStorage = instance.allocatedStorage
            facts.storageEncrypted = instance.storageEncrypted
            facts.kmsKeyId = instance.kmsKeyId
            facts.subnetGroup = instance.dbSubnetGroupName
            facts.securityGroups = instance.vpcSecurityGroupIds
            facts.parameterGroups = instance.dbParameterGroupNames
            facts.optionGroups = instance.optionGroupNames
            facts.deletionProtection = instance.deletionProtection
            facts.multiAZ = instance.multiAZ
            facts.tags = instance.tags
        } catch let error as AWSError where error.code == "DBInstanceNotFound" || error.code == "DBInstanceNotFoundFault" {
            return facts
        } catch {
            problems.append("\(target.account): DB instance \(target.name): \(error)")
        }
        return facts
    }

    private func discoverCluster(
        _ target: TwinTargets.Resource, _ recorder: inout CallRecorder, _ problems: inout [String]
    ) async -> TwinInventory.DBCluster {
        var facts = TwinInventory.DBCluster(
            account: target.account, identifier: target.name, exists: false, storageEncrypted: false, securityGroups: [],
            members: [], deletionProtection: false)
        do {
            let rds = try await sessions.rds(target.account)
            recorder.note("rds", "DescribeDBClusters")
            guard let cluster = try await rds.describeDBClusters(.init(clusterIdentifier: target.name)).items.first else { return facts }
            facts.exists = true
            facts.engine = cluster.engine
            facts.engineVersion = cluster.engineVersion
            facts.storageEncrypted = cluster.storageEncrypted
            facts.kmsKeyId = cluster.kmsKeyId
            facts.subnetGroup = cluster.dbSubnetGroupName
            facts.securityGroups = cluster.vpcSecurityGroupIds
            facts.members = cluster.members.map(\.instanceIdentifier)
            facts.deletionProtection = cluster.deletionProtection ?? false
        } catch let error as AWSError where error.code == "DBClusterNotFoundFault" || error.code == "DBClusterNotFound" {
            return facts
        } catch {
            problems.append("\(target.account): DB cluster \(target.name): \(error)")
        }
        return facts
    }

    // MARK: KMS

    private func discoverKey(
        _ target: TwinTargets.Resource, _ recorder: inout CallRecorder, _ problems: inout [String]
    ) async -> TwinInventory.Key {
        var facts = TwinInventory.Key(account: target.account, reference: target.name, exists: false, awsManaged: false, aliases: [])
        do {
            let kms = try await sessions.kms(target.account)
            recorder.note("kms", "DescribeKey")
            let metadata = try await kms.describeKey(keyId: target.name)
            facts.exists = true
            facts.keyId = metadata.keyId
            facts.awsManaged = metadata.isAWSManaged
            facts.description = metadata.description
            recorder.note("kms", "ListAliases")
            facts.aliases = try await kms.listAllAliases(keyId: metadata.keyId).map(\.aliasName).sorted()
            if !metadata.isAWSManaged {
                recorder.note("kms", "GetKeyPolicy")
                facts.policy = try await kms.getKeyPolicy(keyId: metadata.keyId).policy
            }
        } catch let error as AWSError where error.code == "NotFoundException" {
            return facts
        } catch {
            problems.append("\(target.account): KMS key \(target.name): \(error)")
        }
        return facts
    }
}

/// Counts the calls discovery makes, for the report.
struct CallRecorder {
    var counts: [String: Int] = [:]
    mutating func note(_ service: String, _ operation: String) { counts["\(service) \(operation)", default: 0] += 1 }
}
