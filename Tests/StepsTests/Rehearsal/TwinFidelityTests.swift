import AWSClient
import AWSSimulator
import Engine
import Foundation
import Runbook
import Steps
import TestSupport
import Testing

@testable import Rehearsal

/// Issue 20, bucket fidelity: world A built by hand → discovery (read-only) → twin world B → the
/// same discovery, preflight findings and step outcomes. A bucket with an S3 Inventory is profiled
/// from its report (streamed: ranged reads, gzip and CSV parsed as they arrive), not its listing,
/// and the twin keeps the inventory; storage classes, tags and ACL grants reach the twin's objects;
/// a malformed report falls back to the listing with a finding.
@Suite struct TwinFidelityTests {
    static let inventoryBucket = "admin-inventory"

    /// AdminConsoleWorld plus `archive/` objects in GLACIER and STANDARD_IA (two tagged) and a
    /// daily inventory of admin-images into admin-inventory, written as 3 data files.
    static func inventoryWorld() throws -> AdminConsoleWorld {
        let world = try AdminConsoleWorld()
        try world.simulator.seedBucket(inventoryBucket, account: AdminConsoleWorld.legacy)
        for index in 0..<5 {
            let write = S3ObjectWrite(
                tags: index < 2 ? [S3TagPair(key: "keep", value: "yes")] : [], storageClass: index < 3 ? "GLACIER" : "STANDARD_IA")
            try world.simulator.seedObject(
                bucket: AdminConsoleWorld.bucket, key: "archive/\(index) old,\"quoted\".bin", body: Data(repeating: 7, count: 200 + index),
                write: write)
        }
        try world.simulator.seedInventory(
            bucket: AdminConsoleWorld.bucket,
            S3InventoryConfiguration(id: "daily-all", destinationBucket: inventoryBucket, destinationPrefix: "reports"), rowsPerFile: 4)
        return world
    }

    static func discover(
        _ plan: RunbookPlan, _ simulator: Simulator, _ base: StaticCredentialProvider, _ clock: ManualClock,
        chunk: Int64 = 64
    ) async -> TwinInventory {
        var discovery = TwinDiscovery(
            plan: plan, sessions: TwinDiscoveryTests.sessions(plan, simulator: simulator, base: base, clock: clock))
        discovery.inventoryReadChunk = chunk
        return await discovery.discover()
    }

    /// A fresh simulator seeded from the twin file alone, and the operator's credentials there.
    static func twin(_ inventory: TwinInventory, region: String, clock: ManualClock) throws -> (Simulator, StaticCredentialProvider) {
        let json = try TwinWorld(inventory).json()
        let twin = Simulator(
            configuration: SimConfiguration(
                region: region, bucketNameHold: 3600,
                rds: RDSTimings(
                    instanceCreating: 60, instanceBackingUp: 60, instanceModifying: 60, instanceDeleting: 60,
                    snapshotCreating: 60, snapshotCopying: 60)),
            clock: SharedSimClock(clock))
        let applied = try JSONDecoder().decode(SimWorldSeed.self, from: json).apply(to: twin)
        let key = try #require(applied.keys.first { $0.userName == TwinWorld.operatorUser })
        return (twin, StaticCredentialProvider(AWSCredentials(accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey)))
    }

    static func writes(_ simulator: Simulator, after sequence: Int) -> Set<String> {
        Set(simulator.requestLog.filter { $0.sequence > sequence && !TwinDiscovery.readOperations.contains($0.operation) }.map(\.operation))
    }

