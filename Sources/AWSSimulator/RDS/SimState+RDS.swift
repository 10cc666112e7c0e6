import Foundation

/// Seeding and inspection of the RDS part of the world, for tests that hold a `SimState` and for
/// `Simulator`'s public seeding API.
extension SimState {
    /// Performs an RDS action as `account`'s root would, through the same handler as a request,
    /// and returns the response (errors thrown as `SimError`).
    @discardableResult
    public mutating func rdsCall(
        _ action: String, _ parameters: [(String, String)], account: String, region: String, now: Date,
        configuration: SimConfiguration
    ) throws(SimError) -> SimResponse {
        let pairs = [("Action", action), ("Version", "2014-10-31")] + parameters
        let body = pairs.map { "\(Self.formEscape($0.0))=\(Self.formEscape($0.1))" }.joined(separator: "&")
        let request = SimRequest(
            method: "POST", path: "/", headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
            body: Data(body.utf8))
        let principal = SimPrincipal(account: account, arn: "arn:aws:iam::\(account):root", userId: account, accessKeyId: "SEEDING")
        var context = SimCallContext(principal: principal, now: now, requestId: "seed", region: region, configuration: configuration)
        return try RDSService().handle(request, operation: action, context: &context, state: &self)
    }

    /// Seeds a DB instance in `account` (see `SimDBInstanceSeed`).
    @discardableResult
    public mutating func seedDBInstance(
        _ seed: SimDBInstanceSeed, account: String, region: String, now: Date, configuration: SimConfiguration
    ) throws(SimError) -> SimDBInstance {
        try rdsCall("CreateDBInstance", seed.parameters, account: account, region: region, now: now, configuration: configuration)
        let arn = RDSArn(region: region, account: account, type: "db", id: seed.identifier).text
        if seed.availableImmediately {
            rds.instances[arn]?.timeline = SimRDSTimeline("available")
            for (snapshotArn, s) in rds.snapshots
            where s.snapshotType == "automated" && s.account == account && s.sourceIdentifier == seed.identifier.lowercased() {
                rds.snapshots[snapshotArn]?.visibleFrom = now
                rds.snapshots[snapshotArn]?.readyAt = now
            }
        }
        guard let instance = rds.instances[arn] else { throw SimError("InternalFailure", "seeding lost instance \(arn)", status: 500) }
        return instance
    }

    /// Seeds an Aurora cluster (CreateDBCluster) in `account`, available at once unless told otherwise.
    @discardableResult
    public mutating func seedDBCluster(
        identifier: String, engine: String = "aurora-mysql", kmsKeyId: String? = nil, storageEncrypted: Bool = false,
        subnetGroupName: String? = nil, securityGroupIds: [String] = [], availableImmediately: Bool = true, account: String,
        region: String, now: Date, configuration: SimConfiguration
    ) throws(SimError) -> SimDBCluster {
        var p: [(String, String)] = [
            ("DBClusterIdentifier", identifier), ("Engine", engine), ("MasterUsername", "admin"), ("ManageMasterUserPassword", "true"),
        ]
        if storageEncrypted || kmsKeyId != nil { p.append(("StorageEncrypted", "true")) }
        if let kmsKeyId { p.append(("KmsKeyId", kmsKeyId)) }
        if let subnetGroupName { p.append(("DBSubnetGroupName", subnetGroupName)) }
        for (i, group) in securityGroupIds.enumerated() { p.append(("VpcSecurityGroupIds.VpcSecurityGroupId.\(i + 1)", group)) }
        try rdsCall("CreateDBCluster", p, account: account, region: region, now: now, configuration: configuration)
        let arn = RDSArn(region: region, account: account, type: "cluster", id: identifier).text
        if availableImmediately { rds.clusters[arn]?.timeline = SimRDSTimeline("available") }
        guard let cluster = rds.clusters[arn] else { throw SimError("InternalFailure", "seeding lost cluster \(arn)", status: 500) }
        return cluster
    }

    /// Seeds the placement resources RestoreDBInstanceFromDBSnapshot checks in `account`:
    /// subnet groups (name → VPC), security groups (ID → VPC, optionally ID → name), parameter
    /// groups, cluster parameter groups and option groups.
    public mutating func seedRDSNetwork(
        account: String, subnetGroups: [String: String] = [:], securityGroups: [String: String] = [:],
        securityGroupNames: [String: String] = [:], parameterGroups: [String] = [], clusterParameterGroups: [String] = [],
        optionGroups: [String] = []
    ) {
        for (name, vpc) in subnetGroups { rds.addSubnetGroup(name, vpcId: vpc, account: account) }
        for (id, vpc) in securityGroups { rds.addSecurityGroup(id, vpcId: vpc, name: securityGroupNames[id], account: account) }
        for name in parameterGroups { rds.addParameterGroup(name, account: account) }
        for name in clusterParameterGroups { rds.addClusterParameterGroup(name, account: account) }
        for name in optionGroups { rds.addOptionGroup(name, account: account) }
    }

    /// Puts an existing instance into `modifying` for `duration` seconds from `now` (ModifyDBInstance
    /// is not among the simulated operations; this lets a test exercise the state).
    public mutating func beginModifying(
        instance identifier: String, account: String, region: String, now: Date, duration: TimeInterval
    ) throws(SimError) {
        let arn = RDSArn(region: region, account: account, type: "db", id: identifier).text
        guard rds.instance(arn, now: now) != nil else { throw RDSErrors.instanceNotFound(identifier) }
        rds.instances[arn]?.timeline.schedule(from: now, [("modifying", duration)], then: "available")
    }

    private static func formEscape(_ s: String) -> String {
        var out = ""
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(UnicodeScalar(byte))
            default:
                let h = String(byte, radix: 16, uppercase: true)
                out += "%" + (h.count == 1 ? "0" + h : h)
            }
        }
        return out
    }
}
