import AWSServices
import AWSSimulator
import Foundation
import TestSupport
import Testing

/// The read-only placement lookups the RDS preflight makes in the target account — RDS
/// `DescribeDBSubnetGroups` and `DescribeDBParameterGroups`, EC2 `DescribeSecurityGroups` —
/// answered from the same seeded network the restore checks, in each service's wire format, and
/// read back with our own client exactly as `RDSPlacementClient` reads them.
@Suite("SimPlacement: subnet groups, parameter groups and security groups")
struct SimPlacementLookupTests {
    typealias W = SimRDSWorld

    static let ec2 = AWSService(signingName: "ec2", endpointPrefix: "ec2", serviceId: "EC2", wireProtocol: .query(apiVersion: "2016-11-15"))

    /// A and B with a user each, B with the product network; signed clients over `Simulator.handle`.
    struct Accounts {
        let simulator: Simulator
        let rdsA: AWSClient
        let rdsB: AWSClient
        let ec2A: AWSClient
        let ec2B: AWSClient

        init() throws {
            let clock = VirtualClock()
            simulator = Simulator(configuration: SimConfiguration(rds: W.timings), clock: clock)
            try simulator.addAccount(id: W.a, name: "legacy")
            try simulator.addAccount(id: W.b, name: "product")
            let keyA = try simulator.addUser(account: W.a, name: "alice")
            let keyB = try simulator.addUser(account: W.b, name: "bob")
            simulator.seedRDSNetwork(
                account: W.b, subnetGroups: ["admin-private": "vpc-0product"],
                securityGroups: ["sg-0abc": "vpc-0product", "sg-0123456789abcdef0": "vpc-0other"],
                securityGroupNames: ["sg-0123456789abcdef0": "reporting"], parameterGroups: ["admin-mysql80"])
            let transport = SimulatorTransport(simulator)
            func client(_ service: AWSService, _ key: SimAccessKey) -> AWSClient {
                AWSClient(
                    service: service, region: W.region,
                    credentials: StaticCredentialProvider(
                        AWSCredentials(accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey)),
                    transport: transport, retry: .init(maxAttempts: 1), account: key.account, now: { clock.now() }, sleep: { _ in })
            }
            rdsA = client(.rds, keyA)
            rdsB = client(.rds, keyB)
            ec2A = client(SimPlacementLookupTests.ec2, keyA)
            ec2B = client(SimPlacementLookupTests.ec2, keyB)
        }
    }

    // MARK: - DescribeDBSubnetGroups

    @Test func subnetGroupFoundByNameWithItsVpcAndSubnets() async throws {
        let world = try Accounts()
        let response = try await world.rdsB.query(action: "DescribeDBSubnetGroups", parameters: [("DBSubnetGroupName", "Admin-Private")])
        let groups = response.result.list("DBSubnetGroups", member: "DBSubnetGroup")
        #expect(groups.count == 1)
        let group = try #require(groups.first)
        #expect(group.string("DBSubnetGroupName") == "admin-private")
        #expect(group.string("VpcId") == "vpc-0product")
        #expect(group.string("SubnetGroupStatus") == "Complete")
        #expect(group.string("DBSubnetGroupArn") == "arn:aws:rds:\(W.region):\(W.b):subgrp:admin-private")
        let zones = group.list("Subnets", member: "Subnet").compactMap { $0.path("SubnetAvailabilityZone", "Name")?.trimmedText }
        #expect(zones == ["\(W.region)a", "\(W.region)c"])
        #expect(response.requestId?.isEmpty == false)
    }

