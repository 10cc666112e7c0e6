import AWSSimulator
import Engine
import Foundation
import Runbook
import Steps
import TestSupport
import Testing

/// A source under the AWS managed key `aws/rds`, moved without operator work (issue 17 item 1),
/// for both kinds: the plan inserts a copy of the snapshot in the source under a customer managed
/// key (the runbook's, or one the run creates), shares that copy, removes it at the end, and
/// schedules the run's key for deletion only after an approval that states the pending window.
@Suite struct RDSShareKeyMoveTests {
    /// Which share key a case uses.
    enum ShareKey: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case created, named
        var testDescription: String { rawValue }
        var input: String { self == .created ? "sourceShareKey: create" : "sourceShareKey: \(Self.namedAlias)" }
        static let namedAlias = "alias/legacy-share"
    }

    static let legacy = RDSTwoAccounts.legacy
    static let product = RDSTwoAccounts.product

    /// A world whose source is under aws/rds, with `alias/legacy-share` (shared with product) for the named case.
    static func world(_ kind: RDSMoveKindCase, _ key: ShareKey) throws -> any RDSMoveTestWorld {
        let world = try kind.makeWorld(true, true)
        if key == .named {
            try world.simulator.createKMSKey(account: legacy, description: "share key", sharedWith: [product], alias: ShareKey.namedAlias)
        }
        return world
    }

    /// The keys the run created in legacy (tagged with its run ID).
    static func runKeys(_ world: any RDSMoveTestWorld, runId: String) -> [SimKMSKey] {
        world.simulator.kmsKeys(account: legacy).filter { $0.tags["cutover:run"] == runId }
    }

    @Test func thePlanShowsTheInsertedStepsAndWhy() throws {
        let plan = try RDSMoveKindCase.instance.planWith(["sourceShareKey: create", "shareKeyDeletionDays: 9"], false)
        #expect(
            plan.steps.map(\.id) == [
                "move-db.preflight", "move-db.share-key", "move-db.snapshot", "move-db.wait-snapshot", "move-db.rekey",
                "move-db.wait-rekey",
                "move-db.share", "move-db.copy", "move-db.wait-copy", "move-db.restore", "move-db.wait-restore", "move-db.verify",
                "move-db.remove-share-copy", "move-db.delete-share-key",
            ])
        let shareKey = try #require(plan.step("move-db.share-key"))
        #expect(shareKey.account == "legacy" && shareKey.effect == .mutating)
        #expect(shareKey.title.contains("aws/rds cannot be shared"))
        #expect(shareKey.undoApproval?.message.contains("pending window of 9 days") == true)
        #expect(try #require(plan.step("move-db.rekey")).title.contains("aws/rds cannot be shared"))
        let deletion = try #require(plan.step("move-db.delete-share-key"))
        #expect(deletion.approval != nil, "the key's deletion waits for an approval")
        #expect(deletion.title.contains("pending window of 9 days"))
        #expect(try #require(plan.step("move-db.remove-share-copy")).decisionOptions.contains("delete-last-copy"))
        // `cutoverctl plan` shows the inserted primitives, what the key's approvers are asked, and the undo gate.
        let text = PlanRenderer().text(plan)
        for id in ["move-db.share-key", "move-db.rekey", "move-db.wait-rekey", "move-db.remove-share-copy", "move-db.delete-share-key"] {
            #expect(text.contains(id), "\(id)")
        }
        #expect(text.contains("before move-db.delete-share-key: Schedule deletion of the KMS key this run created"))
        #expect(text.contains("undo of move-db.share-key waits for approval: Schedule deletion"))
        #expect(text.contains("pending window of 9 days"))

        let named = try RDSMoveKindCase.cluster.planWith(["sourceShareKey: alias/legacy-share"], false)
        let ids = named.steps.map(\.id)
        #expect(ids.contains("move-aurora.rekey") && ids.contains("move-aurora.remove-share-copy"))
        #expect(!ids.contains("move-aurora.share-key") && !ids.contains("move-aurora.delete-share-key"))
        #expect(named.steps.allSatisfy { $0.approval == nil })
    }

    @Test func badShareKeyInputsAreRefusedWithTheirLines() throws {
        for (extra, expected) in [
            (["sourceShareKey: alias/x", "shareKeyDeletionDays: 10"], "applies only when the run may create the key"),
            (["sourceShareKey: create", "shareKeyDeletionDays: 3"], "is 3"),
            (["sourceShareKey: arn:aws:s3:::bucket"], "neither `auto`, `create`, `none` nor a KMS key"),
        ] {
            do {
                _ = try RDSMoveKindCase.instance.planWith(extra, false)
                Issue.record("accepted \(extra)")
            } catch let error as RunbookDiagnostics {
                #expect(error.diagnostics.map(\.message).joined().contains(expected), "\(extra)")
                #expect(error.diagnostics.allSatisfy { $0.location.line > 1 }, "\(extra)")
            }
        }
    }

    @Test(arguments: RDSMoveKindCase.all, ShareKey.allCases)
    func anAWSRDSSourceMovesEndToEnd(_ kind: RDSMoveKindCase, _ key: ShareKey) async throws {
        let world = try Self.world(kind, key)
        let run = try await world.fixture.start(try kind.planWith([key.input], false))
        #expect(await world.fixture.driver.drive(run, onIdle: RDSMoveKindCase.approver) == .finished(.completed))

        let restored = try #require(kind.restored(world))
        #expect(restored.status == "available")
        #expect(restored.kmsKeyId == world.targetKeyArn)
        // The run's snapshot stays in legacy (under aws/rds); the re-encrypted copy is gone.
        let legacySnapshots = world.simulator.dbSnapshots(account: Self.legacy, kind: kind.snapshotKind).filter {
            $0.snapshotType == "manual"
        }
        #expect(legacySnapshots.count == 1)
        #expect(legacySnapshots.allSatisfy { !$0.identifier.hasSuffix("-share") })
        #expect(legacySnapshots.first?.kmsKeyId == world.simulator.awsManagedRDSKey(account: Self.legacy).arn)
        // What was shared was the re-encrypted copy, never the aws/rds snapshot.
        let shares = world.simulator.requests { $0.operation == kind.share && $0.mutated }
        #expect(!shares.isEmpty && shares.allSatisfy { $0.resource?.hasSuffix("-share") == true })

        let created = Self.runKeys(world, runId: run.runId)
        switch key {
        case .created:
            let runKey = try #require(created.first)
            #expect(created.count == 1)
            #expect(runKey.keyState == "PendingDeletion")
            #expect(
                runKey.deletionDate == world.fixture.clock.now().addingTimeInterval(30 * 86_400)
                    || (runKey.deletionDate ?? .distantPast) <= world.fixture.clock.now().addingTimeInterval(30 * 86_400))
            // The key policy lets product only decrypt, describe and have RDS create grants.
            #expect(runKey.policy.allows(account: Self.product, action: "kms:Decrypt"))
            #expect(runKey.policy.allows(account: Self.product, action: "kms:DescribeKey"))
            #expect(!runKey.policy.allows(account: Self.product, action: "kms:CreateGrant"), "a CreateGrant not for an AWS resource")
            #expect(
                runKey.policy.allows(
                    account: Self.product, principalArn: "arn:aws:iam::\(Self.product):root", action: "kms:CreateGrant",
                    grantIsForAWSResource: true))
            for action in ["kms:Encrypt", "kms:ReEncryptFrom", "kms:GenerateDataKey", "kms:ScheduleKeyDeletion", "kms:PutKeyPolicy"] {
                #expect(!runKey.policy.allows(account: Self.product, action: action), "\(action)")
            }
            #expect(world.count("CreateKey") == 1)
            #expect(world.count("ScheduleKeyDeletion") == 1)
            let approvals = try world.fixture.events(run.runId).compactMap { event, _ -> ApprovalRequested? in
                if case let .approvalRequested(request) = event { return request }
                return nil
            }
            let gate = try #require(approvals.first { $0.step == "\(kind.moveId).delete-share-key" })
            #expect(gate.message?.contains("pending window of 30 days") == true)
        case .named:
            #expect(created.isEmpty)
            #expect(world.count("CreateKey") == 0)
            #expect(world.count("ScheduleKeyDeletion") == 0)
            let named = world.simulator.kmsKeys(account: Self.legacy).first { $0.description == "share key" }
            #expect(named?.keyState == "Enabled")
        }
    }

    /// The key's deletion waits for people: nothing is scheduled while nobody approves, the
    /// approvers read the pending window the runbook chose, and a rejection keeps the key.
    @Test(arguments: RDSMoveKindCase.all)
    func theRunsKeyIsScheduledForDeletionOnlyAfterAnApprovalThatStatesTheWindow(_ kind: RDSMoveKindCase) async throws {
        let world = try Self.world(kind, .created)
        let run = try await world.fixture.start(try kind.planWith(["sourceShareKey: create", "shareKeyDeletionDays: 7"], false))
        #expect(await world.fixture.driver.drive(run) == .waitingForOperator)
        let gate = try #require(await run.snapshot().steps.first { $0.id == "\(kind.moveId).delete-share-key" })
        #expect(gate.status == .awaitingApproval)
        #expect(await run.state.steps[gate.id]?.approvalRequest?.message?.contains("pending window of 7 days") == true)
        #expect(world.count("ScheduleKeyDeletion") == 0)
        #expect(Self.runKeys(world, runId: run.runId).first?.keyState == "Enabled")
        // The re-encrypted copy is already gone: the key protects nothing the move leaves.
        #expect(
            world.simulator.dbSnapshots(account: Self.legacy, kind: kind.snapshotKind).allSatisfy { !$0.identifier.hasSuffix("-share") })

        try await run.approve(step: gate.id, by: TestPeople.alice)
        #expect(await world.fixture.driver.drive(run) == .finished(.completed))
        let runKey = try #require(Self.runKeys(world, runId: run.runId).first)
        #expect(runKey.keyState == "PendingDeletion")
        #expect(
            runKey.deletionDate == world.fixture.clock.now().addingTimeInterval(7 * 86_400)
                || abs((runKey.deletionDate ?? .distantPast).timeIntervalSince(world.fixture.clock.now()) - 7 * 86_400) < 3600)
        let outputs = try #require(await run.state.steps[gate.id]?.outputs)
        #expect(outputs["pendingWindowInDays"] == "7")
    }

    /// With `sourceShareKey: none`, an aws/rds source still fails the preflight, with the line to change.
    @Test(arguments: RDSMoveKindCase.all)
    func withNoShareKeyThePreflightSaysWhichInputToSet(_ kind: RDSMoveKindCase) async throws {
        let world = try kind.makeWorld(true, true)
        let run = try await world.fixture.start(try kind.planWith(["sourceShareKey: none"], false))
        #expect(await world.fixture.driver.drive(run, onIdle: RDSMoveKindCase.approver) == .waitingForOperator)
        let error = try #require(await run.snapshot().steps.first { $0.id == "\(kind.moveId).preflight" }?.lastError)
        #expect(error.code == "PreflightFailed")
        #expect(error.message.contains("aws/rds"))
        #expect(error.message.contains("`sourceShareKey: create`"))
        #expect(world.simulator.requests { $0.mutated }.isEmpty, "preflight changed something")
    }

    /// A named share key the target cannot use, or the AWS managed key itself, fails the preflight
    /// before anything is created, with what to do.
    @Test(arguments: RDSMoveKindCase.all)
    func aNamedShareKeyTheTargetCannotUseFailsThePreflight(_ kind: RDSMoveKindCase) async throws {
        for (key, expected) in [
            ("alias/legacy-private", "cannot use `sourceShareKey`"),
            ("alias/aws/rds", "is an AWS managed key"),
            ("alias/nowhere", "has no usable KMS key `alias/nowhere`"),
        ] {
            let world = try kind.makeWorld(true, true)
            try world.simulator.createKMSKey(account: Self.legacy, description: "not shared", alias: "alias/legacy-private")
            let run = try await world.fixture.start(try kind.planWith(["sourceShareKey: \(key)"], false))
            #expect(await world.fixture.driver.drive(run, onIdle: RDSMoveKindCase.approver) == .waitingForOperator)
            let error = try #require(await run.snapshot().steps.first { $0.id == "\(kind.moveId).preflight" }?.lastError)
            #expect(error.code == "PreflightFailed", "\(key)")
            #expect(error.message.contains(expected), "\(key): \(error.message)")
            #expect(!error.message.contains("Set `sourceShareKey: create` on this step"), "\(key): the source key is not the problem")
            #expect(world.simulator.requests { $0.mutated }.isEmpty, "\(key): preflight changed something")
        }
    }

    /// CopyDBClusterSnapshot takes no KmsKeyId for an unencrypted cluster snapshot: the preflight says so.
    @Test func anUnencryptedClusterRefusesAShareKey() async throws {
        let world = try RDSClusterMoveWorld()
        try world.simulator.seedDBCluster(identifier: "plain-aurora", storageEncrypted: false, account: Self.legacy)
        try world.simulator.seedDBInstance(
            SimDBInstanceSeed(
                identifier: "plain-aurora-a", engine: "aurora-mysql", instanceClass: "db.r6g.large", clusterIdentifier: "plain-aurora"),
            account: Self.legacy)
        var text = try RDSClusterMoveWorld.exampleText().replacingOccurrences(of: "cluster: admin-aurora", with: "cluster: plain-aurora")
            .replacingOccurrences(of: "      waitTimeout: 12h\n", with: "      waitTimeout: 12h\n      sourceShareKey: create\n")
        text = String(text[..<(text.range(of: "  - id: switch-over")?.lowerBound ?? text.endIndex)])
        let run = try await world.fixture.start(try RDSClusterMoveWorld.plan(text))
        #expect(await world.fixture.driver.drive(run, onIdle: RDSMoveKindCase.approver) == .waitingForOperator)
        let error = try #require(await run.snapshot().steps.first { $0.id == "move-aurora.preflight" }?.lastError)
        #expect(error.message.contains("`sourceShareKey` is for encrypted sources"))
        #expect(world.count("CreateKey") == 0)
    }

    /// The phase at which a rollback starts.
    enum Phase: String, CaseIterable, Sendable, CustomTestStringConvertible {
        /// The copy under the share key fails in the source.
        case rekeyFails
        /// The copy in the target fails.
        case targetCopyFails
        /// The whole move is done; the run waits for the key-deletion approval.
        case afterTheMove
        var testDescription: String { rawValue }
    }

    /// Rolls back when the run stops (a failure or the key-deletion approval) and approves the undo
    /// gates the rollback asks for (the restored resource's delete, the key's deletion).
    static let rollbackWhenStopped: @Sendable (RunExecutor) async -> Bool = { run in
        let snapshot = await run.snapshot()
        let waiting = snapshot.steps.filter { $0.status == .awaitingApproval }.map(\.id)
        if snapshot.status == .rollingBack {
            var acted = false
            for step in waiting where (try? await run.approve(step: step, by: TestPeople.bob)) != nil { acted = true }
            return acted
        }
        // A wait between polls is idle too: roll back only at a failure or a gate.
        let stopped =
            snapshot.status == .paused || snapshot.steps.contains { $0.status == .awaitingApproval || $0.status == .awaitingDecision }
        guard stopped, snapshot.status == .running || snapshot.status == .paused else { return false }
        return (try? await run.rollback(by: TestPeople.alice, comment: "abort")) != nil
    }

    @Test(arguments: RDSMoveKindCase.all, Phase.allCases)
    func rollbackAtEachPhaseLeavesNothingTheRunCreated(_ kind: RDSMoveKindCase, _ phase: Phase) async throws {
        let world = try Self.world(kind, .created)
        let copyOperation = kind.copyCall
        switch phase {
        case .rekeyFails, .targetCopyFails:
            let n = phase == .rekeyFails ? 1 : 2
            _ = try world.simulator.faults.addRule(
                FaultRule(
                    service: "rds", operation: copyOperation,
                    effect: .error(SimError("InvalidParameterValue", "injected: the copy is refused", status: 400)),
                    trigger: .requests(n...n)))
        case .afterTheMove:
            break
        }
        let run = try await world.fixture.start(try kind.planWith(["sourceShareKey: create"], false))
        let stop = await world.fixture.driver.drive(run, onIdle: Self.rollbackWhenStopped)
        #expect(stop == .finished(.rolledBack))
        world.fixture.clock.advance(by: 3600)

        let context = "\(kind.name) \(phase)"
        #expect(
            world.simulator.requests { $0.injected }.count == (phase == .afterTheMove ? 0 : 1), "\(context): the failure was not exercised")
        #expect(kind.restored(world) == nil, "\(context)")
        #expect(world.simulator.dbInstances(account: Self.product).isEmpty, "\(context)")
        #expect(world.simulator.dbSnapshots(account: Self.product, kind: kind.snapshotKind).isEmpty, "\(context)")
        #expect(
            world.simulator.dbSnapshots(account: Self.legacy, kind: kind.snapshotKind).allSatisfy { $0.snapshotType != "manual" },
            "\(context)")
        let runKey = try #require(Self.runKeys(world, runId: run.runId).first, "\(context)")
        #expect(runKey.keyState == "PendingDeletion", "\(context)")
        #expect(world.count("ScheduleKeyDeletion") == 1, "\(context)")
        #expect(world.count("CreateKey") == 1, "\(context)")
        // The key's deletion during rollback waited for its own approval, which stated the window.
        let undoGates = try world.fixture.events(run.runId).compactMap { event, _ -> ApprovalRequested? in
            if case let .approvalRequested(request) = event, request.phase == .undo { return request }
            return nil
        }
        #expect(
            undoGates.contains { $0.step == "\(kind.moveId).share-key" && $0.message?.contains("pending window of 30 days") == true },
            "\(context)")
        let legacyDeletes = world.simulator.requests { $0.account == Self.legacy && $0.operation.hasPrefix("Delete") && $0.mutated }
        #expect(legacyDeletes.allSatisfy { $0.operation == kind.deleteSnapshot }, "\(context): the source was touched")
    }

    /// The share copy is never deleted silently when it is the last copy of its point in time.
    @Test func theShareCopyIsKeptWhenItIsTheLastCopyUntilAnOperatorDecides() async throws {
        let kind = RDSMoveKindCase.instance
        let world = try Self.world(kind, .named)
        let run = try await world.fixture.start(try kind.planWith([ShareKey.named.input], false))
        // Stop before the removal: make it fail once with a throttle-free refusal, then remove the other copies.
        _ = try world.simulator.faults.addRule(
            FaultRule(
                service: "rds", operation: "DeleteDBSnapshot",
                effect: .error(SimError("InvalidDBSnapshotState", "injected", status: 400)), trigger: .requests(1...1)))
        #expect(await world.fixture.driver.drive(run) == .waitingForOperator)
        let removal = "move-db.remove-share-copy"
        #expect(await run.snapshot().steps.first { $0.id == removal }?.lastError?.message.contains("injected") == true)

        // Both other copies of that point in time go away meanwhile.
        let snapshotId = try #require(await run.state.steps["move-db.snapshot"]?.outputs["snapshot"])
        world.simulator.removeDBSnapshot(snapshotId, account: Self.legacy)
        world.simulator.removeDBSnapshot(snapshotId, account: Self.product)
        try await run.decide(step: removal, option: "retry", by: TestPeople.alice)
        #expect(await world.fixture.driver.drive(run) == .waitingForOperator)
        let error = try #require(await run.snapshot().steps.first { $0.id == removal }?.lastError)
        #expect(error.code == "LastCopy")
        #expect(error.message.contains("delete-last-copy"))
        #expect(world.simulator.dbSnapshots(account: Self.legacy).contains { $0.identifier.hasSuffix("-share") })

        try await run.decide(step: removal, option: "delete-last-copy", by: TestPeople.bob)
        #expect(await world.fixture.driver.drive(run) == .finished(.completed))
        #expect(!world.simulator.dbSnapshots(account: Self.legacy).contains { $0.identifier.hasSuffix("-share") })
    }
}
