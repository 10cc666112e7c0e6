import AWSClient
import AWSSimulator
import Engine
import Foundation
import Runbook
import Steps
import TestSupport
import Testing

/// `s3.copy-objects`: the pre-copy before the window and the copy engine itself.
@Suite struct S3CopyObjectsTests {
    static func copyRunbook(concurrency: Int = 64, stepId: String = "precopy") -> String {
        """
        apiVersion: cutover/v1
        name: images-precopy
        region: us-east-1
        \(S3TestWorld.accountsYAML)
        window: { start: "2026-12-01T01:00:00Z", end: "2026-12-01T05:00:00Z" }
        steps:
          - id: \(stepId)
            uses: s3.copy-objects
            with: { from: { account: legacy, bucket: admin-images },
                    to:   { account: product, bucket: admin-images-staging, create: true }, concurrency: \(concurrency) }
        """
    }

    @Test func preCopyRunsOutsideTheWindowByDefault() throws {
        let world = try S3TestWorld()
        let plan = try world.plan(Self.copyRunbook())
        #expect(plan.steps.map(\.id) == ["precopy.ensure-target", "precopy.copy"])
        #expect(plan.steps.allSatisfy { $0.window == .any })
    }

    @Test func secondRunCopiesOnlyTheDelta() async throws {
        let world = try S3TestWorld()
        try world.seedSource(count: 60)
        let first = try await world.start(Self.copyRunbook())
        #expect(await world.fixture.driver.drive(first) == .finished(.completed))
        #expect(world.requests("CopyObject").count == 60)
        #expect(await first.state.steps["precopy.copy"]?.outputs["copied"] == "60")

        // The service keeps writing: 3 objects change, 2 are new.
        for key in ["images/0001.jpg", "images/0002.jpg", "images/0003.jpg", "images/new-a.jpg", "images/new-b.jpg"] {
            try world.simulator.seedObject(
                bucket: "admin-images", key: key, body: Data("changed \(key)".utf8),
                write: S3ObjectWrite(tags: [S3TagPair(key: "team", value: "admin")]), checksumSHA256: true)
        }
        let second = try await world.fixture.start(try world.plan(Self.copyRunbook()))
        #expect(await world.fixture.driver.drive(second) == .finished(.completed))

        #expect(world.requests("CopyObject").count == 65)
        let outputs = await second.state.steps["precopy.copy"]?.outputs ?? [:]
        #expect(outputs["copied"] == "5")
        #expect(outputs["skipped"] == "57")
        let changed = try #require(world.simulator.object(bucket: "admin-images-staging", key: "images/0002.jpg"))
        #expect(changed.body == .bytes(Data("changed images/0002.jpg".utf8)))
        #expect(changed.write.tags == [S3TagPair(key: "team", value: "admin")])
    }

    @Test func throttlingAndServerErrorsDuringTheCopyStillComplete() async throws {
        let world = try S3TestWorld()
        let bodies = try world.seedSource(count: 80)
        _ = try world.simulator.faults.addRule(
            FaultRule(
                service: "s3", operation: "CopyObject", effect: .throttling,
                trigger: .probability(0.3), seed: 7))
        _ = try world.simulator.faults.addRule(
            FaultRule(
                service: "s3", operation: "CopyObject", effect: .internalError,
                trigger: .probability(0.15), seed: 11))
        _ = try world.simulator.faults.addRule(
            FaultRule(
                service: "s3", operation: "HeadObject", effect: .internalError,
                trigger: .every(9)))
        let run = try await world.start(Self.copyRunbook())

        #expect(await world.fixture.driver.drive(run) == .finished(.completed))

        let injected = world.simulator.requests(where: { $0.injected }).count
        #expect(injected > 10)
        for (key, body) in bodies {
            #expect(world.simulator.object(bucket: "admin-images-staging", key: key)?.body == .bytes(body), "\(key)")
        }
        print("copy under faults: \(injected) injected SlowDown/500 answers, all \(bodies.count) objects copied")
    }

    /// Objects per second of the copy engine against the in-process simulator (printed, not asserted).
    @Test func copyEngineThroughput() async throws {
        let world = try S3TestWorld()
        let count = 2_000
        try world.seedSource(count: count, size: 1024)
        let run = try await world.start(Self.copyRunbook())
        let started = ContinuousClock.now
        #expect(await world.fixture.driver.drive(run) == .finished(.completed))
        let elapsed = ContinuousClock.now - started
        #expect(world.simulator.bucket("admin-images-staging")?.keys.count == count)
        // The copy's workers ran on the executor the transport offers (CurlTransport's I/O
        // thread in the daemon): every answered CopyObject resumed its worker there.
        #expect(world.executor.jobs >= count)
        let seconds = elapsed.timeInterval
        #if DEBUG
            let build = "debug"
        #else
            let build = "release"
        #endif
        print(
            "copy engine (\(build)): \(count) objects of ~1 KiB with tags in \(elapsed): "
                + "\(Int(Double(count) / seconds)) objects/s (one CopyObject each, concurrency from 64, journaled in batches)")
    }
}
