import AWSSimulator
import Engine
import Foundation
import Runbook
import Steps
import TestSupport
import Testing

/// `plan --preflight` for a same-name move, against the simulator's two accounts: read-only
/// findings an operator can act on before the window.
@Suite struct S3PreflightTests {
    func preflight(_ world: S3TestWorld) async throws -> [S3Preflight.Item] {
        let plan = try world.plan(S3TestWorld.moveRunbook())
        let clock = world.fixture.clock
        let items = await S3Preflight(sessions: world.sessions(plan), now: { clock.now() }).run(plan)
        #expect(world.simulator.requests { $0.mutated }.isEmpty, "preflight changed something")
        return items
    }

    func item(_ items: [S3Preflight.Item], _ check: String) throws -> S3Preflight.Item {
        try #require(items.first { $0.check == check }, "no \(check) in \(items.map(\.check))")
    }

    @Test func aPlainBucketPassesWithItsObjectsCountedAndTheNameHoldWarned() async throws {
        let world = try S3TestWorld()
        try world.seedSource(count: 12, size: 100)
        let items = try await preflight(world)

        let objects = try item(items, "source-objects")
        #expect(objects.severity == .ok)
        // Sizes 100 + index % 7 for 12 objects.
        let bytes = (0..<12).reduce(0) { $0 + 100 + $1 % 7 }
        #expect(objects.detail.contains("holds 12 objects, 1.2 KiB"), "\(objects.detail) (\(bytes) bytes)")
        #expect(try item(items, "object-lock").severity == .ok)
        #expect(try item(items, "encryption").severity == .ok)
        let staging = try item(items, "staging-name")
        #expect(staging.severity == .ok)
        #expect(staging.detail == "admin-images-staging is free")
        let hold = try item(items, "bucket-name-hold")
        #expect(hold.severity == .warning)
        #expect(hold.detail.contains("48–72 h") && hold.detail.contains("any AWS account can take it"))
        #expect(!items.contains { $0.severity == .blocker })
    }

    @Test func objectLockWithALegalHoldBlocksTheMove() async throws {
        let world = try S3TestWorld()
        _ = try world.simulator.seedBucket("admin-images", account: S3TestWorld.legacy, objectLock: true)
        try world.simulator.seedObject(bucket: "admin-images", key: "contracts/a.pdf", body: Data("a".utf8))
        try world.simulator.seedObject(
            bucket: "admin-images", key: "contracts/held.pdf", body: Data("held".utf8), write: S3ObjectWrite(legalHold: true))
        let items = try await preflight(world)

        let lock = try item(items, "object-lock")
        #expect(lock.severity == .blocker)
        #expect(lock.detail.contains("1 versions on legal hold (e.g. contracts/held.pdf)"))
        #expect(lock.detail.contains("PutObjectLegalHold OFF"))
    }

    @Test func theAWSManagedS3KeyInTheDefaultEncryptionBlocksWithTheWayOut() async throws {
        let world = try S3TestWorld()
        let key = "arn:aws:kms:us-east-1:111111111111:alias/aws/s3"
        _ = try world.simulator.seedBucket(
            "admin-images", account: S3TestWorld.legacy,
            configurations: [
                .encryption: """
                <ServerSideEncryptionConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule>\
                <ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm>\
                <KMSMasterKeyID>\(key)</KMSMasterKeyID></ApplyServerSideEncryptionByDefault></Rule>\
                </ServerSideEncryptionConfiguration>
                """
            ])
        try world.simulator.seedObject(bucket: "admin-images", key: "a.jpg", body: Data("a".utf8))
        let items = try await preflight(world)

        let encryption = items.filter { $0.check == "encryption" }
        let blocker = try #require(encryption.first { $0.severity == .blocker })
        #expect(blocker.detail.contains(key))
        #expect(blocker.detail.contains("add it to `with.kmsKeyMap`"))
        let objects = try #require(encryption.first { $0.severity == .warning })
        #expect(objects.detail.contains("1 objects of admin-images are encrypted with the AWS managed aws/s3 key"))
    }

    @Test func aStagingNameOwnedByAnotherAccountBlocks() async throws {
        let world = try S3TestWorld()
        try world.seedSource(count: 2)
        _ = try world.simulator.seedBucket("admin-images-staging", account: S3TestWorld.squatter)
        let items = try await preflight(world)
        let staging = try item(items, "staging-name")
        #expect(staging.severity == .blocker)
        #expect(staging.detail.contains("belongs to another AWS account"))
    }

    @Test func aStagingBucketAlreadyInTheTargetIsUsed() async throws {
        let world = try S3TestWorld()
        try world.seedSource(count: 2)
        _ = try world.simulator.seedBucket("admin-images-staging", account: S3TestWorld.product)
        let staging = try item(try await preflight(world), "staging-name")
        #expect(staging.severity == .ok)
        #expect(staging.detail.contains("already exists in 222222222222"))
    }
}
