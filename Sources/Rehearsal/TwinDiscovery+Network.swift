import AWSClient
import AWSServices
import Steps

/// The VPC of every subnet group and security group a restore names, in the account it restores
/// into, so the twin places them where they are: a security group in another VPC than the subnet
/// group is what the RDS preflight refuses, and the twin must refuse it too.
extension TwinDiscovery {
    func discoverGroupVpcs(
        _ targets: TwinTargets, _ recorder: inout CallRecorder, _ problems: inout [String]
    ) async
        -> [String: [String: String]]
    {
        var vpcs: [String: [String: String]] = [:]
        let accounts = Set(targets.subnetGroups.map(\.account)).union(targets.securityGroups.map(\.account))
        for account in accounts.sorted() {
            let placement: RDSPlacementClient
            do {
                placement = RDSPlacementClient(
                    rds: try await sessions.client(.rds, account: account),
                    ec2: try await sessions.client(RDSPlacementClient.ec2Service, account: account))
            } catch {
                problems.append("\(account): cannot reach RDS/EC2 for the restore's network groups: \(error)")
                continue
            }
            for group in targets.subnetGroups.filter({ $0.account == account }).sorted() {
                recorder.note("rds", "DescribeDBSubnetGroups")
                do {
                    if let vpc = try await placement.subnetGroupVpc(group.name).vpcId { vpcs[account, default: [:]][group.name] = vpc }
                } catch {
                    problems.append("\(account): DB subnet group \(group.name): \(error)")
                }
            }
            for group in targets.securityGroups.filter({ $0.account == account }).sorted() {
                recorder.note("ec2", "DescribeSecurityGroups")
                do {
                    if let vpc = try await placement.securityGroupVpc(group.name).vpcId { vpcs[account, default: [:]][group.name] = vpc }
                } catch {
                    problems.append("\(account): security group \(group.name): \(error)")
                }
            }
        }
        return vpcs
    }
}
