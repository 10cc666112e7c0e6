import AWSClient
import AWSSimulator
import Engine
import Foundation
import Runbook
import Steps
import TestSupport
import Testing

/// Issue 19: one CopyObject per ordinary object, counted from the simulator's request log; the
/// directives carry metadata, content headers and tags, the listing the storage class; HeadObject
/// and GetObjectTagging only where the listing cannot say enough; concurrency that halves on
/// SlowDown; verification without a request per object where the ETags prove equality.
@Suite struct S3CopyRequestsTests {
    static func runbook(with extra: String = "", maxConcurrency: Int? = nil) -> String {
        """
        apiVersion: cutover/v1
        name: images-precopy
        region: us-east-1
        \(S3TestWorld.accountsYAML)
        steps:
          - id: precopy
            uses: s3.copy-objects
            with: { from: { account: legacy, bucket: admin-images },
                    to:   { account: product, bucket: admin-images-staging, create: true }\(extra)\(maxConcurrency.map { ", maxConcurrency: \($0)" } ?? "") }
        """
    }

    /// S3 requests per operation in the log.
    static func operations(_ world: S3TestWorld) -> [String: Int] {
        var counts: [String: Int] = [:]
        for record in world.simulator.requests(where: { $0.service == "s3" }) { counts[record.operation, default: 0] += 1 }
        return counts
    }

    @Test func oneCopyObjectPerOrdinaryObjectCarriesMetadataTagsHeadersAndStorageClass() async throws {
        let world = try S3TestWorld()
        let count = 120
        try world.seedSource(count: count)
        let run = try await world.start(Self.runbook())
        #expect(await world.fixture.driver.drive(run) == .finished(.completed))

        let operations = Self.operations(world)
        #expect(operations["CopyObject"] == count, "\(operations)")
        #expect(operations["HeadObject"] == nil, "no HeadObject for ordinary objects: \(operations)")
        #expect(operations["GetObjectTagging"] == nil, "tags travel with the tagging directive: \(operations)")
        let all = operations.values.reduce(0, +)
        let perObject = Double(all) / Double(count)
        #expect(perObject <= 1.1, "\(perObject) S3 requests per object: \(operations)")
        let copies = world.requests("CopyObject")
        #expect(copies.allSatisfy { $0.status == 200 })

        for index in 0..<count {
            let key = "images/\(String(format: "%04d", index)).jpg"
            let original = try #require(world.simulator.object(bucket: "admin-images", key: key))
            let copy = try #require(world.simulator.object(bucket: "admin-images-staging", key: key), "\(key) missing")
            #expect(copy.body == original.body, "\(key)")
            #expect(copy.write.contentType == "image/jpeg" && copy.write.cacheControl == "max-age=60", "\(key)")
            #expect(copy.write.metadata == original.write.metadata, "\(key)")
            #expect(copy.write.tags == original.write.tags, "\(key)")
            #expect(copy.write.storageClass == original.write.storageClass, "\(key): \(copy.write.storageClass)")
            #expect(copy.checksums["SHA256"] != nil, "\(key): copied with a SHA-256 for verification")
        }
        let outputs = await run.state.steps["precopy.copy"]?.outputs ?? [:]
        #expect(outputs["copied"] == String(count))
        #expect(outputs["inspected"] == "0")
        // Successful copies are journaled in batches, each standing for its calls.
        let calls = await run.state.steps["precopy.copy"]?.awsCalls
        #expect(calls == count, "journaled calls \(calls ?? -1)")
    }

