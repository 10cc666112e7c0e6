import AWSClient
import AWSServices
import AWSSimulator
import Audit
import Foundation
import Journal
import Runbook
import Steps
import TestSupport
import Testing

@testable import Engine

/// Issue 17: a versioned bucket keeps its history through `s3.copy-objects` and the same-name
/// move — every version and delete marker per key, in order — verified chain by chain, with the
/// old → new version IDs in the audit log; `versions: current` only when written.
@Suite struct S3VersionHistoryTests {
    /// One key's history as written to the source: a body per version, nil for a delete marker.
    typealias History = [String: [Data?]]

    /// A versioned source: `logo.png` v1 v2 ✕ v3, `gone.txt` v1 ✕ (deleted now), `one.css` v1,
    /// `back.txt` ✕ v1 (a marker first: a delete of a key that did not exist yet).
    @discardableResult
    static func seedHistory(_ world: S3TestWorld, bucket: String = "admin-images") throws -> History {
        try world.simulator.seedBucket(bucket, account: S3TestWorld.legacy, versioning: .enabled)
        let history: History = [
            "logo.png": [Data("logo v1".utf8), Data("logo v2, longer".utf8), nil, Data("logo v3".utf8)],
            "gone.txt": [Data("gone v1".utf8), nil],
            "one.css": [Data("body{}".utf8)],
            "back.txt": [nil, Data("back v1".utf8)],
        ]
        // Interleave keys over time so per-key order cannot come from global time order alone.
        for round in 0..<4 {
            for key in history.keys.sorted() {
                guard let entries = history[key], round < entries.count else { continue }
                if let body = entries[round] {
                    try world.simulator.seedObject(
                        bucket: bucket, key: key, body: body,
                        write: S3ObjectWrite(contentType: "text/plain", tags: [S3TagPair(key: "round", value: String(round))]),
                        checksumSHA256: round % 2 == 0)
                } else {
                    try world.simulator.seedDeleteMarker(bucket: bucket, key: key)
                }
                world.fixture.clock.advance(by: 1)
            }
        }
        return history
    }

    /// The bucket's history per key as the simulator holds it (oldest first).
    static func historyOf(_ world: S3TestWorld, _ bucket: String, keys: some Sequence<String>) -> History {
        var found: History = [:]
        for key in keys {
            found[key] = world.simulator.objectVersions(bucket: bucket, key: key).map { version in
                guard !version.isDeleteMarker, case .bytes(let data) = version.body else { return nil }
                return data
            }
        }
        return found
    }

    static func moveRunbook(_ extra: String = "") -> String {
        """
        apiVersion: cutover/v1
        name: images-move
        region: us-east-1
        \(S3TestWorld.accountsYAML)
        steps:
          - id: move-images
            uses: s3.move-bucket
            with: { bucket: admin-images, from: legacy, to: product, staging: admin-images-staging,
                    forcedWait: 1h, recreate: { every: 10s, for: 5m }\(extra) }
        """
    }

    static func copyRunbook(_ extra: String = "", create: Bool = true) -> String {
        """
        apiVersion: cutover/v1
        name: images-precopy
        region: us-east-1
        \(S3TestWorld.accountsYAML)
        steps:
          - id: precopy
            uses: s3.copy-objects
            with: { from: { account: legacy, bucket: admin-images },
                    to: { account: product, bucket: admin-images-copy\(create ? ", create: true" : "") }\(extra) }
        """
    }

    /// Every version map entry the run journaled, per step.
    static func versionMap(_ world: S3TestWorld, _ run: RunExecutor) throws -> [String: [AWSCallRecord.VersionCopy]] {
        var map: [String: [AWSCallRecord.VersionCopy]] = [:]
        for (event, _) in try world.fixture.events(run.runId) {
            guard case .awsCall(let call) = event, let entries = call.call.versionMap else { continue }
            map[call.step, default: []] += entries
        }
        return map
    }

    // MARK: The move

