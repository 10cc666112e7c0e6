import AWSClient
import AWSServices
import Foundation

/// The placement lookups the RDS preflight makes in the target account and `RDSClient` does not
/// have yet: `DescribeDBSubnetGroups`, `DescribeDBParameterGroups` (RDS) and
/// `DescribeSecurityGroups` (EC2). Each answers nil for "does not exist" and throws `AWSError`
/// for anything else. (Candidates for AWSServices; see the RDS report.) Public for the
/// rehearsal's discovery, which places the twin's groups in the VPCs these name.
public struct RDSPlacementClient: Sendable {
    let rds: AWSClient
    let ec2: AWSClient

    /// EC2's Query API (its errors are `<Response><Errors><Error>`, which the decoder reads).
    public static let ec2Service = AWSService(
        signingName: "ec2", endpointPrefix: "ec2", serviceId: "EC2", wireProtocol: .query(apiVersion: "2016-11-15"))

    public init(rds: AWSClient, ec2: AWSClient) {
        self.rds = rds
        self.ec2 = ec2
    }

    /// The VPC of DB subnet group `name`, or nil when the account has no such group.
    public func subnetGroupVpc(_ name: String) async throws -> (vpcId: String?, exists: Bool) {
        var p = QueryParameters()
        p.add("DBSubnetGroupName", name)
        do {
            let response = try await rds.query(action: "DescribeDBSubnetGroups", parameters: p.pairs, resource: name)
            let group = response.result.child("DBSubnetGroups")?.children.first
            return (group?.string("VpcId"), group != nil)
        } catch let error as AWSError where error.code == .dbSubnetGroupNotFound {
            return (nil, false)
        }
    }

    /// Whether DB parameter group `name` exists.
    func parameterGroupExists(_ name: String) async throws -> Bool {
        var p = QueryParameters()
        p.add("DBParameterGroupName", name)
        do {
            let response = try await rds.query(action: "DescribeDBParameterGroups", parameters: p.pairs, resource: name)
            return response.result.child("DBParameterGroups")?.children.isEmpty == false
        } catch let error as AWSError where error.code == .dbParameterGroupNotFound {
            return false
        }
    }

    /// The VPC of security group `id`, or `exists: false` when the account has no such group.
    public func securityGroupVpc(_ id: String) async throws -> (vpcId: String?, exists: Bool) {
        // EC2 lists are `GroupId.1`, not `GroupId.member.1`.
        let pairs = [("GroupId.1", id)]
        do {
            let response = try await ec2.query(action: "DescribeSecurityGroups", parameters: pairs, resource: id)
            // EC2 answers without a `<…Result>` wrapper: read the raw document.
            let root = try XMLNode.parse(response.raw.body)
            let item = root.child("securityGroupInfo")?.children("item").first { $0.string("groupId") == id }
            return (item?.string("vpcId"), item != nil)
        } catch let error as AWSError where error.code == .securityGroupNotFound {
            return (nil, false)
        }
    }
}
