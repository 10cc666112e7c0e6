import Foundation

/// Seeding and inspection of simulated RDS, under the world lock, at the simulator's clock and in
/// its configured region. Every seeding call is validated as the matching API call would be.
extension Simulator {
    /// Seeds a DB instance in `account` (the demo's legacy MySQL).
    @discardableResult
    public func seedDBInstance(_ seed: SimDBInstanceSeed, account: String) throws(SimError) -> SimDBInstance {
        let now = clock.now()
        let configuration = configuration
        return try withState { state in
            Result { () throws(SimError) -> SimDBInstance in
                try state.seedDBInstance(seed, account: account, region: configuration.region, now: now, configuration: configuration)
            }
        }.get()
    }

    /// Seeds an Aurora cluster in `account`.
    @discardableResult
    public func seedDBCluster(
        identifier: String, engine: String = "aurora-mysql", kmsKeyId: String? = nil, storageEncrypted: Bool = false,
        subnetGroupName: String? = nil, securityGroupIds: [String] = [], availableImmediately: Bool = true, account: String
    ) throws(SimError) -> SimDBCluster {
        let now = clock.now()
        let configuration = configuration
        return try withState { state in
            Result { () throws(SimError) -> SimDBCluster in
                try state.seedDBCluster(
                    identifier: identifier, engine: engine, kmsKeyId: kmsKeyId, storageEncrypted: storageEncrypted,
                    subnetGroupName: subnetGroupName, securityGroupIds: securityGroupIds, availableImmediately: availableImmediately,
                    account: account, region: configuration.region, now: now, configuration: configuration)
            }
        }.get()
    }

    /// Seeds the subnet groups (name → VPC ID), security groups (ID → VPC ID, and optionally ID →
    /// name), parameter groups, cluster parameter groups and option groups a restore in `account`
    /// may name. RDS `DescribeDBSubnetGroups`/`DescribeDBParameterGroups` and EC2
    /// `DescribeSecurityGroups` answer from the same network.
    public func seedRDSNetwork(
        account: String, subnetGroups: [String: String] = [:], securityGroups: [String: String] = [:],
        securityGroupNames: [String: String] = [:], parameterGroups: [String] = [], clusterParameterGroups: [String] = [],
        optionGroups: [String] = []
    ) {
        withState { state in
            state.seedRDSNetwork(
                account: account, subnetGroups: subnetGroups, securityGroups: securityGroups, securityGroupNames: securityGroupNames,
                parameterGroups: parameterGroups, clusterParameterGroups: clusterParameterGroups, optionGroups: optionGroups)
        }
    }

    /// Seeds an option group with its options in `account` (CreateOptionGroup makes only empty
    /// ones; AWS adds options with ModifyOptionGroup, which the simulator does not serve).
    public func seedOptionGroup(_ group: SimOptionGroup, account: String) {
        withState { $0.rds.addOptionGroup(group, account: account) }
    }

    /// Removes one of `account`'s snapshots outright, as if someone deleted it behind the run's back.
    public func removeDBSnapshot(_ identifier: String, account: String, kind: SimDBSnapshot.Kind = .instance) {
        let now = clock.now()
        withState { state in
            for snapshot in state.rds.snapshots(kind, account: account, now: now) where snapshot.identifier == identifier.lowercased() {
                state.rds.remove(snapshot)
            }
        }
    }

    /// `account`'s instances that exist now.
    public func dbInstances(account: String) -> [SimDBInstance] {
        let now = clock.now()
        return withState { $0.rds.instances(account: account, now: now) }
    }

    /// The status of one of `account`'s instances now, or nil when it does not exist.
    public func dbInstanceStatus(_ identifier: String, account: String) -> String? {
        let now = clock.now()
        return withState { state in
            state.rds.instances(account: account, now: now).first { $0.identifier == identifier.lowercased() }?.status(at: now)
        }
    }

    /// `account`'s DB snapshots (or cluster snapshots) visible now, oldest first.
    public func dbSnapshots(account: String, kind: SimDBSnapshot.Kind = .instance) -> [SimDBSnapshot] {
        let now = clock.now()
        return withState { $0.rds.snapshots(kind, account: account, now: now) }
    }

    /// `account`'s clusters that exist now.
    public func dbClusters(account: String) -> [SimDBCluster] {
        let now = clock.now()
        return withState { $0.rds.clusters(account: account, now: now) }
    }
}