    @Test func moveCarriesEveryVersionAndDeleteMarkerInOrder() async throws {
        let world = try S3TestWorld()
        let history = try Self.seedHistory(world)
        let run = try await world.start(Self.moveRunbook())
        #expect(await world.fixture.driver.drive(run, onIdle: S3TestWorld.approver) == .finished(.completed))

        #expect(world.simulator.bucket("admin-images")?.owner == S3TestWorld.product)
        #expect(world.simulator.bucket("admin-images")?.versioning == .enabled)
        #expect(world.simulator.bucket("admin-images-staging") == nil)
        #expect(Self.historyOf(world, "admin-images", keys: history.keys) == history)
        // New version IDs, tags carried per version.
        let logo = world.simulator.objectVersions(bucket: "admin-images", key: "logo.png")
        #expect(logo.filter { !$0.isDeleteMarker }.map { $0.write.tags.first?.value } == ["0", "1", "3"])

        let steps = await run.state.steps
        #expect(steps["move-images.copy-to-staging"]?.outputs["versions"] == "all")
        #expect(steps["move-images.copy-to-staging"]?.outputs["copiedDeleteMarkers"] == "3")
        #expect(steps["move-images.copy-to-staging"]?.outputs["copiedVersions"] == "6")
        #expect(steps["move-images.verify-final"]?.outputs["historyEntries"] == "9")
        #expect(steps["move-images.verify-staging"]?.outputs["deleteMarkers"] == "3")

        // The old → new mapping of both copies is in the journal, every entry once, in chain order.
        let map = try Self.versionMap(world, run)
        let toStaging = try #require(map["move-images.copy-to-staging"])
        #expect(toStaging.count == 9)
        #expect(Set(toStaging.map(\.versionId)).count == 9)
        let logoMap = toStaging.filter { $0.key == "logo.png" }.sorted { ($0.position ?? 0) < ($1.position ?? 0) }
        #expect(logoMap.map { $0.deleteMarker ?? false } == [false, false, true, false])
        #expect(logoMap.map(\.position) == [1, 2, 3, 4])
        #expect(map["move-images.copy-back"]?.count == 9)
        let finalIds = world.simulator.objectVersions(bucket: "admin-images", key: "logo.png").map(\.versionId)

        // And `audit export --version-map` writes them out.
        let records = try world.fixture.journal.records(stream: run.runId)
        let export = S3VersionMapExport(timeline: try AuditTimeline(records: records))
        #expect(export.rows.count == 18)
        #expect(export.csv.hasPrefix(S3VersionMapExport.header + "\n"))
        #expect(export.rows.first { $0.step == "move-images.copy-back" }?.source == "admin-images-staging")
        // Each key's rows in history order: the copy back's logo.png rows name the final versions, oldest first.
        let exportedLogo = export.rows.filter { $0.step == "move-images.copy-back" && $0.mapping.key == "logo.png" }
        #expect(exportedLogo.map(\.mapping.versionId) == finalIds)
        let stagingIds = Set(toStaging.map(\.versionId))
        #expect(exportedLogo.map(\.mapping.sourceVersionId).allSatisfy(stagingIds.contains))
    }

    @Test func suspendedSourceKeepsItsHistoryAndIsSuspendedAgain() async throws {
        let world = try S3TestWorld()
        let history = try Self.seedHistory(world)
        let plan = try world.plan(Self.moveRunbook())
        try await world.sessions(plan).s3("legacy").putBucketVersioning(
            bucket: "admin-images", S3VersioningConfiguration(status: "Suspended"))
        #expect(world.simulator.bucket("admin-images")?.versioning == .suspended)
        let run = try await world.start(Self.moveRunbook())
        #expect(await world.fixture.driver.drive(run, onIdle: S3TestWorld.approver) == .finished(.completed))
        #expect(Self.historyOf(world, "admin-images", keys: history.keys) == history)
        #expect(world.simulator.bucket("admin-images")?.versioning == .suspended)
    }

