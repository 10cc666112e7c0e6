import AWSSimulator
import Engine
import Foundation
import Journal
import Runbook
import Steps
import TestSupport
import Testing

/// Object ACLs across a same-name move (issue 17 item 4): a legacy bucket whose images are public
/// through `public-read` ACLs arrives public, with the source account's grants rewritten for the
/// target, in the same CopyObject; a rollback after the point of no return puts the original
/// ACLs back; a source with ACLs disabled costs no extra request; preflight says what it costs
/// and blocks what the target would refuse. Never silently private.
@Suite struct S3MoveObjectACLTests {
    static let publicKeys = ["images/0000.jpg", "images/0001.jpg"]
    static let sharedKey = "images/0002.jpg"

    static var legacyId: String { S3State.canonicalUserId(S3TestWorld.legacy) }
    static var productId: String { S3State.canonicalUserId(S3TestWorld.product) }
    static var squatterId: String { S3State.canonicalUserId(S3TestWorld.squatter) }

    /// A bucket from before BucketOwnerEnforced: ObjectWriter, no Block Public Access; two
    /// public-read images, one shared with a third account (and READ_ACP to the owner's own
    /// account), the rest private.
    @discardableResult
    static func seedLegacy(_ world: S3TestWorld, count: Int = 6, blockPublicAcls: Bool = false) throws -> [String: Data] {
        let bodies = try world.seedSource(count: count, size: 64)
        world.simulator.setObjectOwnership(bucket: "admin-images", "ObjectWriter", blockPublicAccess: false)
        let owner = S3ObjectGrant(.canonicalUser(legacyId), "FULL_CONTROL")
        for key in publicKeys {
            try world.simulator.setObjectGrants(
                bucket: "admin-images", key: key, [owner, S3ObjectGrant(.group(S3ObjectGrant.allUsers), "READ")])
        }
        try world.simulator.setObjectGrants(
            bucket: "admin-images", key: sharedKey, [owner, S3ObjectGrant(.canonicalUser(squatterId), "READ")])
        if blockPublicAcls { world.simulator.setObjectOwnership(bucket: "admin-images", "ObjectWriter", blockPublicAccess: true) }
        return bodies
    }

