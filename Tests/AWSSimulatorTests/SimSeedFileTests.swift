import AWSServices
import AWSSimulator
import Foundation
import TestSupport
import Testing

/// `--seed-file`: the demo's world (Runbooks/demo/admin-console-world.json) loaded through the
/// same function the executable calls, then walked as cutoverd will walk it — its own key, the
/// two roles, the shared key, the network and the source database — and the errors a broken
/// file gets.
@Suite("SimSeedFile: the admin-console world from a file")
struct SimSeedFileTests {
    static let legacy = "111111111111"
    static let product = "222222222222"
    static let region = "ap-northeast-1"

    /// The repository's demo seed, found from this source file.
    static let demoWorld = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Runbooks/demo/admin-console-world.json").path

    static func simulator() -> Simulator {
        Simulator(configuration: SimConfiguration(region: region), clock: VirtualClock())
    }

    static func client(_ service: AWSService, _ credentials: AWSCredentials, _ simulator: Simulator) -> AWSClient {
        AWSClient(
            service: service, region: region, credentials: StaticCredentialProvider(credentials), transport: SimulatorTransport(simulator),
            retry: .init(maxAttempts: 1), now: { simulator.clock.now() }, sleep: { _ in })
    }

    @Test func demoWorldSeedsTheAdminConsoleCutover() async throws {
        let simulator = Self.simulator()
        let applied = try SimSeedFile.apply(Self.demoWorld, to: simulator)
        #expect(applied.accounts == [Self.legacy, Self.product])
        #expect(applied.roles.sorted() == ["arn:aws:iam::111111111111:role/CutoverSource", "arn:aws:iam::222222222222:role/CutoverTarget"])
        let key = try #require(applied.keys.first { $0.userName == "cutoverd" })
        #expect(key.account == Self.legacy)
        #expect(key.accessKeyId == "AKIACUTOVERDDEMO0001")
        #expect(simulator.account(id: Self.legacy)?.name == "legacy")
        #expect(simulator.account(id: Self.product)?.name == "product")

        // cutoverd's own key reaches both roles, the source one only with its external ID.
        let base = AWSCredentials(accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey)
        let sts = STSClient(client: Self.client(.sts, base, simulator))
        let source = try await sts.assumeRole(
            .init(roleArn: "arn:aws:iam::111111111111:role/CutoverSource", roleSessionName: "cutoverd", externalId: "admin-console-cutover")
        )
        let target = try await sts.assumeRole(.init(roleArn: "arn:aws:iam::222222222222:role/CutoverTarget", roleSessionName: "cutoverd"))
        await #expect(throws: AWSError.self) {
            try await sts.assumeRole(.init(roleArn: "arn:aws:iam::111111111111:role/CutoverSource", roleSessionName: "cutoverd"))
        }

        // The source database, encrypted with the legacy key the seed created and named by alias.
        let rdsLegacy = RDSClient(client: Self.client(.rds, source.credentials, simulator))
        let instance = try #require(try await rdsLegacy.describeDBInstances(.init(instanceIdentifier: "admin-db")).items.first)
        #expect(instance.status == "available")
        #expect(instance.engine == "mysql")
        let legacyKey = try #require(simulator.kmsKeys(account: Self.legacy).first { $0.manager == .customer })
        #expect(instance.kmsKeyId == legacyKey.arn)
        #expect(legacyKey.region == Self.region)
        #expect(simulator.kmsSnapshotAccess(keyArn: legacyKey.arn, account: Self.product).isAllowed)
        let targetKey = simulator.withState { $0.kms.resolve("alias/admin-db", account: Self.product, region: Self.region, now: Date()) }
        #expect(targetKey?.account == Self.product)

        // The product network, through the lookups the RDS preflight makes.
        let rdsProduct = Self.client(.rds, target.credentials, simulator)
        let groups = try await rdsProduct.query(action: "DescribeDBSubnetGroups", parameters: [("DBSubnetGroupName", "admin-private")])
        let vpc = try #require(groups.result.list("DBSubnetGroups", member: "DBSubnetGroup").first?.string("VpcId"))
        let ec2 = Self.client(SimPlacementLookupTests.ec2, target.credentials, simulator)
        let securityGroups = try XMLNode.parse(
            try await ec2.query(action: "DescribeSecurityGroups", parameters: [("GroupId.1", "sg-0abc")]).raw.body)
        #expect(securityGroups.child("securityGroupInfo")?.children("item").first?.string("vpcId") == vpc)

        // The images: ~3,000 objects of mixed sizes, all tagged, in the demo region.
        let bucket = try #require(simulator.bucket("admin-images"))
        #expect(bucket.owner == Self.legacy)
        #expect(bucket.region == Self.region)
        #expect(bucket.keys.count == 3000)
        let sizes = Set(bucket.keys.compactMap { bucket.current($0)?.size })
        #expect(sizes.count >= 3)
        #expect(
            bucket.keys.allSatisfy { bucket.current($0)?.write.tags.contains { $0.key == "app" && $0.value == "admin-console" } == true })
    }

    @Test func unreadableFileSaysSo() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-seed-\(UUID().uuidString).json").path
        let error = try #require(throws: SimSeedFileError.self) { try SimSeedFile.apply(path, to: Self.simulator()) }
        #expect(error.stage == .read)
        #expect(error.description.contains(path))
    }

    @Test func malformedDocumentNamesWhereItIsWrong() throws {
        let path = try Self.write(#"{"accounts": [{"id": "111111111111"}]}"#)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = try #require(throws: SimSeedFileError.self) { try SimSeedFile.apply(path, to: Self.simulator()) }
        #expect(error.stage == .parse)
        #expect(error.code == "MalformedJSON")
        #expect(error.message.contains("name"))
    }

    @Test func rejectedEntryStopsSeedingAndSaysWhatWasApplied() throws {
        let path = try Self.write(
            #"{"accounts": [{"id": "111111111111", "name": "legacy"}], "rds": {"instances": [{"account": "111111111111", "identifier": "admin-db", "storageEncrypted": true, "kmsKeyId": "alias/not-created"}]}}"#
        )
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = try #require(throws: SimSeedFileError.self) { try SimSeedFile.apply(path, to: Self.simulator()) }
        #expect(error.stage == .apply)
        #expect(error.code == "KMSKeyNotAccessibleFault")
        #expect(error.description.contains("1 accounts"))
    }

    static func write(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("seed-\(UUID().uuidString).json").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }
}
