import AWSClient
import AWSServices
import AWSSimulator
import Foundation
import Journal
import Runbook
import Steps
import TestSupport
import Testing

@testable import Engine

/// Issue 17: every version of a versioned bucket keeps its own ACL across a history copy — the
/// same-name move (forward and the rollback after the point of no return), a direct copy, and a
/// noncurrent version above 5 GiB (CreateMultipartUpload carries its grants, not the current
/// version's). The source's ACLs are read once, in capture-config.
@Suite struct S3VersionACLTests {
    static var legacyId: String { S3State.canonicalUserId(S3TestWorld.legacy) }
    static var productId: String { S3State.canonicalUserId(S3TestWorld.product) }
    static var squatterId: String { S3State.canonicalUserId(S3TestWorld.squatter) }
    static let allUsersRead = S3ObjectGrant(.group(S3ObjectGrant.allUsers), "READ")

    /// `seedHistory` with ACLs enabled (ObjectWriter, no Block Public Access): logo.png v1
    /// (noncurrent) public-read, v2 (noncurrent) shared with a third account, v3 (current)
    /// private; gone.txt v1 (noncurrent, deleted now) public-read.
    static func seedGrantedHistory(_ world: S3TestWorld) throws -> S3VersionHistoryTests.History {
        let history = try S3VersionHistoryTests.seedHistory(world)
        world.simulator.setObjectOwnership(bucket: "admin-images", "ObjectWriter", blockPublicAccess: false)
        let owner = S3ObjectGrant(.canonicalUser(legacyId), "FULL_CONTROL")
        let logo = world.simulator.objectVersions(bucket: "admin-images", key: "logo.png").filter { !$0.isDeleteMarker }
        try world.simulator.setObjectGrants(bucket: "admin-images", key: "logo.png", versionId: logo[0].versionId, [owner, allUsersRead])
        try world.simulator.setObjectGrants(
            bucket: "admin-images", key: "logo.png", versionId: logo[1].versionId,
            [owner, S3ObjectGrant(.canonicalUser(squatterId), "READ")])
        let gone = world.simulator.objectVersions(bucket: "admin-images", key: "gone.txt").filter { !$0.isDeleteMarker }
        try world.simulator.setObjectGrants(bucket: "admin-images", key: "gone.txt", versionId: gone[0].versionId, [owner, allUsersRead])
        return history
    }

    /// The grants of each version (oldest first, markers left out) of `key` in `bucket`.
    static func versionGrants(_ world: S3TestWorld, _ bucket: String, _ key: String) -> [Set<S3ObjectGrant>] {
        world.simulator.objectVersions(bucket: bucket, key: key).filter { !$0.isDeleteMarker }.map {
            Set(world.simulator.objectACL(bucket: bucket, key: key, versionId: $0.versionId)?.grants ?? [])
        }
    }