    /// The end state of a forward move: the re-created bucket in product holds the grants, the
    /// source account's canonical ID replaced by the target's, the third account's kept.
    static func expectTargetACLs(_ world: S3TestWorld, _ context: String = "") {
        for key in publicKeys {
            let acl = world.simulator.objectACL(bucket: "admin-images", key: key)
            #expect(acl?.owner == S3TestWorld.product, "\(context) \(key)")
            #expect(
                Set(acl?.grants ?? []) == [
                    S3ObjectGrant(.canonicalUser(productId), "FULL_CONTROL"), S3ObjectGrant(.group(S3ObjectGrant.allUsers), "READ"),
                ], "\(context) \(key)")
            #expect(world.simulator.isPubliclyReadable(bucket: "admin-images", key: key), "\(context) \(key)")
        }
        #expect(
            Set(world.simulator.objectACL(bucket: "admin-images", key: sharedKey)?.grants ?? []) == [
                S3ObjectGrant(.canonicalUser(productId), "FULL_CONTROL"), S3ObjectGrant(.canonicalUser(squatterId), "READ"),
            ], "\(context)")
        guard world.simulator.object(bucket: "admin-images", key: "images/0003.jpg") != nil else { return }
        #expect(
            world.simulator.objectACL(bucket: "admin-images", key: "images/0003.jpg")?.grants
                == [S3ObjectGrant(.canonicalUser(productId), "FULL_CONTROL")], "\(context)")
        #expect(!world.simulator.isPubliclyReadable(bucket: "admin-images", key: "images/0003.jpg"), "\(context)")
    }

    @Test func publicReadObjectsArrivePublicWithGrantsRewritten() async throws {
        let world = try S3TestWorld()
        try Self.seedLegacy(world)
        let run = try await world.start(S3TestWorld.moveRunbook())
        let end = await world.fixture.driver.drive(run, onIdle: S3TestWorld.approver)
        let failed = await run.state.steps.values.compactMap { $0.lastError }.map { "\($0.code): \($0.message)" }
        #expect(end == .finished(.completed), "\(failed)")

        Self.expectTargetACLs(world)
        #expect(world.simulator.bucketConfiguration(.ownershipControls, bucket: "admin-images")?.contains("ObjectWriter") == true)
        // Measured: one GetObjectAcl per object in capture-config, one per granted object in
        // verify-final; the copy back stays at one CopyObject per object.
        let reads = world.requests("GetObjectAcl")
        #expect(reads.filter { $0.account == S3TestWorld.legacy }.count == 6)
        #expect(reads.filter { $0.account == S3TestWorld.product }.count == 3)
        let copiesBack = world.requests("CopyObject").filter { $0.resource?.hasPrefix("admin-images/") == true }
        #expect(copiesBack.count == 6)
        let outputs = await run.state.steps["move-images.capture-config"]?.outputs ?? [:]
        #expect(outputs["objectACLs"]?.contains(S3ObjectGrant.allUsers) == true)
    }

    @Test func aSourceWithACLsDisabledNeedsNoACLRequest() async throws {
        let world = try S3TestWorld()
        try world.seedSource(count: 5, size: 64)
        let run = try await world.start(S3TestWorld.moveRunbook())
        #expect(await world.fixture.driver.drive(run, onIdle: S3TestWorld.approver) == .finished(.completed))
        #expect(world.requests("GetObjectAcl").isEmpty)
        #expect(world.requests("CopyObject").count == 10)
    }

    @Test func rollbackAfterThePointOfNoReturnPutsTheOriginalACLsBack() async throws {
        let world = try S3TestWorld(nameHold: 3600 + 300 + 60)
        let bodies = try Self.seedLegacy(world)
        let run = try await world.start(S3TestWorld.moveRunbook())
        #expect(await world.fixture.driver.drive(run, onIdle: S3MoveRollbackTests.forwardApprover) == .waitingForOperator)
        #expect(await run.state.status == .rollingBack)
        #expect(await world.fixture.driver.drive(run, onIdle: S3TestWorld.approver) == .finished(.rolledBack))

        #expect(world.simulator.bucket("admin-images")?.owner == S3TestWorld.legacy)
        #expect(world.simulator.bucket("admin-images")?.keys.count == bodies.count)
        for key in Self.publicKeys {
            let acl = world.simulator.objectACL(bucket: "admin-images", key: key)
            #expect(acl?.owner == S3TestWorld.legacy, "\(key)")
            #expect(
                Set(acl?.grants ?? []) == [
                    S3ObjectGrant(.canonicalUser(Self.legacyId), "FULL_CONTROL"), S3ObjectGrant(.group(S3ObjectGrant.allUsers), "READ"),
                ], "\(key)")
            #expect(world.simulator.isPubliclyReadable(bucket: "admin-images", key: key), "\(key)")
        }
        #expect(
            world.simulator.objectACL(bucket: "admin-images", key: Self.sharedKey)?.grants
                .contains(S3ObjectGrant(.canonicalUser(Self.squatterId), "READ")) == true)
    }

    @Test func verificationFailsWhenAGrantDidNotArrive() async throws {
        let world = try S3TestWorld()
        try Self.seedLegacy(world)
        let plan = try world.plan(S3TestWorld.moveRunbook())
        var registry = world.registry(plan)
        // A copy back that loses the ACLs (as a copier without grants would): verify-final must see it.
        let copy = try #require(registry.step(for: "s3.copy"))
        registry.register("s3.copy", DroppingACLs(inner: copy, simulator: world.simulator))
        world.fixture.registry = registry
        try world.fixture.reopen()
        let run = try await world.fixture.start(plan)
        _ = await world.fixture.driver.drive(run, onIdle: S3TestWorld.approver)
        let verify = await run.state.steps["move-images.verify-final"]
        #expect(verify?.lastError?.code == "VerificationFailed")
        #expect(verify?.lastError?.message.contains("ACL lacks READ for AllUsers") == true, "\(verify?.lastError?.message ?? "")")
    }

    /// Runs the real copy, then makes every object of the re-created bucket private again.
    struct DroppingACLs: Step {
        let inner: any Step
        let simulator: Simulator

        func run(_ context: StepContext) async throws -> StepResult {
            let result = try await inner.run(context)
            if context.step.id.hasSuffix("copy-back") {
                for key in simulator.bucket("admin-images")?.keys ?? [] {
                    try simulator.setObjectGrants(
                        bucket: "admin-images", key: key, [S3ObjectGrant(.canonicalUser(S3MoveObjectACLTests.productId), "FULL_CONTROL")])
                }
            }
            return result
        }

        func check(_ context: StepContext) async throws -> CheckResult { try await inner.check(context) }
        func undo(_ context: StepContext) async throws { try await inner.undo(context) }
    }

    @Test func preflightReportsOwnershipGrantsAndTheirCost() async throws {
        let world = try S3TestWorld()
        try Self.seedLegacy(world)
        let items = try await S3PreflightTests().preflight(world)
        let acls = try S3PreflightTests().item(items, "object-acls")
        #expect(acls.severity == .warning)
        #expect(acls.detail.contains("is ObjectWriter"))
        #expect(acls.detail.contains("3 objects carry ACL grants beyond the owner, 2 of them public"))
        #expect(acls.detail.contains("images/0000.jpg, images/0001.jpg"))
        #expect(acls.detail.contains("6 extra GetObjectAcl requests"))
        #expect(acls.detail.contains("grants to 1 other accounts are kept"))
        #expect(try S3PreflightTests().item(items, "public-acls").severity == .warning)
        #expect(!items.contains { $0.severity == .blocker })
    }

    @Test func preflightBlocksPublicGrantsTheTargetWouldRefuse() async throws {
        let world = try S3TestWorld()
        try Self.seedLegacy(world, blockPublicAcls: true)
        let items = try await S3PreflightTests().preflight(world)
        let blocker = try S3PreflightTests().item(items, "public-acls")
        #expect(blocker.severity == .blocker)
        #expect(blocker.detail.contains("BlockPublicAcls"))
        #expect(blocker.detail.contains("\"Principal\": \"*\", \"Action\": \"s3:GetObject\""))
        #expect(blocker.detail.contains("arn:aws:s3:::admin-images/images/*"))
    }

    @Test func preflightOfAnEnforcedSourceReadsNoACL() async throws {
        let world = try S3TestWorld()
        try world.seedSource(count: 4, size: 64)
        let items = try await S3PreflightTests().preflight(world)
        let acls = try S3PreflightTests().item(items, "object-acls")
        #expect(acls.severity == .ok)
        #expect(acls.detail.contains("BucketOwnerEnforced"))
        #expect(world.requests("GetObjectAcl").isEmpty)
    }

    @Test func everyJournalWriteOfAMoveWithACLsRecovers() async throws {
        let clean = try S3TestWorld()
        try Self.seedLegacy(clean, count: 3)
        let cleanRun = try await clean.start(S3TestWorld.moveRunbook())
        #expect(await clean.fixture.driver.drive(cleanRun, onIdle: S3TestWorld.approver) == .finished(.completed))
        let writes = clean.fixture.journal.faults.appendsAttempted
        let started = ContinuousClock.now
        for write in 2...writes {
            for afterWrite in [false, true] {
                let context = "crash \(afterWrite ? "after" : "at") write \(write)"
                let world = try S3TestWorld()
                try Self.seedLegacy(world, count: 3)
                let plan = try world.plan(S3TestWorld.moveRunbook())
                let (_, end) = try await world.crashAndResume(plan, at: write, afterWrite: afterWrite, onIdle: S3TestWorld.approver)
                #expect(end == .finished(.completed), "\(context)")
                #expect(world.simulator.bucket("admin-images")?.owner == S3TestWorld.product, "\(context)")
                Self.expectTargetACLs(world, context)
            }
        }
        print("s3 move with ACLs crash harness: \(2 * (writes - 1)) crash points in \(ContinuousClock.now - started)")
    }
}

