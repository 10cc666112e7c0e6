import AWSSimulator
import Engine
import Foundation
import Runbook
import Steps
import TestSupport
import Testing

/// A world a move runs in, whichever kind it moves.
protocol RDSMoveTestWorld: Sendable {
    var fixture: EngineFixture { get }
    var simulator: Simulator { get }
    var targetKeyArn: String { get }
    func count(_ operation: String) -> Int
}

extension RDSMoveWorld: RDSMoveTestWorld {}
extension RDSClusterMoveWorld: RDSMoveTestWorld {}

/// One kind of RDS move as the tests that hold for both kinds see it: its world, its plans, the
/// calls it must make exactly once, and what the target looks like after a move or a rollback.
/// Tests over both kinds take `RDSMoveKindCase.all` as `@Test(arguments:)`.
struct RDSMoveKindCase: Sendable, CustomTestStringConvertible {
    var name: String
    /// The move's step id in its runbook (`move-db`).
    var moveId: String
    /// The copy call the preflight names when the source key cannot be shared.
    var copyCall: String
    var createSnapshot: String
    var deleteSnapshot: String
    var share: String
    /// The last mutating primitive of the move, the one a rollback after the move undoes first.
    var lastMutation: String
    var makeWorld: @Sendable (_ awsManagedSourceKey: Bool, _ seedTargetSubnetGroup: Bool) throws -> any RDSMoveTestWorld
    /// A world whose restores and new members are ready before the waits poll densely (well
    /// under half their expected duration, `RDSPollSchedule`): the crash harnesses replay every
    /// journal write, and a poll every 5 s would multiply the writes without exercising anything new.
    var makeCrashWorld: @Sendable (_ awsManagedSourceKey: Bool) throws -> any RDSMoveTestWorld
    /// The move alone, with no approval an operator would have to give.
    var movePlan: @Sendable () throws -> RunbookPlan
    /// The move followed by an approval, where `RDSMoveWorld.rollbacker` rolls back.
    var rollbackPlan: @Sendable () throws -> RunbookPlan
    /// The mutating calls the move makes exactly once.
    var once: [String]
    /// How many times each mutating call is made by a move and its rollback.
    var onceWithRollback: [String: Int]
    /// What a finished move left; `context` names the crash point.
    var expectMoved: @Sendable (_ world: any RDSMoveTestWorld, _ context: String) -> Void
    /// What a finished rollback left (an hour after it, for the deletes to complete).
    var expectRolledBack: @Sendable (_ world: any RDSMoveTestWorld, _ context: String) -> Void
    /// The move with extra `with:` lines (`sourceShareKey: create`); `approval` keeps the closing
    /// approval the rollbacker rolls back at.
    var planWith: @Sendable (_ extra: [String], _ approval: Bool) throws -> RunbookPlan
    /// The restored instance's or cluster's status and key, when it exists.
    var restored: @Sendable (_ world: any RDSMoveTestWorld) -> (status: String, kmsKeyId: String?)?
    /// The snapshot kind the move takes.
    var snapshotKind: SimDBSnapshot.Kind

    var testDescription: String { name }

    static let all = [instance, cluster]

    /// Restores and members ready after 200 + 120 s, before half their 15-minute-plus estimate.
    static let crashTimings = RDSTimings(instanceCreating: 200)

    static let instance = RDSMoveKindCase(
        name: "instance", moveId: "move-db", copyCall: "CopyDBSnapshot", createSnapshot: "CreateDBSnapshot",
        deleteSnapshot: "DeleteDBSnapshot", share: "ModifyDBSnapshotAttribute", lastMutation: "restore",
        makeWorld: { awsManaged, subnetGroup in
            try RDSMoveWorld(.init(sourceKey: awsManaged ? .awsManaged : .customerManaged, seedTargetSubnetGroup: subnetGroup))
        },
        makeCrashWorld: { awsManaged in
            try RDSMoveWorld(.init(sourceKey: awsManaged ? .awsManaged : .customerManaged, timings: RDSMoveKindCase.crashTimings))
        },
        movePlan: { try RDSMoveWorld.plan(RDSMoveWorld.runbook("      pollInterval: 5m")) },
        rollbackPlan: { try RDSMoveWorld.plan(RDSMoveWorld.rollbackRunbook) },
        once: ["CreateDBSnapshot", "CopyDBSnapshot", "RestoreDBInstanceFromDBSnapshot"],
        onceWithRollback: ["CreateDBSnapshot": 1, "CopyDBSnapshot": 1, "RestoreDBInstanceFromDBSnapshot": 1, "DeleteDBInstance": 1],
        expectMoved: { world, context in
            let restored = world.simulator.dbInstances(account: RDSMoveWorld.product).first { $0.identifier == "admin-db" }
            #expect(restored?.status(at: world.fixture.clock.now()) == "available", "\(context)")
            #expect(restored?.kmsKeyId == world.targetKeyArn, "\(context)")
            #expect(world.count("DeleteDBInstance") == 0, "\(context)")
            #expect(world.count("DeleteDBSnapshot") == 0, "\(context)")
        },
        expectRolledBack: { world, context in
            #expect(world.simulator.dbInstances(account: RDSMoveWorld.product).isEmpty, "\(context)")
            #expect(world.simulator.dbSnapshots(account: RDSMoveWorld.product).isEmpty, "\(context)")
            #expect(world.simulator.dbSnapshots(account: RDSMoveWorld.legacy).allSatisfy { $0.snapshotType != "manual" }, "\(context)")
            #expect(world.simulator.dbInstanceStatus("admin-db", account: RDSMoveWorld.legacy) == "available", "\(context)")
        },
        planWith: { extra, approval in
            let lines = (["      pollInterval: 5m"] + extra.map { "      \($0)" }).joined(separator: "\n")
            return try RDSMoveWorld.plan(
                approval ? RDSMoveWorld.runbook(lines, steps: RDSMoveWorld.closingApproval) : RDSMoveWorld.runbook(lines))
        },
        restored: { world in
            world.simulator.dbInstances(account: RDSMoveWorld.product).first { $0.identifier == "admin-db" }
                .map { ($0.status(at: world.fixture.clock.now()), $0.kmsKeyId) }
        },
        snapshotKind: .instance)

