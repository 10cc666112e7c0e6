/// What RDS checks a restore's placement against in one account: DB subnet groups (and their
/// VPCs), VPC security groups, DB (cluster) parameter groups and option groups.
///
/// Every account also has the defaults AWS gives it: the `default` subnet group in its default
/// VPC, that VPC's default security group, `default.*` parameter groups and `default:*` option
/// groups — the defaults a cutover must not silently land in (AWS-NOTES §5.3).
public struct SimRDSNetwork: Sendable, Equatable {
    /// Subnet group name → VPC ID.
    public var subnetGroups: [String: String] = [:]
    /// Security group ID → VPC ID.
    public var securityGroups: [String: String] = [:]
    public var parameterGroups: Set<String> = []
    public var clusterParameterGroups: Set<String> = []
    public var optionGroups: Set<String> = []

    public init() {}

    func vpc(ofSubnetGroup name: String, account: String) -> String? {
        if let vpc = subnetGroups[name.lowercased()] { return vpc }
        return name.lowercased() == "default" ? RDSNames.defaultVpc(account: account) : nil
    }

    func vpc(ofSecurityGroup id: String, account: String) -> String? {
        if let vpc = securityGroups[id] { return vpc }
        // Each VPC's default security group exists without seeding.
        let vpcs = Set(subnetGroups.values).union([RDSNames.defaultVpc(account: account)])
        return vpcs.first { RDSNames.defaultSecurityGroup(vpcId: $0) == id }
    }

    func hasParameterGroup(_ name: String) -> Bool { name.hasPrefix("default.") || parameterGroups.contains(name.lowercased()) }
    func hasClusterParameterGroup(_ name: String) -> Bool { name.hasPrefix("default.") || clusterParameterGroups.contains(name.lowercased()) }
    func hasOptionGroup(_ name: String) -> Bool { name.hasPrefix("default:") || optionGroups.contains(name.lowercased()) }
}
