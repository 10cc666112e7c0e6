import AWSClient
import Foundation

/// What the RDS tests against moto (conformance and step runs) need around RDS itself, made with test-only calls through the
/// same signed client (none of these operations is part of Cutover's API): a VPC with two subnets
/// and a security group (EC2), a DB subnet group and parameter group (RDS), and KMS keys.
public enum MotoRDSSetup {
    /// EC2 speaks the Query protocol too; its results are not wrapped in `<ActionResult>`.
    public static let ec2 = AWSService(
        signingName: "ec2", endpointPrefix: "ec2", serviceId: "EC2", wireProtocol: .query(apiVersion: "2016-11-15"))

    public struct Network: Sendable {
        public var vpcId: String
        public var subnetGroupName: String
        public var securityGroupIds: [String]
        public var parameterGroupName: String
    }

    /// A VPC, two subnets in different AZs, a security group, a DB subnet group and a MySQL 8.0
    /// parameter group, all in `rds`'s account.
    public static func network(_ rds: AWSClient, prefix: String) async throws -> Network {
        let ec2 = rds.with(service: ec2)
        let vpc = try await ec2Call(ec2, "CreateVpc", [("CidrBlock", "10.20.0.0/16")]).path("vpc", "vpcId")?.trimmedText
        let vpcId = try required(vpc, "CreateVpc vpcId")
        var subnets: [String] = []
        for (i, az) in ["us-east-1a", "us-east-1b"].enumerated() {
            let subnet = try await ec2Call(
                ec2, "CreateSubnet", [("VpcId", vpcId), ("CidrBlock", "10.20.\(i + 1).0/24"), ("AvailabilityZone", az)])
            subnets.append(try required(subnet.path("subnet", "subnetId")?.trimmedText, "CreateSubnet subnetId"))
        }
        let group = try await ec2Call(
            ec2, "CreateSecurityGroup", [("GroupName", "\(prefix)-db"), ("GroupDescription", "cutover-test"), ("VpcId", vpcId)])
        let groupId = try required(group.string("groupId"), "CreateSecurityGroup groupId")

        var p = QueryParameters()
        p.add("DBSubnetGroupName", "\(prefix)-subnets")
        p.add("DBSubnetGroupDescription", "cutover-conformance")
        p.addList("SubnetIds", subnets, member: "SubnetIdentifier")
        _ = try await rds.query(action: "CreateDBSubnetGroup", parameters: p.pairs)
        _ = try await rds.query(
            action: "CreateDBParameterGroup",
            parameters: [
                ("DBParameterGroupName", "\(prefix)-params"), ("DBParameterGroupFamily", "mysql8.0"),
                ("Description", "cutover-conformance"),
            ])
        return Network(
            vpcId: vpcId, subnetGroupName: "\(prefix)-subnets", securityGroupIds: [groupId], parameterGroupName: "\(prefix)-params")
    }

    /// A customer managed symmetric key (`CreateKey`), returned as its ARN.
    public static func createKey(_ kms: AWSClient, description: String) async throws -> String {
        struct Input: Encodable, Sendable {
            var Description: String
        }
        struct Output: Decodable, Sendable {
            struct Metadata: Decodable, Sendable {
                var Arn: String
            }
            var KeyMetadata: Metadata
        }
        return try await kms.json(operation: "CreateKey", input: Input(Description: description), output: Output.self).KeyMetadata.Arn
    }

    private static func ec2Call(_ ec2: AWSClient, _ action: String, _ parameters: [(String, String)]) async throws -> XMLNode {
        let response = try await ec2.query(action: action, parameters: parameters)
        return try XMLNode.parse(response.raw.body)
    }

    private static func required(_ value: String?, _ what: String) throws -> String {
        guard let value, !value.isEmpty else { throw LoopbackError("moto's answer has no \(what)") }
        return value
    }
}