    @Test func secondPassListsAndCopiesNothingWhenNothingChanged() async throws {
        let world = try S3TestWorld()
        try world.seedSource(count: 50)
        let first = try await world.start(Self.runbook())
        #expect(await world.fixture.driver.drive(first) == .finished(.completed))
        let before = world.simulator.requests(where: { $0.service == "s3" }).count
        let second = try await world.fixture.start(try world.plan(Self.runbook()))
        #expect(await world.fixture.driver.drive(second) == .finished(.completed))
        let during = world.simulator.requests(where: { $0.service == "s3" }).dropFirst(before)
        #expect(
            !during.contains { ["CopyObject", "HeadObject", "GetObjectTagging"].contains($0.operation) },
            "\(Set(during.map(\.operation)))")
        #expect(await second.state.steps["precopy.copy"]?.outputs["skipped"] == "50")
    }

    @Test func fallbacksInspectOnlyWhereTheListingIsNotEnough() async throws {
        let world = try S3TestWorld()
        try world.seedSource(count: 6)
        // Above 5 GiB: UploadPartCopy, which carries neither metadata nor tags.
        try world.simulator.seedSyntheticObject(
            bucket: "admin-images", key: "video/big.mp4", size: 6 * 1024 * 1024 * 1024,
            write: S3ObjectWrite(contentType: "video/mp4", metadata: ["origin": "camera"], tags: [S3TagPair(key: "kind", value: "video")]))
        let run = try await world.start(Self.runbook())
        #expect(await world.fixture.driver.drive(run) == .finished(.completed))

        let heads = world.requests("HeadObject")
        #expect(heads.map(\.resource) == ["admin-images/video/big.mp4"], "HeadObject only for the big object")
        #expect(world.requests("GetObjectTagging").map(\.resource) == ["admin-images/video/big.mp4"])
        #expect(world.requests("CopyObject").count == 6)
        #expect(world.requests("UploadPartCopy").count == 12)
        let big = try #require(world.simulator.object(bucket: "admin-images-staging", key: "video/big.mp4"))
        #expect(big.write.contentType == "video/mp4" && big.write.metadata == ["origin": "camera"])
        #expect(big.write.tags == [S3TagPair(key: "kind", value: "video")])
        #expect(await run.state.steps["precopy.copy"]?.outputs["inspected"] == "1")
    }

    @Test func aWebsiteSourceIsInspectedSoRedirectsAreCarried() async throws {
        let world = try S3TestWorld()
        try world.simulator.seedBucket(
            "admin-images", account: S3TestWorld.legacy,
            configurations: [
                .website: "<WebsiteConfiguration><IndexDocument><Suffix>index.html</Suffix></IndexDocument></WebsiteConfiguration>"
            ])
        try world.simulator.seedObject(
            bucket: "admin-images", key: "old/page.html", body: Data("moved".utf8),
            write: S3ObjectWrite(contentType: "text/html", websiteRedirectLocation: "/new/page.html"))
        try world.simulator.seedObject(bucket: "admin-images", key: "new/page.html", body: Data("here".utf8))
        let run = try await world.start(Self.runbook())
        #expect(await world.fixture.driver.drive(run) == .finished(.completed))

        #expect(world.requests("HeadObject").count == 2)
        let copy = try #require(world.simulator.object(bucket: "admin-images-staging", key: "old/page.html"))
        #expect(copy.write.websiteRedirectLocation == "/new/page.html")
        #expect(copy.write.contentType == "text/html")
    }

    @Test func kmsKeyMapInspectsEachObjectForItsKey() async throws {
        let world = try S3TestWorld()
        try world.seedSource(count: 4)
        let run = try await world.start(
            Self.runbook(
                with: ", kmsKeyMap: { \"arn:aws:kms:us-east-1:111111111111:key/old\": \"arn:aws:kms:us-east-1:222222222222:key/new\" }"))
        #expect(await world.fixture.driver.drive(run) == .finished(.completed))
        #expect(world.requests("HeadObject").count == 4)
        #expect(world.requests("CopyObject").count == 4)
        #expect(world.requests("GetObjectTagging").isEmpty, "tags still travel with the directive")
    }

    @Test func concurrencyHalvesOnSlowDownFromTheSimulatorsFaults() async throws {
        let world = try S3TestWorld()
        try world.seedSource(count: 400, size: 64)
        // Every 25th CopyObject answered 503 SlowDown; the client's retries get every copy through.
        _ = try world.simulator.faults.addRule(FaultRule(service: "s3", operation: "CopyObject", effect: .throttling, trigger: .every(25)))
        let run = try await world.start(Self.runbook())
        #expect(await world.fixture.driver.drive(run) == .finished(.completed))

        let slowDowns = world.requests("CopyObject").filter { $0.injected && $0.errorCode == "SlowDown" }
        #expect(slowDowns.count >= 10)
        let outputs = await run.state.steps["precopy.copy"]?.outputs ?? [:]
        #expect(Int(outputs["throttled"] ?? "") ?? 0 > 0, "\(outputs)")
        #expect(Int(outputs["concurrencyHalvings"] ?? "") ?? 0 >= 1, "\(outputs)")
        #expect(Int(outputs["concurrencyFinal"] ?? "") ?? 64 <= 32, "halved from 64: \(outputs)")
        #expect(outputs["copied"] == "400")
    }

    /// A whole same-name move: two copies and two verifications, counted from the request log.
    static func moveRequests(
        verifySHA256: Bool, objects: Int
    ) async throws -> (perObject: Double, operations: [String: Int], world: S3TestWorld) {
        let world = try S3TestWorld()
        try world.seedSource(count: objects)
        let yaml = S3TestWorld.moveRunbook().replacingOccurrences(
            of: "recreate: { every: 10s, for: 5m } }", with: "recreate: { every: 10s, for: 5m }, verifySHA256: \(verifySHA256) }")
        let run = try await world.start(yaml)
        let stop = await world.fixture.driver.drive(run, onIdle: S3TestWorld.approver)
        #expect(stop == .finished(.completed))
        let operations = Self.operations(world)
        return (Double(operations.values.reduce(0, +)) / Double(objects), operations, world)
    }

    @Test func aWholeMoveVerifiesByListingsAndStaysUnderSixRequestsPerObject() async throws {
        let objects = 150
        let (perObject, operations, world) = try await Self.moveRequests(verifySHA256: false, objects: objects)
        #expect(operations["CopyObject"] == 2 * objects, "\(operations)")
        #expect(operations["HeadObject"] == nil, "equal ETags prove equality: \(operations)")
        #expect(operations["GetObject"] == nil, "\(operations)")
        #expect(perObject <= 2.5, "\(perObject) requests per object: \(operations)")
        #expect(world.simulator.bucket("admin-images")?.keys.count == objects)
    }

    @Test func verifySHA256ComparesEveryObjectByItsChecksumAsBefore() async throws {
        let objects = 30
        let (_, operations, world) = try await Self.moveRequests(verifySHA256: true, objects: objects)
        // Two verifications, a HeadObject on each side of every object.
        #expect(operations["HeadObject"] == 4 * objects, "\(operations)")
        let plan = try world.plan(S3TestWorld.moveRunbook())
        #expect(plan.step("move-images.verify-staging")?.inputs["sha256"]?.boolValue == false)
    }
}