/// `s3.copy-objects` straight into another account's bucket: each copy sets the source object's
/// grants (one GetObjectAcl per object), the source account's canonical ID rewritten.
@Suite struct S3CopyObjectACLTests {
    static func runbook(_ acls: String) -> String {
        """
        apiVersion: cutover/v1
        name: images-copy
        region: us-east-1
        \(S3TestWorld.accountsYAML)
        steps:
          - id: copy-images
            uses: s3.copy-objects
            with: { from: { account: legacy, bucket: admin-images }, to: { account: product, bucket: public-images },
                    objectACLs: \(acls) }
        """
    }

    static func seed(_ world: S3TestWorld) throws {
        try S3MoveObjectACLTests.seedLegacy(world, count: 4)
        try world.simulator.seedBucket(
            "public-images", account: S3TestWorld.product,
            policy: """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},
                 "Action":["s3:PutObject","s3:PutObjectTagging","s3:PutObjectAcl","s3:ListBucket"],
                 "Resource":["arn:aws:s3:::public-images","arn:aws:s3:::public-images/*"]}]}
                """)
        world.simulator.setObjectOwnership(bucket: "public-images", "BucketOwnerPreferred", blockPublicAccess: false)
    }

    @Test func aDirectCopyCarriesTheGrants() async throws {
        let world = try S3TestWorld()
        try Self.seed(world)
        let run = try await world.start(Self.runbook("copy"))
        let end = await world.fixture.driver.drive(run, onIdle: S3TestWorld.approver)
        let failed = await run.state.steps.values.compactMap { $0.lastError }.map { "\($0.code): \($0.message)" }
        #expect(end == .finished(.completed), "\(failed)")
        for key in S3MoveObjectACLTests.publicKeys {
            #expect(world.simulator.isPubliclyReadable(bucket: "public-images", key: key), "\(key)")
            #expect(
                world.simulator.objectACL(bucket: "public-images", key: key)?.grants
                    .contains(S3ObjectGrant(.canonicalUser(S3MoveObjectACLTests.productId), "FULL_CONTROL")) == true, "\(key)")
        }
        #expect(
            world.simulator.objectACL(bucket: "public-images", key: S3MoveObjectACLTests.sharedKey)?.grants
                .contains(S3ObjectGrant(.canonicalUser(S3MoveObjectACLTests.squatterId), "READ")) == true)
        #expect(!world.simulator.isPubliclyReadable(bucket: "public-images", key: "images/0003.jpg"))
        #expect(world.requests("GetObjectAcl").count == 4)
        #expect(world.requests("CopyObject").count == 4)
    }

    @Test func objectACLsNoneLeavesCopiesPrivateAndReadsNoACL() async throws {
        let world = try S3TestWorld()
        try Self.seed(world)
        let run = try await world.start(Self.runbook("none"))
        #expect(await world.fixture.driver.drive(run, onIdle: S3TestWorld.approver) == .finished(.completed))
        #expect(world.requests("GetObjectAcl").isEmpty)
        #expect(!world.simulator.isPubliclyReadable(bucket: "public-images", key: S3MoveObjectACLTests.publicKeys[0]))
    }
}

