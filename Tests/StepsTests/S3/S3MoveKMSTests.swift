import AWSSimulator
import Engine
import Foundation
import Runbook
import Steps
import TestSupport
import Testing

/// SSE-KMS objects under a source-account customer managed key (issue 17 item 5): the preflight
/// reads both key policies for what each account must do in both directions, and a rollback after
/// the point of no return puts every object back encrypted under the source key. The simulator's
/// S3 checks kms:Decrypt and kms:GenerateDataKey against the key policies (S3Service+KMS.swift),
/// so a key policy that lacks them fails the copy as AWS would.
@Suite struct S3MoveKMSTests {
    static func runbook(_ sourceKey: String, _ targetKey: String) -> String {
        """
        apiVersion: cutover/v1
        name: images-move
        region: us-east-1
        \(S3TestWorld.accountsYAML)
        steps:
          - id: move-images
            uses: s3.move-bucket
            with: { bucket: admin-images, from: legacy, to: product, staging: admin-images-staging,
                    forcedWait: 1h, recreate: { every: 10s, for: 5m },
                    kmsKeyMap: { "\(sourceKey)": "\(targetKey)" } }
        """
    }

    /// Source objects under a legacy CMK; a product CMK shared with legacy (or not).
    static func seed(_ world: S3TestWorld, shareTargetKey: Bool = true, count: Int = 8) throws -> (SimKMSKey, SimKMSKey, [String: Data]) {
        let sourceKey = try world.simulator.createKMSKey(account: S3TestWorld.legacy, description: "images")
        let targetKey = try world.simulator.createKMSKey(
            account: S3TestWorld.product, description: "images", sharedWith: shareTargetKey ? [S3TestWorld.legacy] : [])
        try world.simulator.seedBucket("admin-images", account: S3TestWorld.legacy)
        var bodies: [String: Data] = [:]
        for index in 0..<count {
            let key = "images/\(String(format: "%04d", index)).jpg"
            let body = Data("\(key) under the source key".utf8)
            try world.simulator.seedObject(
                bucket: "admin-images", key: key, body: body,
                write: S3ObjectWrite(contentType: "image/jpeg", serverSideEncryption: "aws:kms", sseKMSKeyId: sourceKey.arn),
                checksumSHA256: true)
            bodies[key] = body
        }
        return (sourceKey, targetKey, bodies)
    }

    @Test func rollbackAfterThePointOfNoReturnRestoresObjectsUnderTheSourceKey() async throws {
        let world = try S3TestWorld(nameHold: 3600 + 300 + 60)
        let (sourceKey, targetKey, bodies) = try Self.seed(world)
        let run = try await world.start(Self.runbook(sourceKey.arn, targetKey.arn))
        #expect(await world.fixture.driver.drive(run, onIdle: S3MoveRollbackTests.forwardApprover) == .waitingForOperator)
        #expect(await run.state.status == .rollingBack)
        // Staging held the copies under the target key.
        for key in bodies.keys {
            #expect(world.simulator.object(bucket: "admin-images-staging", key: key)?.write.sseKMSKeyId == targetKey.arn, "\(key)")
        }
        #expect(await world.fixture.driver.drive(run, onIdle: S3TestWorld.approver) == .finished(.rolledBack))

        #expect(world.simulator.bucket("admin-images")?.owner == S3TestWorld.legacy)
        #expect(world.simulator.bucket("admin-images-staging") == nil)
        for (key, body) in bodies {
            let object = try #require(world.simulator.object(bucket: "admin-images", key: key), "\(key) missing")
            #expect(object.body == .bytes(body), "\(key)")
            #expect(object.write.serverSideEncryption == "aws:kms", "\(key)")
            #expect(object.write.sseKMSKeyId == sourceKey.arn, "\(key) is under \(object.write.sseKMSKeyId ?? "no key")")
        }
    }

    @Test func preflightPassesWhenBothKeyPoliciesAllowEachAccount() async throws {
        let world = try S3TestWorld()
        let (sourceKey, targetKey, _) = try Self.seed(world, count: 2)
        let plan = try world.plan(Self.runbook(sourceKey.arn, targetKey.arn))
        let clock = world.fixture.clock
        let items = await S3Preflight(sessions: world.sessions(plan), now: { clock.now() }).run(plan)
        let kms = items.filter { $0.check == "kms-key-policies" }
        #expect(kms.count == 1)
        #expect(kms.first?.severity == .ok, "\(kms)")
    }

    @Test func preflightBlocksATargetKeyTheSourceAccountCannotUse() async throws {
        let world = try S3TestWorld()
        let (sourceKey, targetKey, _) = try Self.seed(world, shareTargetKey: false, count: 2)
        let plan = try world.plan(Self.runbook(sourceKey.arn, targetKey.arn))
        let clock = world.fixture.clock
        let items = await S3Preflight(sessions: world.sessions(plan), now: { clock.now() }).run(plan)
        let blocker = try #require(items.first { $0.check == "kms-key-policies" && $0.severity == .blocker }, "\(items.map(\.check))")
        #expect(
            blocker.detail.contains(
                "does not allow kms:GenerateDataKey to account \(S3TestWorld.legacy) (to write the copies into staging)"))
        #expect(blocker.detail.contains("does not allow kms:Decrypt to account \(S3TestWorld.legacy) (to read staging when a rollback"))
        #expect(!blocker.detail.contains("to account \(S3TestWorld.product)"))
    }

    @Test func withoutTheKeyPolicyTheCopyToStagingIsDenied() async throws {
        let world = try S3TestWorld()
        let (sourceKey, targetKey, _) = try Self.seed(world, shareTargetKey: false, count: 2)
        let run = try await world.start(Self.runbook(sourceKey.arn, targetKey.arn))
        _ = await world.fixture.driver.drive(run, onIdle: S3TestWorld.approver)
        let copy = await run.state.steps["move-images.copy-to-staging"]
        #expect(copy?.lastError?.code == "AccessDenied", "\(String(describing: copy?.lastError))")
        #expect(copy?.lastError?.message.contains("kms:GenerateDataKey") == true)
        #expect(world.simulator.object(bucket: "admin-images", key: "images/0000.jpg") != nil)
    }
}