    @Test func versionsCurrentCopiesCurrentOnlyAndTellsTheApproversWhatIsDestroyed() async throws {
        let world = try S3TestWorld()
        try Self.seedHistory(world)
        let plan = try world.plan(Self.moveRunbook(", versions: current"))
        let empty = try #require(plan.steps.first { $0.id == "move-images.empty-source" })
        #expect(empty.title.contains("versions: current"))
        #expect(empty.title.contains("destroyed here for good"))
        let run = try await world.start(Self.moveRunbook(", versions: current"))
        #expect(await world.fixture.driver.drive(run, onIdle: S3TestWorld.approver) == .finished(.completed))
        let steps = await run.state.steps
        #expect(steps["move-images.copy-to-staging"]?.outputs["versions"] == "current")
        #expect(steps["move-images.verify-staging"]?.outputs["noncurrentVersions"] == "3")
        #expect(steps["move-images.verify-staging"]?.outputs["deleteMarkers"] == "3")
        // The approvers of the point of no return read the counts.
        let asked = try world.fixture.events(run.runId).compactMap { event, _ -> String? in
            guard case .approvalRequested(let request) = event, request.step == "move-images.empty-source" else { return nil }
            return request.message
        }
        let message = try #require(asked.first)
        #expect(
            message.contains("DESTROYS the history of admin-images: 3 noncurrent versions (29 bytes) and 3 delete markers"), "\(message)")
        #expect(message.hasPrefix("POINT OF NO RETURN"))
        // Only the current versions arrive: logo v3, one.css, back v1.
        #expect(world.simulator.objectVersions(bucket: "admin-images", key: "logo.png").count == 1)
        #expect(world.simulator.objectVersions(bucket: "admin-images", key: "gone.txt").isEmpty)
    }

    @Test func unversionedSourceStaysOneCopyObjectPerObject() async throws {
        let world = try S3TestWorld()
        try world.seedSource(count: 20)
        let run = try await world.start(Self.copyRunbook())
        #expect(await world.fixture.driver.drive(run) == .finished(.completed))
        #expect(world.requests("CopyObject").count == 20)
        #expect(world.requests("ListObjectVersions", on: "admin-images").isEmpty)
        #expect(world.requests("GetBucketVersioning").count == 1)
        #expect(await run.state.steps["precopy.copy"]?.outputs["versions"] == "current")
        #expect(world.simulator.bucket("admin-images-copy")?.versioning == .unversioned)
    }

    // MARK: s3.copy-objects

    @Test func repeatedCopyAddsOnlyTheNewHistoryNeverADuplicate() async throws {
        let world = try S3TestWorld()
        var history = try Self.seedHistory(world)
        let first = try await world.start(Self.copyRunbook())
        #expect(await world.fixture.driver.drive(first) == .finished(.completed))
        #expect(world.simulator.bucket("admin-images-copy")?.versioning == .enabled)
        #expect(Self.historyOf(world, "admin-images-copy", keys: history.keys) == history)

        // Life goes on in the source: a new version and a delete.
        try world.simulator.seedObject(bucket: "admin-images", key: "one.css", body: Data("body{color:red}".utf8))
        try world.simulator.seedDeleteMarker(bucket: "admin-images", key: "back.txt")
        history["one.css"]?.append(Data("body{color:red}".utf8))
        history["back.txt"]?.append(nil)
        let copies = world.requests("CopyObject").count
        let second = try await world.fixture.start(try world.plan(Self.copyRunbook()))
        #expect(await world.fixture.driver.drive(second) == .finished(.completed))
        #expect(world.requests("CopyObject").count == copies + 1)
        #expect(await second.state.steps["precopy.copy"]?.outputs["skipped"] == "9")
        #expect(Self.historyOf(world, "admin-images-copy", keys: history.keys) == history)
    }

    @Test func lostAnswersToVersionCopiesAreLookedUpNeverResent() async throws {
        // A CopyObject or DeleteObject that landed but whose answer was cut off must not be sent
        // again: that would add a second version (or marker). The copier lists the key instead.
        let world = try S3TestWorld()
        let history = try Self.seedHistory(world)
        for operation in ["CopyObject", "DeleteObject"] {
            _ = try world.simulator.faults.addRule(
                FaultRule(
                    service: "s3", operation: operation, resourcePrefix: "admin-images-copy", effect: .resetAfter(bodyBytes: 8),
                    trigger: .requests(2...2)))
        }
        let run = try await world.start(Self.copyRunbook())
        #expect(await world.fixture.driver.drive(run) == .finished(.completed))
        for operation in ["CopyObject", "DeleteObject"] {
            let sent = world.requests(operation)
            #expect(sent.filter(\.injected).count == 1, "\(operation): the lost answer was not exercised")
        }
        #expect(world.requests("CopyObject").count == 6)
        #expect(world.requests("DeleteObject").count == 3)
        #expect(await run.state.steps["precopy.copy"]?.outputs["relisted"] == "2")
        #expect(Self.historyOf(world, "admin-images-copy", keys: history.keys) == history)
    }

    @Test func aNoncurrentVersionAbove5GiBIsCopiedByPartsOfThatVersion() async throws {
        let world = try S3TestWorld()
        try world.simulator.seedBucket("admin-images", account: S3TestWorld.legacy, versioning: .enabled)
        let size: Int64 = 6 * 1024 * 1024 * 1024
        try world.simulator.seedSyntheticObject(
            bucket: "admin-images", key: "video/big.mp4", size: size,
            write: S3ObjectWrite(contentType: "video/mp4", tags: [S3TagPair(key: "kind", value: "video")]))
        world.fixture.clock.advance(by: 1)
        try world.simulator.seedObject(bucket: "admin-images", key: "video/big.mp4", body: Data("now small".utf8))
        let run = try await world.start(Self.copyRunbook())
        #expect(await world.fixture.driver.drive(run) == .finished(.completed))
        #expect(world.requests("UploadPartCopy").count == 12)
        let copies = world.simulator.objectVersions(bucket: "admin-images-copy", key: "video/big.mp4")
        #expect(copies.count == 2)
        #expect(copies.first?.size == size)
        #expect(copies.first?.write.contentType == "video/mp4")
        #expect(copies.first?.write.tags == [S3TagPair(key: "kind", value: "video")])
        #expect(copies.last?.body == .bytes(Data("now small".utf8)))
        let map = try Self.versionMap(world, run)["precopy.copy"] ?? []
        #expect(map.sorted { ($0.position ?? 0) < ($1.position ?? 0) }.map(\.versionId) == copies.map(\.versionId))
    }

    @Test func historyIntoAnUnversionedBucketTheRunDidNotCreateIsRefused() async throws {
        let world = try S3TestWorld()
        try Self.seedHistory(world)
        try world.simulator.seedBucket("admin-images-copy", account: S3TestWorld.product)
        try world.simulator.setBucketPolicy("admin-images-copy", S3VersionHistoryTests.writePolicy)
        let run = try await world.start(Self.copyRunbook(create: false))
        _ = await world.fixture.driver.drive(run)
        let step = await run.state.steps["precopy.copy"]
        #expect(step?.lastError?.code == "DestinationNotVersioned")
        #expect(step?.lastError?.message.contains("versions: current") == true)
        #expect(world.requests("CopyObject").isEmpty)
    }

    @Test func aCopyWhoseHistoryDivergedStopsWithoutMirror() async throws {
        let world = try S3TestWorld()
        try Self.seedHistory(world)
        try world.simulator.seedBucket("admin-images-copy", account: S3TestWorld.product, versioning: .enabled)
        try world.simulator.setBucketPolicy("admin-images-copy", S3VersionHistoryTests.writePolicy)
        try world.simulator.seedObject(bucket: "admin-images-copy", key: "logo.png", body: Data("someone else's".utf8))
        let run = try await world.start(Self.copyRunbook(create: false))
        _ = await world.fixture.driver.drive(run)
        let error = await run.state.steps["precopy.copy"]?.lastError
        #expect(error?.code == "HistoryDiverged")
        #expect(error?.message.contains("logo.png") == true)
        #expect(world.simulator.objectVersions(bucket: "admin-images-copy", key: "logo.png").count == 1)
    }

    @Test func verificationComparesTheWholeChain() async throws {
        let world = try S3TestWorld()
        try Self.seedHistory(world)
        let run = try await world.start(Self.copyRunbook())
        #expect(await world.fixture.driver.drive(run) == .finished(.completed))

        let plan = try world.plan(Self.moveRunbook())
        var step = try #require(plan.steps.first { $0.id == "move-images.verify-staging" })
        step.inputs = .object([
            ("from", .object([("account", .string("legacy")), ("bucket", .string("admin-images"))])),
            ("to", .object([("account", .string("product")), ("bucket", .string("admin-images-copy"))])),
            ("versions", .string("all")), ("sha256", .bool(true)),
        ])
        let executor = try #require(S3Steps.executors(sessions: world.sessions(plan), tuning: world.tuning)[S3PrimitiveType.verifyObjects])
        let context = StepContext(
            runId: "run-verify", step: step, attempt: 1, phase: .forward, clock: world.fixture.clock, plan: plan, outputs: [:],
            decision: nil, sink: S3BatchCopyUndoTests.Sink())
        guard case .done(let outputs) = try await executor.run(context) else {
            Issue.record("not done")
            return
        }
        #expect(outputs["historyEntries"] == "9")
        #expect(outputs["comparedBySHA256"] == "6")

        // A marker more in the copy: same current state for a reader of one key, another history.
        try world.simulator.seedDeleteMarker(bucket: "admin-images-copy", key: "one.css")
        try world.simulator.seedObject(bucket: "admin-images-copy", key: "one.css", body: Data("body{}".utf8))
        do {
            _ = try await executor.run(context)
            Issue.record("verified a different history")
        } catch let error as StepError {
            #expect(error.code == "VerificationFailed")
            #expect(error.message.contains("one.css (1 versions and markers in"))
        }
    }

    @Test func preflightCountsVersionsMarkersAndBytes() async throws {
        let world = try S3TestWorld()
        try Self.seedHistory(world)
        let plan = try world.plan(Self.moveRunbook())
        let clock = world.fixture.clock
        let items = await S3Preflight(sessions: world.sessions(plan), now: { clock.now() }).run(plan)
        let history = try #require(items.first { $0.check == "source-history" })
        #expect(history.severity == .ok)
        #expect(
            history.detail.contains("6 versions (3 noncurrent, 29 bytes), 3 delete markers, 49 bytes in all versions"), "\(history.detail)")

        let current = try world.plan(Self.moveRunbook(", versions: current"))
        let warned = try #require(
            await S3Preflight(sessions: world.sessions(current), now: { clock.now() }).run(current).first { $0.check == "source-history" })
        #expect(warned.severity == .warning)
        #expect(warned.detail.contains("destroys 3 noncurrent versions (29 bytes) and 3 delete markers"))
    }

    // MARK: Plan

    @Test func batchOperationsWithVersionsAllIsRefusedAtPlanTime() throws {
        let world = try S3TestWorld()
        let yaml = Self.copyRunbook(
            ", versions: all, engine: batch-operations, batchRole: \"arn:aws:iam::222222222222:role/batch\", batchStaging: batch-staging")
        do {
            _ = try world.plan(yaml)
            Issue.record("planned")
        } catch let diagnostics as RunbookDiagnostics {
            let text = diagnostics.description
            #expect(text.contains("test.yaml:"))
            #expect(text.contains("batch-operations"))
            #expect(text.contains("per-object"))
        }
        let auto = try world.plan(
            Self.copyRunbook(
                ", engine: auto, batchRole: \"arn:aws:iam::222222222222:role/batch\", batchStaging: batch-staging"))
        #expect(auto.steps.last?.title.contains("per object whenever the history is copied") == true)
    }

    @Test func aBadVersionsValueNamesItsPlace() throws {
        let world = try S3TestWorld()
        do {
            _ = try world.plan(Self.moveRunbook(", versions: some"))
            Issue.record("planned")
        } catch let diagnostics as RunbookDiagnostics {
            #expect(diagnostics.description.contains("`with.versions` must be `all` or `current`"))
        }
    }

    static let writePolicy = """
        {"Version":"2012-10-17","Statement":[{"Sid":"CutoverCopy","Effect":"Allow",
         "Principal":{"AWS":"arn:aws:iam::111111111111:root"},
         "Action":["s3:PutObject","s3:PutObjectTagging","s3:ListBucket","s3:GetObject","s3:GetObjectTagging"],
         "Resource":["arn:aws:s3:::admin-images-copy","arn:aws:s3:::admin-images-copy/*"]}]}
        """
}
