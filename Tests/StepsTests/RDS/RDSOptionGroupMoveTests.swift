import AWSSimulator
import Engine
import Foundation
import Runbook
import Steps
import TestSupport
import Testing

/// Option groups in an instance move (issue 17 item 2): the preflight compares the source's
/// options (its option group memberships, described) with the target's `optionGroup` and names
/// every persistent or permanent option that is missing; the restore uses the target group; an
/// Aurora move refuses the input with why.
@Suite struct RDSOptionGroupMoveTests {
    static let legacy = RDSTwoAccounts.legacy
    static let product = RDSTwoAccounts.product
    static let tde = SimOption(name: "TDE", persistent: true, permanent: true)
    static let timezone = SimOption(name: "Timezone", persistent: true, permanent: true)
    static let sqlnet = SimOption(name: "SQLNETORA")

    /// The move world plus the Oracle instance `ora-db` in legacy's group `ora-opts` (`sourceOptions`),
    /// and product's group `ora-target` (`targetOptions`), both for oracle-ee 19.
    static func world(sourceOptions: [SimOption], targetOptions: [SimOption]) throws -> RDSMoveWorld {
        let world = try RDSMoveWorld()
        world.simulator.seedOptionGroup(
            SimOptionGroup(name: "ora-opts", engine: "oracle-ee", majorEngineVersion: "19", options: sourceOptions), account: legacy)
        world.simulator.seedOptionGroup(
            SimOptionGroup(name: "ora-target", engine: "oracle-ee", majorEngineVersion: "19", options: targetOptions), account: product)
        let key = try #require(world.simulator.kmsKeys(account: legacy).first { $0.description == "admin-db" })
        try world.simulator.seedDBInstance(
            SimDBInstanceSeed(
                identifier: "ora-db", engine: "oracle-ee", storageEncrypted: true, kmsKeyId: key.arn, optionGroupName: "ora-opts"),
            account: legacy)
        return world
    }

    static func plan(optionGroup: String?) throws -> RunbookPlan {
        var with = "      pollInterval: 5m"
        if let optionGroup { with += "\n      optionGroup: \(optionGroup)" }
        let text = RDSMoveWorld.runbook(with).replacingOccurrences(of: "instance: admin-db", with: "instance: ora-db")
            .replacingOccurrences(of: "      parameterGroup: admin-mysql80\n", with: "")
        return try RDSMoveWorld.plan(text)
    }

    static func preflightError(_ world: RDSMoveWorld, _ plan: RunbookPlan) async throws -> StepError {
        let run = try await world.fixture.start(plan)
        #expect(await world.fixture.driver.drive(run, onIdle: RDSMoveKindCase.approver) == .waitingForOperator)
        let error = try #require(await run.snapshot().steps.first { $0.id == "move-db.preflight" }?.lastError)
        #expect(error.code == "PreflightFailed")
        #expect(world.simulator.requests { $0.mutated }.isEmpty, "preflight changed something")
        return error
    }

    @Test func thePreflightNamesEveryMissingPersistentOrPermanentOption() async throws {
        let world = try Self.world(sourceOptions: [Self.tde, Self.timezone, Self.sqlnet], targetOptions: [Self.sqlnet])
        let error = try await Self.preflightError(world, try Self.plan(optionGroup: "ora-target"))
        #expect(
            error.message.contains(
                "option group `ora-target` in product lacks the persistent and permanent option `TDE` (option group `ora-opts`), "
                    + "persistent and permanent option `Timezone` (option group `ora-opts`)"))
        // TDE also makes the snapshot unshareable, and the preflight says so; Timezone does not.
        #expect(error.message.contains("has the persistent and permanent option `TDE` (option group `ora-opts`): RDS does not share"))
        #expect(!error.message.contains("`SQLNETORA`"), "a plain option is not required")
        // The source's groups were described in legacy, the target's in product.
        let described = world.simulator.requests { $0.operation == "DescribeOptionGroups" }
        #expect(Set(described.map(\.account)) == [Self.legacy, Self.product])
    }

    @Test func aSourceGroupWithOptionsNeedsATargetGroup() async throws {
        let world = try Self.world(sourceOptions: [Self.sqlnet], targetOptions: [])
        let error = try await Self.preflightError(world, try Self.plan(optionGroup: nil))
        #expect(error.message.contains("uses option group `ora-opts` with options SQLNETORA"))
        #expect(error.message.contains("set `optionGroup:`"))
        let missing = try await Self.preflightError(
            try Self.world(sourceOptions: [], targetOptions: []), try Self.plan(optionGroup: "nope"))
        #expect(missing.message.contains("product has no option group `nope`"))
    }

    /// A Timezone option (shareable) travels with the snapshot; the restore lands in the target's
    /// group, which has it — and the simulator would refuse a restore into a group without it.
    @Test func theRestoreUsesTheTargetOptionGroup() async throws {
        let world = try Self.world(sourceOptions: [Self.timezone, Self.sqlnet], targetOptions: [Self.timezone])
        let run = try await world.fixture.start(try Self.plan(optionGroup: "ora-target"))
        #expect(await world.fixture.driver.drive(run, onIdle: RDSMoveKindCase.approver) == .finished(.completed))
        let restored = try #require(world.simulator.dbInstances(account: Self.product).first { $0.identifier == "ora-db" })
        #expect(restored.optionGroupName == "ora-target")
        #expect(restored.carriedOptions == [Self.timezone])
        let restore = try #require(world.simulator.requests { $0.operation == "RestoreDBInstanceFromDBSnapshot" }.first)
        #expect(restore.status == 200)
    }

    @Test func anAuroraMoveRefusesAnOptionGroupWithWhy() throws {
        let text = try RDSClusterMoveWorld.exampleText()
            .replacingOccurrences(of: "      waitTimeout: 12h\n", with: "      waitTimeout: 12h\n      optionGroup: admin-opts\n")
        do {
            _ = try RDSClusterMoveWorld.plan(text)
            Issue.record("an Aurora move accepted optionGroup")
        } catch let error as RunbookDiagnostics {
            let diagnostic = try #require(error.diagnostics.first { $0.message.contains("optionGroup") })
            #expect(diagnostic.message.contains("does not apply to `rds.move-cluster`"))
            #expect(diagnostic.hint?.contains("option groups do not apply to Aurora clusters") == true)
            #expect(diagnostic.hint?.contains("clusterParameterGroup") == true)
            #expect(diagnostic.location.line > 1)
        }
    }
}