/// The rollback after the point of no return of a move carrying object ACLs, crashed at every
/// journal write: every crash point ends rolled back with the source's objects public again and
/// their original grants (the restore's ownership/BPA calls and the copy back with grants included).
@Suite struct S3ACLRollbackCrashTests {
    @Test func everyJournalWriteOfAnACLRollbackRecovers() async throws {
        let clean = try S3TestWorld(nameHold: S3RollbackCrashTests.nameHold)
        try S3MoveObjectACLTests.seedLegacy(clean, count: 3)
        let cleanRun = try await clean.start(S3RollbackCrashTests.runbook)
        #expect(await clean.fixture.driver.drive(cleanRun, onIdle: S3MoveRollbackTests.rollBackAtTheDecision) == .finished(.rolledBack))
        let writes = clean.fixture.journal.faults.appendsAttempted
        let started = ContinuousClock.now
        for write in 2...writes {
            for afterWrite in [false, true] {
                let context = "crash \(afterWrite ? "after" : "at") write \(write)"
                let world = try S3TestWorld(nameHold: S3RollbackCrashTests.nameHold)
                try S3MoveObjectACLTests.seedLegacy(world, count: 3)
                let plan = try world.plan(S3RollbackCrashTests.runbook)
                let (_, end) = try await world.crashAndResume(
                    plan, at: write, afterWrite: afterWrite, onIdle: S3MoveRollbackTests.rollBackAtTheDecision)
                #expect(end == .finished(.rolledBack), "\(context)")
                #expect(world.simulator.bucket("admin-images")?.owner == S3TestWorld.legacy, "\(context)")
                for key in S3MoveObjectACLTests.publicKeys {
                    #expect(world.simulator.isPubliclyReadable(bucket: "admin-images", key: key), "\(context): \(key)")
                    #expect(world.simulator.objectACL(bucket: "admin-images", key: key)?.owner == S3TestWorld.legacy, "\(context): \(key)")
                }
                #expect(
                    world.simulator.objectACL(bucket: "admin-images", key: S3MoveObjectACLTests.sharedKey)?.grants
                        .contains(S3ObjectGrant(.canonicalUser(S3MoveObjectACLTests.squatterId), "READ")) == true, "\(context)")
            }
        }
        print("s3 ACL rollback crash harness: \(2 * (writes - 1)) crash points in \(ContinuousClock.now - started)")
    }
}