    @Test func subnetGroupListingHoldsTheDefaultAndTheSeededGroups() async throws {
        let world = try Accounts()
        let all = try await world.rdsB.query(action: "DescribeDBSubnetGroups", parameters: [])
        #expect(
            all.result.list("DBSubnetGroups", member: "DBSubnetGroup").compactMap { $0.string("DBSubnetGroupName") } == [
                "admin-private", "default",
            ])
    }

    @Test func missingSubnetGroupIsDBSubnetGroupNotFoundFault404() async throws {
        let world = try Accounts()
        let error = try await #require(throws: AWSError.self) {
            try await world.rdsB.query(action: "DescribeDBSubnetGroups", parameters: [("DBSubnetGroupName", "nowhere")])
        }
        #expect(error.code == "DBSubnetGroupNotFoundFault")
        #expect(error.httpStatus == 404)
    }

    // MARK: - DescribeDBParameterGroups

    @Test func parameterGroupFoundByNameAndDefaultsAlwaysExist() async throws {
        let world = try Accounts()
        let seeded = try await world.rdsB.query(
            action: "DescribeDBParameterGroups", parameters: [("DBParameterGroupName", "admin-mysql80")])
        let group = try #require(seeded.result.list("DBParameterGroups", member: "DBParameterGroup").first)
        #expect(group.string("DBParameterGroupName") == "admin-mysql80")
        #expect(group.string("DBParameterGroupArn") == "arn:aws:rds:\(W.region):\(W.b):pg:admin-mysql80")

        let defaults = try await world.rdsB.query(
            action: "DescribeDBParameterGroups", parameters: [("DBParameterGroupName", "default.mysql8.0")])
        let builtIn = try #require(defaults.result.list("DBParameterGroups", member: "DBParameterGroup").first)
        #expect(builtIn.string("DBParameterGroupFamily") == "mysql8.0")
    }

    @Test func missingParameterGroupIsDBParameterGroupNotFound404() async throws {
        let world = try Accounts()
        let error = try await #require(throws: AWSError.self) {
            try await world.rdsB.query(action: "DescribeDBParameterGroups", parameters: [("DBParameterGroupName", "admin-mysql57")])
        }
        #expect(error.code == "DBParameterGroupNotFound")
        #expect(error.httpStatus == 404)
    }

    @Test func parameterGroupListingHoldsSeededGroupsAndTheDefaultsInUse() async throws {
        let world = try Accounts()
        try world.simulator.seedDBInstance(SimDBInstanceSeed(identifier: "product-db", engineVersion: "8.0.40"), account: W.b)
        let all = try await world.rdsB.query(action: "DescribeDBParameterGroups", parameters: [])
        let names = all.result.list("DBParameterGroups", member: "DBParameterGroup").compactMap { $0.string("DBParameterGroupName") }
        #expect(names == ["admin-mysql80", "default.mysql8.0"])
    }

    // MARK: - DescribeSecurityGroups

    @Test func securityGroupFoundByIdInEC2sOwnResponseShape() async throws {
        let world = try Accounts()
        let response = try await world.ec2B.query(action: "DescribeSecurityGroups", parameters: [("GroupId.1", "sg-0abc")])
        let root = try XMLNode.parse(response.raw.body)
        #expect(root.localName == "DescribeSecurityGroupsResponse")
        #expect(root.string("requestId")?.isEmpty == false)
        let items = root.child("securityGroupInfo")?.children("item") ?? []
        #expect(items.count == 1)
        let item = try #require(items.first)
        #expect(item.string("groupId") == "sg-0abc")
        #expect(item.string("vpcId") == "vpc-0product")
        #expect(item.string("ownerId") == W.b)
        #expect(item.string("groupName") == "sg-0abc")  // seeded without a name
        #expect(item.string("securityGroupArn") == "arn:aws:ec2:\(W.region):\(W.b):security-group/sg-0abc")
    }

    @Test func unknownSecurityGroupIsInvalidGroupNotFoundAndMalformedIdsAreSaidToBe() async throws {
        let world = try Accounts()
        let missing = try await #require(throws: AWSError.self) {
            try await world.ec2B.query(action: "DescribeSecurityGroups", parameters: [("GroupId.1", "sg-0fedcba9876543210")])
        }
        #expect(missing.code == "InvalidGroup.NotFound")
        #expect(missing.httpStatus == 400)
        #expect(missing.message.contains("sg-0fedcba9876543210"))
        #expect(missing.requestId?.isEmpty == false)

        let malformed = try await #require(throws: AWSError.self) {
            try await world.ec2B.query(action: "DescribeSecurityGroups", parameters: [("GroupId.1", "admin-db")])
        }
        #expect(malformed.code == "InvalidGroupId.Malformed")
        #expect(malformed.httpStatus == 400)
    }

    @Test func securityGroupsFilterByNameAndVpc() async throws {
        let world = try Accounts()
        func ids(_ parameters: [(String, String)]) async throws -> [String] {
            let response = try await world.ec2B.query(action: "DescribeSecurityGroups", parameters: parameters)
            let root = try XMLNode.parse(response.raw.body)
            return (root.child("securityGroupInfo")?.children("item") ?? []).compactMap { $0.string("groupId") }
        }
        #expect(try await ids([("Filter.1.Name", "group-name"), ("Filter.1.Value.1", "reporting")]) == ["sg-0123456789abcdef0"])
        #expect(try await ids([("Filter.1.Name", "group-name"), ("Filter.1.Value.1", "rep*")]) == ["sg-0123456789abcdef0"])
        let inProduct = try await ids([("Filter.1.Name", "vpc-id"), ("Filter.1.Value.1", "vpc-0product")])
        // The seeded group and the VPC's default group.
        #expect(inProduct.count == 2)
        #expect(inProduct.contains("sg-0abc"))
        #expect(
            try await ids([
                ("Filter.1.Name", "vpc-id"), ("Filter.1.Value.1", "vpc-0product"), ("Filter.2.Name", "group-name"),
                ("Filter.2.Value.1", "default"),
            ]).count == 1)
        #expect(try await ids([("Filter.1.Name", "group-name"), ("Filter.1.Value.1", "nothing-like-it")]).isEmpty)

        let invalid = try await #require(throws: AWSError.self) {
            try await world.ec2B.query(
                action: "DescribeSecurityGroups", parameters: [("Filter.1.Name", "colour"), ("Filter.1.Value.1", "red")])
        }
        #expect(invalid.code == "InvalidParameterValue")
    }

    @Test func securityGroupByNameLooksInTheDefaultVpcOnly() async throws {
        let world = try Accounts()
        let response = try await world.ec2B.query(action: "DescribeSecurityGroups", parameters: [("GroupName.1", "default")])
        let item = try #require(try XMLNode.parse(response.raw.body).child("securityGroupInfo")?.children("item").first)
        #expect(item.string("groupName") == "default")
        #expect(item.string("groupDescription") == "default VPC security group")

        // `reporting` lives in a non-default VPC: by name it is not found.
        let error = try await #require(throws: AWSError.self) {
            try await world.ec2B.query(action: "DescribeSecurityGroups", parameters: [("GroupName.1", "reporting")])
        }
        #expect(error.code == "InvalidGroup.NotFound")
    }

    @Test func securityGroupPagesFollowNextToken() async throws {
        let world = try Accounts()
        var seen: [String] = []
        var token: String?
        repeat {
            var parameters = [("MaxResults", "5")]
            if let token { parameters.append(("NextToken", token)) }
            let root = try XMLNode.parse(try await world.ec2B.query(action: "DescribeSecurityGroups", parameters: parameters).raw.body)
            seen += (root.child("securityGroupInfo")?.children("item") ?? []).compactMap { $0.string("groupId") }
            token = root.string("nextToken")
        } while token != nil
        let all = try XMLNode.parse(try await world.ec2B.query(action: "DescribeSecurityGroups", parameters: []).raw.body)
        #expect(seen == (all.child("securityGroupInfo")?.children("item") ?? []).compactMap { $0.string("groupId") })
        #expect(seen.count == 5)  // two seeded, and the default groups of the default VPC, vpc-0product and vpc-0other

        let combined = try await #require(throws: AWSError.self) {
            try await world.ec2B.query(action: "DescribeSecurityGroups", parameters: [("MaxResults", "5"), ("GroupId.1", "sg-0abc")])
        }
        #expect(combined.code == "InvalidParameterCombination")
    }

    @Test func dryRunAnswersDryRunOperation() async throws {
        let world = try Accounts()
        let error = try await #require(throws: AWSError.self) {
            try await world.ec2B.query(action: "DescribeSecurityGroups", parameters: [("DryRun", "true")])
        }
        #expect(error.code == "DryRunOperation")
        #expect(error.httpStatus == 412)
    }

    // MARK: - Accounts

    @Test func eachAccountSeesOnlyItsOwnNetwork() async throws {
        let world = try Accounts()
        let subnet = try await #require(throws: AWSError.self) {
            try await world.rdsA.query(action: "DescribeDBSubnetGroups", parameters: [("DBSubnetGroupName", "admin-private")])
        }
        #expect(subnet.code == "DBSubnetGroupNotFoundFault")
        let parameter = try await #require(throws: AWSError.self) {
            try await world.rdsA.query(action: "DescribeDBParameterGroups", parameters: [("DBParameterGroupName", "admin-mysql80")])
        }
        #expect(parameter.code == "DBParameterGroupNotFound")
        let group = try await #require(throws: AWSError.self) {
            try await world.ec2A.query(action: "DescribeSecurityGroups", parameters: [("GroupId.1", "sg-0123456789abcdef0")])
        }
        #expect(group.code == "InvalidGroup.NotFound")
        // B's short seeded ID means nothing in A, where it is judged by AWS's form.
        let short = try await #require(throws: AWSError.self) {
            try await world.ec2A.query(action: "DescribeSecurityGroups", parameters: [("GroupId.1", "sg-0abc")])
        }
        #expect(short.code == "InvalidGroupId.Malformed")

        // A sees its own default VPC's group and nothing of B's.
        let root = try XMLNode.parse(try await world.ec2A.query(action: "DescribeSecurityGroups", parameters: []).raw.body)
        let owners = Set((root.child("securityGroupInfo")?.children("item") ?? []).compactMap { $0.string("ownerId") })
        #expect(owners == [W.a])
        #expect(world.simulator.requests { $0.service == "ec2" }.allSatisfy { $0.operation == "DescribeSecurityGroups" })
    }

    @Test func ec2AuthFailuresUseEC2Codes() async throws {
        let world = try Accounts()
        let stranger = AWSClient(
            service: Self.ec2, region: W.region,
            credentials: StaticCredentialProvider(AWSCredentials(accessKeyId: "AKIANOBODYKNOWS00001", secretAccessKey: "x")),
            transport: SimulatorTransport(world.simulator), retry: .init(maxAttempts: 1), now: { world.simulator.clock.now() },
            sleep: { _ in })
        let error = try await #require(throws: AWSError.self) {
            try await stranger.query(action: "DescribeSecurityGroups", parameters: [])
        }
        #expect(error.code == "AuthFailure")
        #expect(error.httpStatus == 401)
    }
}
