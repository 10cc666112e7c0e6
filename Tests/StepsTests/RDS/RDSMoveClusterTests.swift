import AWSSimulator
import Engine
import Foundation
import Runbook
import Steps
import TestSupport
import Testing

/// `rds.move-cluster` end to end, from `Runbooks/examples/aurora-move.yaml`: the real engine on
/// the virtual clock, the real clients through AssumeRole into a second account, the simulator's
/// RDS and KMS with their modelled timings.
@Suite struct RDSMoveClusterTests {
    typealias World = RDSClusterMoveWorld

    static let mutatingCalls = [
        "CreateDBClusterSnapshot", "ModifyDBClusterSnapshotAttribute", "CopyDBClusterSnapshot", "RestoreDBClusterFromSnapshot",
        "CreateDBInstance", "CreateDBInstance",
    ]

    /// Eleven primitives of the move, the five share-key primitives of `sourceShareKey: auto` (the
    /// default; they work only for a source on aws/rds), and an approval.
    @Test func theExamplePlansIntoSixteenPrimitivesAndAnApproval() throws {
        let plan = try World.examplePlan()
        #expect(
            plan.steps.map(\.id) == [
                "move-aurora.preflight", "move-aurora.share-key", "move-aurora.snapshot", "move-aurora.wait-snapshot", "move-aurora.rekey",
                "move-aurora.wait-rekey", "move-aurora.share", "move-aurora.copy", "move-aurora.wait-copy", "move-aurora.restore",
                "move-aurora.wait-cluster", "move-aurora.members", "move-aurora.wait-members", "move-aurora.verify",
                "move-aurora.remove-share-copy", "move-aurora.delete-share-key", "switch-over",
            ])
        let move = plan.steps.filter { $0.id.hasPrefix("move-aurora.") }
        #expect(move.map(\.account) == Array(repeating: "legacy", count: 7) + Array(repeating: "product", count: 7) + ["legacy", "legacy"])
        #expect(move.allSatisfy { $0.reversibility != .irreversible })
        #expect(
            move.filter { $0.effect == .mutating }.map(\.id)
                == [
                    "move-aurora.share-key", "move-aurora.snapshot", "move-aurora.rekey", "move-aurora.share", "move-aurora.copy",
                    "move-aurora.restore", "move-aurora.members", "move-aurora.remove-share-copy", "move-aurora.delete-share-key",
                ])
        #expect(try #require(plan.step("move-aurora.restore")).title.contains("DESTRUCTIVE"))
        #expect(try #require(plan.step("move-aurora.members")).title.contains("DESTRUCTIVE"))
        #expect(try #require(plan.step("move-aurora.wait-copy")).title.contains("12h"))
        #expect(plan.step("move-aurora.verify")?.inputs["clusterParameterGroup"] == .string("admin-aurora-mysql80"))
    }

    @Test func badInputsAreReportedAtOnceWithTheirLines() throws {
        let text = try World.exampleText()
            .replacingOccurrences(of: "to: product", with: "to: legacy")
            .replacingOccurrences(of: "securityGroups: [sg-0abc]", with: "securityGroups: [default]")
            .replacingOccurrences(of: "      # instances: 2 ", with: "      instances: 40 ")
        do {
            _ = try World.plan(text)
            Issue.record("the plan accepted a move into the same account")
        } catch let error as RunbookDiagnostics {
            let messages = error.diagnostics.map(\.message).joined(separator: "\n")
            #expect(messages.contains("to the same account"))
            #expect(messages.contains("not a security group ID"))
            #expect(messages.contains("`with.instances` of step `move-aurora` is 40"))
            let lines = try World.exampleText().components(separatedBy: "\n")
            let toLine = try #require(lines.firstIndex { $0.contains("to: product") }) + 1
            #expect(error.diagnostics.contains { $0.message.contains("same account") && $0.location.line == toLine })
        }
    }

    @Test func happyPathRestoresTheClusterAndItsMembersInTheTarget() async throws {
        let world = try World()
        let run = try await world.fixture.start(try World.examplePlan())
        #expect(await world.fixture.driver.drive(run, onIdle: World.approver) == .finished(.completed))

        let now = world.fixture.clock.now()
        let restored = try #require(world.simulator.dbClusters(account: World.product).first { $0.identifier == "admin-aurora" })
        #expect(restored.status(at: now) == "available")
        #expect(restored.storageEncrypted && restored.kmsKeyId == world.targetKeyArn)
        #expect(restored.subnetGroupName == "admin-private")
        #expect(restored.securityGroupIds == ["sg-0abc"])
        #expect(restored.clusterParameterGroupName == "admin-aurora-mysql80")
        #expect(restored.members == ["admin-aurora-1", "admin-aurora-2"])
        let members = world.simulator.dbInstances(account: World.product).filter { $0.clusterIdentifier == "admin-aurora" }
        #expect(members.map(\.identifier) == ["admin-aurora-1", "admin-aurora-2"])
        #expect(
            members.allSatisfy {
                $0.status(at: now) == "available" && $0.instanceClass == "db.r6g.large" && $0.kmsKeyId == world.targetKeyArn
            })

        let verify = try #require(await run.state.steps["move-aurora.verify"])
        #expect(verify.outputs["endpoint"] == restored.endpoint)
        #expect(verify.outputs["readerEndpoint"] == restored.readerEndpoint)
        #expect(verify.outputs["port"] == String(restored.port))
        #expect(verify.outputs["arn"] == restored.arn)

        // The source is untouched: still available with its two members; only the snapshot and share were made there.
        let source = try #require(world.simulator.dbClusters(account: World.legacy).first)
        #expect(source.status(at: now) == "available" && source.members == ["admin-aurora-a", "admin-aurora-b"])
        #expect(
            world.simulator.requests { $0.account == World.legacy && $0.mutated }.map(\.operation)
                == ["CreateDBClusterSnapshot", "ModifyDBClusterSnapshotAttribute"])

        // Every mutating call once, journaled with its request ID, in the right account.
        let events = try world.fixture.events(run.runId)
        let calls = events.compactMap { event, _ -> AWSCallRecord? in
            if case let .awsCall(c) = event { return c.call }
            return nil
        }
        #expect(calls.map(\.operation) == Self.mutatingCalls)
        #expect(calls.allSatisfy { $0.requestId != nil && $0.outcome == "ok" && $0.mutating })
        #expect(calls.map(\.account) == [World.legacy, World.legacy] + Array(repeating: World.product, count: 4))
        #expect(world.simulator.requests { $0.mutated }.map(\.operation) == Self.mutatingCalls)
        // Waits followed progress, with PercentProgress and members counted.
        let progress = events.compactMap { event, _ -> String? in
            if case let .pollPending(p) = event { return p.progress }
            return nil
        }
        #expect(progress.contains { $0.contains("%") })
        #expect(progress.contains { $0.contains("/2 available") })
        // The preflight's placement lookups ran in the target, answered by the simulator.
        for (service, operation) in [
            ("rds", "DescribeDBSubnetGroups"), ("rds", "DescribeDBClusterParameterGroups"), ("ec2", "DescribeSecurityGroups"),
        ] {
            let served = world.simulator.requests { $0.service == service && $0.operation == operation }
            #expect(!served.isEmpty && served.allSatisfy { $0.account == World.product && $0.status == 200 }, "\(operation)")
        }
    }
}