    @Test func anInventoryReportReplacesTheListingAndTheTwinKeepsIt() async throws {
        let plan = try AdminConsoleWorld.plan()
        let original = try Self.inventoryWorld()
        let before = original.simulator.requestLog.last?.sequence ?? 0
        let inventory = await Self.discover(plan, original.simulator, original.base, original.fixture.clock)

        // Read-only, and the bucket itself was not listed: its report was read instead.
        #expect(Self.writes(original.simulator, after: before).isEmpty)
        #expect(inventory.problems.isEmpty, "\(inventory.problems)")
        let made = original.simulator.requestLog.filter { $0.sequence > before }
        #expect(!made.contains { $0.operation == "ListObjectsV2" && $0.resource == AdminConsoleWorld.bucket })
        #expect(made.contains { $0.operation == "ListBucketInventoryConfigurations" })
        #expect(made.filter { $0.operation == "GetObject" }.count > 3, "the data files are read in ranges")
        let images = try #require(inventory.buckets.first { $0.name == AdminConsoleWorld.bucket })
        let report = try #require(images.inventoryReport)
        #expect(report.dataFiles == 3 && report.rows == 9)
        #expect(report.created == AdminConsoleWorld.start)
        #expect(inventory.findings?.contains { $0.contains("S3 Inventory report daily-all") && $0.contains("an estimate") } == true)
        // The same figures a listing gives.
        let keys = original.simulator.bucket(AdminConsoleWorld.bucket)?.keys ?? []
        #expect(images.profile?.objects == 9)
        #expect(
            images.profile?.bytes
                == keys.reduce(0) { $0 + (original.simulator.object(bucket: AdminConsoleWorld.bucket, key: $1)?.size ?? 0) })
        let archive = try #require(images.profile?.groups.first { $0.prefix == "archive/" })
        #expect(archive.storageClasses == ["GLACIER": 3, "STANDARD_IA": 2])
        #expect(archive.sizeSample == [200, 201, 202, 203, 204])
        let sample = try #require(images.objectSample)
        #expect(sample.prefixes.first { $0.prefix == "archive/" }?.tagged == 2)
        #expect(sample.prefixes.first { $0.prefix == "images/" }?.tagged == 4)
        #expect(!sample.aclsRead, "ACLs are disabled on admin-images: no GetObjectAcl")

        // World B from the twin file: the inventory and its report are there, and discovery of B
        // finds the same bucket through its report.
        let fixture = try EngineFixture(now: AdminConsoleWorld.start, inMemoryFilesystem: true)
        let (twin, base) = try Self.twin(inventory, region: AdminConsoleWorld.region, clock: fixture.clock)
        #expect(twin.bucket(Self.inventoryBucket)?.owner == AdminConsoleWorld.legacy)
        let rediscovered = await Self.discover(plan, twin, base, fixture.clock)
        #expect(rediscovered.problems.isEmpty, "\(rediscovered.problems)")
        let twinImages = try #require(rediscovered.buckets.first { $0.name == AdminConsoleWorld.bucket })
        #expect(twinImages.inventoryReport?.rows == 9)
        #expect(twinImages.profile?.objects == images.profile?.objects)
        #expect(twinImages.profile?.bytes == images.profile?.bytes)
        #expect(twinImages.profile?.groups.map(\.prefix) == images.profile?.groups.map(\.prefix))
        #expect(twinImages.profile?.groups.map(\.storageClasses) == images.profile?.groups.map(\.storageClasses))
        #expect(twinImages.objectSample?.prefixes.map(\.tagged) == sample.prefixes.map(\.tagged))
        #expect(twinImages.configurationDocuments == images.configurationDocuments)