    /// Each version carries its own grants, `owner`'s canonical ID as the bucket owner's.
    static func expectVersionACLs(_ world: S3TestWorld, owner: String, _ context: String = "") {
        let full = S3ObjectGrant(.canonicalUser(owner), "FULL_CONTROL")
        #expect(
            versionGrants(world, "admin-images", "logo.png") == [
                [full, allUsersRead], [full, S3ObjectGrant(.canonicalUser(squatterId), "READ")], [full],
            ], "\(context)")
        #expect(versionGrants(world, "admin-images", "gone.txt") == [[full, allUsersRead]], "\(context)")
        #expect(versionGrants(world, "admin-images", "one.css") == [[full]], "\(context)")
    }

    /// Only noncurrent versions are public (logo.png v1, gone.txt v1) and the source blocks
    /// public ACLs: the copied history would meet the same refusal in the target, so the
    /// preflight blocks, naming those versions; with `versions: current` they are not copied.
    @Test func preflightBlocksPublicNoncurrentVersionsTheTargetWouldRefuse() async throws {
        let world = try S3TestWorld()
        _ = try Self.seedGrantedHistory(world)
        world.simulator.setObjectOwnership(bucket: "admin-images", "ObjectWriter", blockPublicAccess: true)
        let clock = world.fixture.clock
        let plan = try world.plan(S3VersionHistoryTests.moveRunbook())
        let items = await S3Preflight(sessions: world.sessions(plan), now: { clock.now() }).run(plan)
        let blocker = try #require(items.first { $0.check == "public-acls" }, "\(items.map(\.check))")
        #expect(blocker.severity == .blocker)
        #expect(
            blocker.detail.contains("2 objects of admin-images are public through their ACLs (2 of them noncurrent versions"),
            "\(blocker.detail)")
        #expect(blocker.detail.contains("logo.png version"))

        let current = try world.plan(S3VersionHistoryTests.moveRunbook(", versions: current"))
        let currentItems = await S3Preflight(sessions: world.sessions(current), now: { clock.now() }).run(current)
        #expect(!currentItems.contains { $0.check == "public-acls" }, "\(currentItems.filter { $0.check == "public-acls" }.map(\.detail))")
    }

    @Test func aMoveCarriesEachVersionsOwnACL() async throws {
        let world = try S3TestWorld()
        let history = try Self.seedGrantedHistory(world)
        let run = try await world.start(S3VersionHistoryTests.moveRunbook())
        let end = await world.fixture.driver.drive(run, onIdle: S3TestWorld.approver)
        let reason = await run.state.statusReason
        #expect(end == .finished(.completed), "\(reason)")
        #expect(S3VersionHistoryTests.historyOf(world, "admin-images", keys: history.keys) == history)
        Self.expectVersionACLs(world, owner: Self.productId)

        // Request counts: capture reads each of the 6 versions' ACL once (markers have none);
        // verify-final reads the 3 versions with grants; no PutObjectAcl; one CopyObject per version each way.
        let aclReads = world.requests("GetObjectAcl")
        #expect(aclReads.count == 6 + 3, "\(aclReads.map(\.resource))")
        #expect(world.requests("PutObjectAcl").isEmpty)
        #expect(world.requests("CopyObject").count == 12)
        let steps = await run.state.steps
        let map = try #require(steps["move-images.copy-to-staging"]?.outputs["aclVersionMap"])
        #expect(map.contains("logo.png") && map.contains("gone.txt") && !map.contains("one.css"))
    }

    @Test func verificationFailsWhenANoncurrentVersionLostItsGrant() async throws {
        let world = try S3TestWorld()
        _ = try Self.seedGrantedHistory(world)
        // The copy back drops every grant: verify-final must fail, naming the version.
        let plan = try world.plan(S3VersionHistoryTests.moveRunbook())
        var registry = world.registry(plan)
        let copy = try #require(registry.step(for: "s3.copy"))
        registry.register("s3.copy", StrippingGrants(inner: copy, world: world))
        world.fixture.registry = registry
        try world.fixture.reopen()
        let run = try await world.fixture.start(plan)
        _ = await world.fixture.driver.drive(run, onIdle: S3TestWorld.approver)
        let error = await run.state.steps["move-images.verify-final"]?.lastError
        #expect(error?.code == "VerificationFailed")
        #expect(error?.message.contains("logo.png (ACL of version") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("gone.txt (ACL of version") == true, "\(error?.message ?? "")")
    }

    /// Runs the step, then makes every version of the destination private again.
    struct StrippingGrants: Step {
        let inner: any Step
        let world: S3TestWorld
        func run(_ context: StepContext) async throws -> StepResult {
            let result = try await inner.run(context)
            guard context.step.id.hasSuffix("copy-back") else { return result }
            for key in ["logo.png", "gone.txt"] {
                for version in world.simulator.objectVersions(bucket: "admin-images", key: key) where !version.isDeleteMarker {
                    try world.simulator.setObjectGrants(
                        bucket: "admin-images", key: key, versionId: version.versionId,
                        [S3ObjectGrant(.canonicalUser(S3VersionACLTests.productId), "FULL_CONTROL")])
                }
            }
            return result
        }
        func check(_ context: StepContext) async throws -> CheckResult { try await inner.check(context) }
        func undo(_ context: StepContext) async throws { try await inner.undo(context) }
    }

    @Test func rollbackAfterThePointOfNoReturnPutsEachVersionsACLBack() async throws {
        let world = try S3TestWorld(nameHold: S3RollbackCrashTests.nameHold)
        let history = try Self.seedGrantedHistory(world)
        let run = try await world.start(S3VersionCrashTests.rollbackRunbook)
        let end = await world.fixture.driver.drive(run, onIdle: S3MoveRollbackTests.rollBackAtTheDecision)
        let errors = await run.state.steps.compactMap { id, step in step.lastError.map { "\(id): \($0.description)" } }
        #expect(end == .finished(.rolledBack), "\(errors)")
        #expect(world.simulator.bucket("admin-images")?.owner == S3TestWorld.legacy)
        #expect(S3VersionHistoryTests.historyOf(world, "admin-images", keys: history.keys) == history)
        Self.expectVersionACLs(world, owner: Self.legacyId, "rolled back")
    }

    @Test func aNoncurrentVersionAbove5GiBGetsItsOwnGrantsNotTheCurrentOnes() async throws {
        let world = try S3TestWorld()
        try world.simulator.seedBucket("admin-images", account: S3TestWorld.legacy, versioning: .enabled)
        world.simulator.setObjectOwnership(bucket: "admin-images", "ObjectWriter", blockPublicAccess: false)
        // An existing destination that lets legacy write with ACLs (AWS-NOTES-2 [COPY-2]).
        try world.simulator.seedBucket(
            "admin-images-copy", account: S3TestWorld.product, versioning: .enabled,
            policy: """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},
                 "Action":["s3:PutObject","s3:PutObjectTagging","s3:PutObjectAcl","s3:ListBucket"],
                 "Resource":["arn:aws:s3:::admin-images-copy","arn:aws:s3:::admin-images-copy/*"]}]}
                """)
        world.simulator.setObjectOwnership(bucket: "admin-images-copy", "ObjectWriter", blockPublicAccess: false)
        try world.simulator.seedSyntheticObject(
            bucket: "admin-images", key: "video/big.mp4", size: 6 * 1024 * 1024 * 1024, write: S3ObjectWrite(contentType: "video/mp4"))
        world.fixture.clock.advance(by: 1)
        try world.simulator.seedObject(bucket: "admin-images", key: "video/big.mp4", body: Data("now small".utf8))
        let versions = world.simulator.objectVersions(bucket: "admin-images", key: "video/big.mp4")
        let owner = S3ObjectGrant(.canonicalUser(Self.legacyId), "FULL_CONTROL")
        try world.simulator.setObjectGrants(
            bucket: "admin-images", key: "video/big.mp4", versionId: versions[0].versionId,
            [owner, S3ObjectGrant(.canonicalUser(Self.squatterId), "READ")])
        try world.simulator.setObjectGrants(
            bucket: "admin-images", key: "video/big.mp4", versionId: versions[1].versionId, [owner, Self.allUsersRead])

        let run = try await world.start(S3VersionHistoryTests.copyRunbook(", objectACLs: copy", create: false))
        let end = await world.fixture.driver.drive(run)
        let reason = await run.state.statusReason
        #expect(end == .finished(.completed), "\(reason)")
        #expect(world.requests("UploadPartCopy").count == 12)
        let full = S3ObjectGrant(.canonicalUser(Self.productId), "FULL_CONTROL")
        #expect(
            Self.versionGrants(world, "admin-images-copy", "video/big.mp4") == [
                [full, S3ObjectGrant(.canonicalUser(Self.squatterId), "READ")], [full, Self.allUsersRead],
            ])
        // A direct copy reads each version's ACL as it copies it: one GetObjectAcl per version.
        #expect(world.requests("GetObjectAcl").count == 2)
    }
}
