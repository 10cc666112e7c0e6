import AWSClient
import AWSSimulator
import Engine
import Foundation
import Runbook
import Steps
import TestSupport

/// Two accounts in one simulator on the engine's virtual clock, as `Runbooks/examples/aurora-move.yaml`
/// expects them: `legacy` (111…) with the Aurora MySQL cluster `admin-aurora` and its two
/// `db.r6g.large` members, encrypted under a customer managed key shared with `product`;
/// `product` (222…, reached by assuming CutoverTarget) with the key `alias/admin-db`, subnet group
/// `admin-private`, security group `sg-0abc` and cluster parameter group `admin-aurora-mysql80`.
/// A bystander the move must leave alone: the cluster `reporting` in product.
final class RDSClusterMoveWorld: Sendable {
    static let legacy = RDSTwoAccounts.legacy
    static let product = RDSTwoAccounts.product
    static let exampleFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Runbooks/examples/aurora-move.yaml")

    let fixture: EngineFixture
    let simulator: Simulator
    let targetKeyArn: String

    struct Options {
        var awsManagedSourceKey = false
        var seedTargetSubnetGroup = true
        var unencrypted = false
        var timings = RDSTimings()
    }

    init(_ options: Options = Options()) throws {
        fixture = try EngineFixture(inMemoryFilesystem: true)
        simulator = Simulator(
            configuration: SimConfiguration(region: "us-east-1", rds: options.timings), clock: SharedSimClock(fixture.clock))
        let key = try RDSTwoAccounts.add(to: simulator)

        let sourceKey =
            options.awsManagedSourceKey || options.unencrypted
            ? nil
            : try simulator.createKMSKey(
                account: Self.legacy, description: "admin-aurora", sharedWith: [Self.product], alias: "alias/legacy-aurora"
            ).arn
        try simulator.seedDBCluster(
            identifier: "admin-aurora", kmsKeyId: sourceKey, storageEncrypted: !options.unencrypted, account: Self.legacy)
        for member in ["admin-aurora-a", "admin-aurora-b"] {
            try simulator.seedDBInstance(
                SimDBInstanceSeed(
                    identifier: member, engine: "aurora-mysql", instanceClass: "db.r6g.large", clusterIdentifier: "admin-aurora"),
                account: Self.legacy)
        }
        try simulator.seedDBCluster(identifier: "reporting", account: Self.product)
        targetKeyArn = try simulator.createKMSKey(account: Self.product, description: "admin-aurora in product", alias: "alias/admin-db")
            .arn
        simulator.seedRDSNetwork(
            account: Self.product, subnetGroups: options.seedTargetSubnetGroup ? ["admin-private": "vpc-0product"] : [:],
            securityGroups: ["sg-0abc": "vpc-0product"], clusterParameterGroups: ["admin-aurora-mysql80"])

        try RDSTwoAccounts.connect(fixture, to: simulator, key: key)
    }

    static func exampleText() throws -> String { try String(contentsOf: exampleFile, encoding: .utf8) }

    static func plan(_ text: String) throws -> RunbookPlan {
        let runbook = try RunbookLoader(catalog: StepLibrary.catalog).load(text: text, file: "aurora-move.yaml")
        return try RunbookPlanner(catalog: StepLibrary.catalog).plan(runbook, parameters: [:])
    }

    static func examplePlan() throws -> RunbookPlan { try plan(try exampleText()) }

    /// Approves every gate it finds waiting.
    static let approver: @Sendable (RunExecutor) async -> Bool = { run in
        let waiting = await run.snapshot().steps.filter { $0.status == .awaitingApproval }.map(\.id)
        var acted = false
        for step in waiting where (try? await run.approve(step: step, by: TestPeople.alice)) != nil { acted = true }
        return acted
    }

    /// Rolls the run back as soon as it waits for an approval (after the whole move, before the
    /// switch), and approves the undo gates the rollback asks for (the restored cluster's and its
    /// members' deletes) — the instance move's rollbacker.
    static let rollbacker = RDSMoveWorld.rollbacker

    /// How many requests of `operation` the simulator saw (any account, any outcome).
    func count(_ operation: String) -> Int { simulator.requests { $0.operation == operation }.count }
    /// How many requests of `operation` changed something in `account`.
    func mutations(_ operation: String, in account: String) -> Int {
        simulator.requests { $0.operation == operation && $0.account == account && $0.mutated }.count
    }
}
