/// What RDS checks a restore's placement against in one account: DB subnet groups (and their
/// VPCs), VPC security groups, DB (cluster) parameter groups and option groups. EC2's
/// `DescribeSecurityGroups` answers from the same value, so the lookups a preflight makes and the
/// checks the restore makes never disagree.
///
/// Every account also has the defaults AWS gives it: the `default` subnet group in its default
/// VPC, each VPC's default security group (named `default`), `default.*` parameter groups and
/// `default:*` option groups — the defaults a cutover must not silently land in (AWS-NOTES §5.3).
public struct SimRDSNetwork: Sendable, Equatable {
    /// Subnet group name → VPC ID.
    public var subnetGroups: [String: String] = [:]
    /// Security group ID → VPC ID.
    public var securityGroups: [String: String] = [:]
    /// Security group ID → group name, for seeded groups that have one; a seeded group without a
    /// name is named after its ID.
    public var securityGroupNames: [String: String] = [:]
    public var parameterGroups: Set<String> = []
    public var clusterParameterGroups: Set<String> = []
    /// Option groups by (lower-case) name; `default:*` groups exist without seeding, empty.
    public var optionGroups: [String: SimOptionGroup] = [:]

    public init() {}

    /// One security group as EC2 describes it.
    public struct SecurityGroup: Sendable, Equatable {
        public var id: String
        public var name: String
        public var vpcId: String
        public var isDefault: Bool
    }

    /// Every VPC the account has: the default VPC and those its subnet and security groups name.
    func vpcs(account: String) -> Set<String> {
        Set(subnetGroups.values).union(securityGroups.values).union([RDSNames.defaultVpc(account: account)])
    }

    func vpc(ofSubnetGroup name: String, account: String) -> String? {
        if let vpc = subnetGroups[name.lowercased()] { return vpc }
        return name.lowercased() == "default" ? RDSNames.defaultVpc(account: account) : nil
    }

    func vpc(ofSecurityGroup id: String, account: String) -> String? {
        if let vpc = securityGroups[id] { return vpc }
        // Each VPC's default security group exists without seeding.
        return vpcs(account: account).first { RDSNames.defaultSecurityGroup(vpcId: $0) == id }
    }

    /// The subnet groups by name (lower-case, as RDS stores them), `default` included.
    func allSubnetGroups(account: String) -> [(name: String, vpcId: String)] {
        var groups = subnetGroups
        if groups["default"] == nil { groups["default"] = RDSNames.defaultVpc(account: account) }
        return groups.map { (name: $0.key, vpcId: $0.value) }.sorted { $0.name < $1.name }
    }

    /// Every security group of the account, seeded ones and each VPC's default, by ID.
    func allSecurityGroups(account: String) -> [SecurityGroup] {
        var groups = securityGroups.map { id, vpc in SecurityGroup(id: id, name: securityGroupNames[id] ?? id, vpcId: vpc, isDefault: false)
        }
        for vpc in vpcs(account: account) {
            let id = RDSNames.defaultSecurityGroup(vpcId: vpc)
            if securityGroups[id] == nil { groups.append(SecurityGroup(id: id, name: "default", vpcId: vpc, isDefault: true)) }
        }
        return groups.sorted { $0.id < $1.id }
    }

    func hasParameterGroup(_ name: String) -> Bool { name.hasPrefix("default.") || parameterGroups.contains(name.lowercased()) }
    func hasClusterParameterGroup(_ name: String) -> Bool {
        name.hasPrefix("default.") || clusterParameterGroups.contains(name.lowercased())
    }
    func hasOptionGroup(_ name: String) -> Bool { optionGroup(name) != nil }

    /// A seeded group, or a `default:ENGINE-MAJOR` group (no options) — nil otherwise.
    func optionGroup(_ name: String) -> SimOptionGroup? {
        let key = name.lowercased()
        if let group = optionGroups[key] { return group }
        guard key.hasPrefix("default:") else { return nil }
        let rest = key.dropFirst("default:".count)
        let engine = RDSService.engines.sorted { $0.count > $1.count }.first { rest.hasPrefix($0 + "-") } ?? String(rest)
        let major = rest.count > engine.count ? String(rest.dropFirst(engine.count + 1)).replacingOccurrences(of: "-", with: ".") : ""
        return SimOptionGroup(
            name: key, engine: engine, majorEngineVersion: major, description: "Default option group for \(engine) \(major)")
    }
}