        // The same run on both.
        let onOriginal = try await TwinDiscoveryTests.run(
            plan, fixture: original.fixture, simulator: original.simulator, base: original.base)
        let onTwin = try await TwinDiscoveryTests.run(plan, fixture: fixture, simulator: twin, base: base)
        #expect(onOriginal.end == .finished(.completed))
        #expect(onTwin.end == onOriginal.end)
        #expect(onTwin.steps == onOriginal.steps)
        let twinKeys = twin.bucket(AdminConsoleWorld.bucket)?.keys ?? []
        #expect(twinKeys.filter { twin.object(bucket: AdminConsoleWorld.bucket, key: $0)?.write.storageClass == "GLACIER" }.count == 3)
    }

    @Test(arguments: ["not-gzip", "truncated", "manifest"])
    func aMalformedInventoryReportFallsBackToTheListing(_ damage: String) async throws {
        let plan = try AdminConsoleWorld.plan()
        let world = try Self.inventoryWorld()
        let files = world.simulator.bucket(Self.inventoryBucket)?.keys ?? []
        let dataFile = try #require(files.first { $0.hasSuffix(".csv.gz") })
        switch damage {
        case "not-gzip":
            try world.simulator.seedObject(bucket: Self.inventoryBucket, key: dataFile, body: Data("\"admin-images\",\"x\"\n".utf8))
        case "truncated":
            guard case .bytes(let whole)? = world.simulator.object(bucket: Self.inventoryBucket, key: dataFile)?.body else {
                Issue.record("the data file holds no bytes")
                return
            }
            try world.simulator.seedObject(bucket: Self.inventoryBucket, key: dataFile, body: whole.prefix(whole.count - 9))
        default:
            let manifest = try #require(files.first { $0.hasSuffix("manifest.json") })
            try world.simulator.seedObject(bucket: Self.inventoryBucket, key: manifest, body: Data("{\"fileFormat\": \"CSV\"".utf8))
        }
        let before = world.simulator.requestLog.last?.sequence ?? 0
        let inventory = await Self.discover(plan, world.simulator, world.base, world.fixture.clock)

        #expect(inventory.problems.isEmpty, "a bad report is not a gap: \(inventory.problems)")
        let finding = try #require(inventory.findings?.first { $0.contains("could not be used") }, "\(inventory.findings ?? [])")
        #expect(finding.contains("daily-all") && finding.contains("listed instead"))
        let images = try #require(inventory.buckets.first { $0.name == AdminConsoleWorld.bucket })
        #expect(images.inventoryReport == nil)
        #expect(images.profile?.objects == 9, "the listing's figures")
        #expect(
            world.simulator.requestLog.contains {
                $0.sequence > before && $0.operation == "ListObjectsV2" && $0.resource == AdminConsoleWorld.bucket
            })
        #expect(Self.writes(world.simulator, after: before).isEmpty)
    }

    @Test func objectACLsAndTagsReachTheTwinSoItsPreflightBlocksTheSame() async throws {
        let world = try S3TestWorld()
        try S3MoveObjectACLTests.seedLegacy(world, blockPublicAcls: true)
        let plan = try world.plan(S3TestWorld.moveRunbook())
        let before = world.simulator.requestLog.last?.sequence ?? 0
        let inventory = await Self.discover(plan, world.simulator, world.base, world.fixture.clock)
        #expect(Self.writes(world.simulator, after: before).isEmpty)
        #expect(inventory.problems.isEmpty, "\(inventory.problems)")
        let sample = try #require(inventory.buckets.first { $0.name == "admin-images" }?.objectSample)
        #expect(sample.aclsRead && sample.publicObjects == 2 && sample.otherAccounts == 1)

        let fixture = try EngineFixture(inMemoryFilesystem: true)
        let (twin, base) = try Self.twin(inventory, region: "us-east-1", clock: fixture.clock)
        let clock = world.fixture.clock
        let onOriginal = await S3Preflight(sessions: world.sessions(plan), now: { clock.now() }).run(plan)
        let twinSessions = TwinDiscoveryTests.sessions(plan, simulator: twin, base: base, clock: fixture.clock)
        let onTwin = await S3Preflight(sessions: twinSessions, now: { fixture.clock.now() }).run(plan)

        func shape(_ items: [S3Preflight.Item]) -> [String] { items.map { "\($0.account ?? "-") \($0.check) \($0.severity)" } }
        #expect(shape(onTwin) == shape(onOriginal))
        let blocker = try #require(onTwin.first { $0.check == "public-acls" })
        #expect(blocker.severity == .blocker && blocker.detail.hasPrefix("2 objects of admin-images are public"))
        func counts(_ items: [S3Preflight.Item]) -> String? {
            guard let detail = items.first(where: { $0.check == "object-acls" })?.detail,
                let range = detail.range(
                    of: #"\d+ objects carry ACL grants beyond the owner, \d+ of them public"#, options: .regularExpression)
            else { return nil }
            return String(detail[range])
        }
        #expect(counts(onTwin) != nil && counts(onTwin) == counts(onOriginal))
    }

    /// The restore's security group sits in another VPC than its subnet group: the twin keeps the
    /// two VPCs (not one per account), so the run stops at the same step with the same refusal.
    @Test func groupsInTwoVPCsStayInTwoVPCsAndTheRunStopsTheSame() async throws {
        let plan = try AdminConsoleWorld.plan()
        let original = try AdminConsoleWorld()
        original.simulator.seedRDSNetwork(account: AdminConsoleWorld.product, securityGroups: ["sg-0abc": "vpc-0other"])
        let before = original.simulator.requestLog.last?.sequence ?? 0
        let inventory = await Self.discover(plan, original.simulator, original.base, original.fixture.clock)
        #expect(Self.writes(original.simulator, after: before).isEmpty)
        #expect(inventory.problems.isEmpty, "\(inventory.problems)")
        #expect(inventory.groupVpcs?["product"] == ["admin-private": "vpc-0product", "sg-0abc": "vpc-0other"])

        let fixture = try EngineFixture(now: AdminConsoleWorld.start, inMemoryFilesystem: true)
        let (twin, base) = try Self.twin(inventory, region: AdminConsoleWorld.region, clock: fixture.clock)
        let rediscovered = await Self.discover(plan, twin, base, fixture.clock)
        #expect(rediscovered.groupVpcs == inventory.groupVpcs)

        let onOriginal = try await TwinDiscoveryTests.run(
            plan, fixture: original.fixture, simulator: original.simulator, base: original.base)
        let onTwin = try await TwinDiscoveryTests.run(plan, fixture: fixture, simulator: twin, base: base)
        #expect(onOriginal.steps["move-db.preflight"] == .failed)
        #expect(onTwin.end == onOriginal.end)
        // The bucket move runs in parallel with the failing database branch, so how far it got
        // before the run stopped depends on timing, not on the world: compare where and how the
        // run stopped (every step outside that branch, and which steps failed).
        let outsideTheBucketBranch = { (steps: [String: StepState.Status]) in steps.filter { !$0.key.hasPrefix("move-images.") } }
        #expect(outsideTheBucketBranch(onTwin.steps) == outsideTheBucketBranch(onOriginal.steps))
        let failed = { (steps: [String: StepState.Status]) in steps.filter { $0.value == .failed }.keys.sorted() }
        #expect(failed(onTwin.steps) == ["move-db.preflight"] && failed(onOriginal.steps) == ["move-db.preflight"])
    }

    @Test func theCSVReaderKeepsQuotesCommasAndNewlinesAcrossPieces() throws {
        let text = "\"b\",\"a%2Cb+c\",\"12\"\n\"b\",\"say \"\"hi\"\"\",\"3\"\r\n\"b\",\"two\nlines\",\"0\""
        var reader = InventoryCSVReader()
        var records: [[String]] = []
        for byte in Data(text.utf8) { try reader.feed(Data([byte])) { records.append($0) } }
        try reader.finish { records.append($0) }
        #expect(records == [["b", "a%2Cb+c", "12"], ["b", "say \"hi\"", "3"], ["b", "two\nlines", "0"]])
        #expect(TwinDiscovery.decodeInventoryKey("a%2Cb+c") == "a,b c")
        var bad = InventoryCSVReader()
        #expect(throws: InventoryCSVReader.Malformed.self) { try bad.feed(Data("\"a\"x,\n".utf8)) { _ in } }
        var open = InventoryCSVReader()
        try open.feed(Data("\"a,b".utf8)) { _ in }
        #expect(throws: InventoryCSVReader.Malformed.self) { try open.finish { _ in } }
    }
}