/// Preflight of `s3.copy-objects` with object ACLs: the destination's own settings decide.
@Suite struct S3CopyObjectACLPreflightTests {
    func preflight(_ world: S3TestWorld, to: String = "public-images", create: Bool = false) async throws -> [S3Preflight.Item] {
        let yaml = S3CopyObjectACLTests.runbook("copy").replacingOccurrences(
            of: "to: { account: product, bucket: public-images }", with: "to: { account: product, bucket: \(to), create: \(create) }")
        let plan = try world.plan(yaml)
        let clock = world.fixture.clock
        let items = await S3Preflight(sessions: world.sessions(plan), now: { clock.now() }).run(plan)
        #expect(world.simulator.requests { $0.mutated }.isEmpty, "preflight changed something")
        return items.filter { $0.check == "copy-object-acls" }
    }

    @Test func aDestinationThatAllowsTheGrantsPasses() async throws {
        let world = try S3TestWorld()
        try S3CopyObjectACLTests.seed(world)
        let items = try await preflight(world)
        #expect(items.count == 1)
        #expect(items.first?.severity == .warning)
        #expect(items.first?.detail.contains("3 objects carry ACL grants beyond the owner, 2 of them public") == true)
        #expect(items.first?.detail.contains("The copy reads every object's ACL (4 extra GetObjectAcl requests)") == true)
    }

    @Test func aDestinationTheRunCreatesBlocksWithWhatToDo() async throws {
        let world = try S3TestWorld()
        try S3CopyObjectACLTests.seed(world)
        let items = try await preflight(world, to: "new-images", create: true)
        let blocker = try #require(items.first { $0.severity == .blocker })
        #expect(blocker.detail.contains("new-images (created by the run with S3's defaults) has ACLs disabled"))
        #expect(blocker.detail.contains("BucketOwnerPreferred"))
        #expect(blocker.detail.contains("`objectACLs: none`"))
        #expect(blocker.detail.contains("arn:aws:s3:::new-images/images/*"))
    }

    @Test func aDestinationBlockingPublicACLsBlocks() async throws {
        let world = try S3TestWorld()
        try S3CopyObjectACLTests.seed(world)
        world.simulator.setObjectOwnership(bucket: "public-images", "BucketOwnerPreferred", blockPublicAccess: true)
        let items = try await preflight(world)
        let blocker = try #require(items.first { $0.severity == .blocker })
        #expect(blocker.detail.contains("2 objects are public through their ACLs but Block Public Access (BlockPublicAcls) is on"))
    }
}