    static let cluster = RDSMoveKindCase(
        name: "cluster", moveId: "move-aurora", copyCall: "CopyDBClusterSnapshot", createSnapshot: "CreateDBClusterSnapshot",
        deleteSnapshot: "DeleteDBClusterSnapshot", share: "ModifyDBClusterSnapshotAttribute", lastMutation: "members",
        makeWorld: { awsManaged, subnetGroup in
            try RDSClusterMoveWorld(.init(awsManagedSourceKey: awsManaged, seedTargetSubnetGroup: subnetGroup))
        },
        makeCrashWorld: { awsManaged in
            try RDSClusterMoveWorld(.init(awsManagedSourceKey: awsManaged, timings: RDSMoveKindCase.crashTimings))
        },
        movePlan: {
            // The example without its closing approval: every journal write is the engine's own (a
            // crash inside an operator's approve call fails that call, it does not halt the engine).
            let text = try RDSClusterMoveWorld.exampleText()
            let end = try #require(text.range(of: "  - id: switch-over"))
            return try RDSClusterMoveWorld.plan(String(text[..<end.lowerBound]))
        },
        rollbackPlan: { try RDSClusterMoveWorld.examplePlan() },
        once: ["CreateDBClusterSnapshot", "ModifyDBClusterSnapshotAttribute", "CopyDBClusterSnapshot", "RestoreDBClusterFromSnapshot"],
        onceWithRollback: [
            "CreateDBClusterSnapshot": 1, "ModifyDBClusterSnapshotAttribute": 2, "CopyDBClusterSnapshot": 1,
            "RestoreDBClusterFromSnapshot": 1, "DeleteDBCluster": 1,
        ],
        expectMoved: { world, context in
            let restored = world.simulator.dbClusters(account: RDSClusterMoveWorld.product).first { $0.identifier == "admin-aurora" }
            #expect(restored?.status(at: world.fixture.clock.now()) == "available", "\(context)")
            #expect(restored?.kmsKeyId == world.targetKeyArn, "\(context)")
            #expect(restored?.members == ["admin-aurora-1", "admin-aurora-2"], "\(context)")
            for member in ["admin-aurora-1", "admin-aurora-2"] {
                let creates = world.simulator.requests { $0.operation == "CreateDBInstance" && $0.resource == member }.count
                #expect(creates == 1, "\(context): CreateDBInstance \(member) issued \(creates) times")
            }
            #expect(world.simulator.requests { $0.operation.hasPrefix("Delete") }.isEmpty, "\(context)")
        },
        expectRolledBack: { world, context in
            let product = RDSClusterMoveWorld.product
            let deletes = world.simulator.requests { $0.operation == "DeleteDBInstance" && $0.account == product && $0.mutated }.count
            #expect(deletes == 2, "\(context)")
            #expect(world.simulator.dbClusters(account: product).map(\.identifier) == ["reporting"], "\(context)")
            #expect(world.simulator.dbInstances(account: product).isEmpty, "\(context)")
            #expect(world.simulator.dbSnapshots(account: product, kind: .cluster).isEmpty, "\(context)")
            #expect(world.simulator.dbSnapshots(account: RDSClusterMoveWorld.legacy, kind: .cluster).isEmpty, "\(context)")
            let source = world.simulator.dbClusters(account: RDSClusterMoveWorld.legacy).first
            #expect(source?.members == ["admin-aurora-a", "admin-aurora-b"], "\(context)")
            #expect(source?.status(at: world.fixture.clock.now()) == "available", "\(context)")
        },
        planWith: { extra, approval in
            var text = try RDSClusterMoveWorld.exampleText()
            let lines = extra.map { "      \($0)\n" }.joined()
            text = text.replacingOccurrences(of: "      waitTimeout: 12h\n", with: "      waitTimeout: 12h\n" + lines)
            if !approval, let end = text.range(of: "  - id: switch-over") { text = String(text[..<end.lowerBound]) }
            return try RDSClusterMoveWorld.plan(text)
        },
        restored: { world in
            world.simulator.dbClusters(account: RDSClusterMoveWorld.product).first { $0.identifier == "admin-aurora" }
                .map { ($0.status(at: world.fixture.clock.now()), $0.kmsKeyId) }
        },
        snapshotKind: .cluster)

    /// Approves every gate it finds waiting (the cluster example's switch-over approval).
    static let approver = RDSClusterMoveWorld.approver
}
