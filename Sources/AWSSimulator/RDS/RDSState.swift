import Foundation

/// The simulated RDS: every account's instances, snapshots, clusters and cluster snapshots (each
/// by ARN, which carries region and account), and each account's network and parameter groups.
///
/// Statuses are not stored but read from each resource's timeline at the caller's now; a resource
/// whose timeline has reached `deleted` no longer exists and is dropped on the next mutation.
public struct RDSState: Sendable {
    /// By instance ARN.
    public internal(set) var instances: [String: SimDBInstance] = [:]
    /// DB snapshots by ARN.
    public internal(set) var snapshots: [String: SimDBSnapshot] = [:]
    /// By cluster ARN.
    public internal(set) var clusters: [String: SimDBCluster] = [:]
    /// DB cluster snapshots by ARN.
    public internal(set) var clusterSnapshots: [String: SimDBSnapshot] = [:]
    /// By account ID.
    public internal(set) var networks: [String: SimRDSNetwork] = [:]

    public init() {}

    // MARK: - Network seeding

    /// The placement resources RDS checks in `account`.
    public func network(account: String) -> SimRDSNetwork { networks[account] ?? SimRDSNetwork() }

    /// Adds a DB subnet group in `vpcId` (with that VPC's default security group).
    public mutating func addSubnetGroup(_ name: String, vpcId: String, account: String) {
        networks[account, default: SimRDSNetwork()].subnetGroups[name.lowercased()] = vpcId
    }

    /// Adds a VPC security group (`sg-…`) in `vpcId`, named `name` (default: its ID).
    public mutating func addSecurityGroup(_ id: String, vpcId: String, name: String? = nil, account: String) {
        networks[account, default: SimRDSNetwork()].securityGroups[id] = vpcId
        networks[account, default: SimRDSNetwork()].securityGroupNames[id] = name
    }

    /// Adds a DB parameter group (`default.*` groups always exist).
    public mutating func addParameterGroup(_ name: String, account: String) {
        networks[account, default: SimRDSNetwork()].parameterGroups.insert(name.lowercased())
    }

    /// Adds a DB cluster parameter group (`default.*` groups always exist).
    public mutating func addClusterParameterGroup(_ name: String, account: String) {
        networks[account, default: SimRDSNetwork()].clusterParameterGroups.insert(name.lowercased())
    }

    /// Adds an option group without options (`default:*` groups always exist).
    public mutating func addOptionGroup(_ name: String, account: String) {
        addOptionGroup(SimOptionGroup(name: name, engine: "", majorEngineVersion: ""), account: account)
    }

    /// Adds (or replaces) an option group with its options.
    public mutating func addOptionGroup(_ group: SimOptionGroup, account: String) {
        networks[account, default: SimRDSNetwork()].optionGroups[group.name] = group
    }

    // MARK: - Reading

    /// Instances of `account` that still exist at `now`, by identifier.
    public func instances(account: String, now: Date) -> [SimDBInstance] {
        instances.values.filter { $0.account == account && $0.status(at: now) != "deleted" }.sorted { $0.identifier < $1.identifier }
    }

    /// Snapshots (`kind`) owned by `account` and visible at `now`, oldest first.
    public func snapshots(_ kind: SimDBSnapshot.Kind = .instance, account: String, now: Date) -> [SimDBSnapshot] {
        store(kind).values.filter { $0.account == account && $0.visibleFrom <= now }.sorted(by: Self.snapshotOrder)
    }

    /// Clusters of `account` that still exist at `now`.
    public func clusters(account: String, now: Date) -> [SimDBCluster] {
        clusters.values.filter { $0.account == account && $0.status(at: now) != "deleted" }.sorted { $0.identifier < $1.identifier }
    }

    func store(_ kind: SimDBSnapshot.Kind) -> [String: SimDBSnapshot] { kind == .instance ? snapshots : clusterSnapshots }

    mutating func put(_ snapshot: SimDBSnapshot) {
        switch snapshot.kind {
        case .instance: snapshots[snapshot.arn] = snapshot
        case .cluster: clusterSnapshots[snapshot.arn] = snapshot
        }
    }

    mutating func remove(_ snapshot: SimDBSnapshot) {
        switch snapshot.kind {
        case .instance: snapshots[snapshot.arn] = nil
        case .cluster: clusterSnapshots[snapshot.arn] = nil
        }
    }

    /// A live instance by ARN.
    func instance(_ arn: String, now: Date) -> SimDBInstance? {
        guard let instance = instances[arn], instance.status(at: now) != "deleted" else { return nil }
        return instance
    }

    func cluster(_ arn: String, now: Date) -> SimDBCluster? {
        guard let cluster = clusters[arn], cluster.status(at: now) != "deleted" else { return nil }
        return cluster
    }

    /// Drops resources whose deletion has finished, so their identifiers can be reused.
    mutating func purge(now: Date) {
        instances = instances.filter { $0.value.status(at: now) != "deleted" }
        clusters = clusters.filter { $0.value.status(at: now) != "deleted" }
    }

    static func snapshotOrder(_ a: SimDBSnapshot, _ b: SimDBSnapshot) -> Bool {
        (a.createdAt, a.identifier) < (b.createdAt, b.identifier)
    }

    // MARK: - Placement

    /// Where a new instance or cluster goes in `account`: the subnet group (default: `default`)
    /// and security groups (default: the VPC's default group), checked as RDS checks them. A
    /// missing subnet group is DBSubnetGroupNotFoundFault; an unknown security group is
    /// InvalidParameterValue "Invalid security group" (moto accepts any, MOTO-NOTES §4); one in
    /// another VPC is InvalidParameterCombination.
    func placement(
        account: String, subnetGroup: String?, securityGroups: [String]
    ) throws(SimError) -> (subnetGroup: String, vpcId: String, securityGroups: [String]) {
        let network = network(account: account)
        let groupName = (subnetGroup ?? "default").lowercased()
        guard let vpc = network.vpc(ofSubnetGroup: groupName, account: account) else { throw RDSErrors.subnetGroupNotFound(groupName) }
        let groups = securityGroups.isEmpty ? [RDSNames.defaultSecurityGroup(vpcId: vpc)] : securityGroups
        for group in groups {
            guard let groupVpc = network.vpc(ofSecurityGroup: group, account: account) else {
                throw RDSErrors.invalidValue("Invalid security group , groupId= \(group), groupName=.")
            }
            guard groupVpc == vpc else {
                throw RDSErrors.invalidCombination(
                    "The DB instance and EC2 security group are in different VPCs. The DB instance is in \(vpc) and the EC2 security group is in \(groupVpc)"
                )
            }
        }
        return (groupName, vpc, groups)
    }
}
