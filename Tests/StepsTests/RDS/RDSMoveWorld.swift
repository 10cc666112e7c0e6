import AWSClient
import AWSSimulator
import Engine
import Foundation
import Runbook
import Steps
import TestSupport

/// Two accounts in one simulator on the engine's virtual clock, as the popinfo cutover has them:
/// `legacy` (111…, the daemon's own credentials) with the MySQL instance `admin-db` encrypted under
/// a customer managed key shared with `product`; `product` (222…, reached by assuming
/// CutoverTarget) with the key `alias/admin-db`, subnet group `admin-private`, security group
/// `sg-0abc` and parameter group `admin-mysql80`. RDS takes its modelled minutes; the virtual
/// clock makes them instant. Every call — the preflight's subnet-group, parameter-group and EC2
/// security-group lookups included — is answered by the simulator itself.
final class RDSMoveWorld: Sendable {
    static let legacy = RDSTwoAccounts.legacy
    static let product = RDSTwoAccounts.product

    let fixture: EngineFixture
    let simulator: Simulator
    let targetKeyArn: String

    struct Options {
        var sourceKey: SourceKey = .customerManaged
        var seedTargetSubnetGroup = true
        var timings = RDSTimings()

        enum SourceKey { case customerManaged, awsManaged, unencrypted }
    }

    init(_ options: Options = Options()) throws {
        fixture = try EngineFixture(inMemoryFilesystem: true)
        simulator = Simulator(
            configuration: SimConfiguration(region: "us-east-1", rds: options.timings), clock: SharedSimClock(fixture.clock))
        let key = try RDSTwoAccounts.add(to: simulator)

        let sourceKey: String?
        switch options.sourceKey {
        case .customerManaged:
            sourceKey = try simulator.createKMSKey(
                account: Self.legacy, description: "admin-db", sharedWith: [Self.product],
                alias: "alias/legacy-admin-db"
            ).arn
        case .awsManaged, .unencrypted:
            sourceKey = nil
        }
        try simulator.seedDBInstance(
            SimDBInstanceSeed(
                identifier: "admin-db", engine: "mysql", engineVersion: "8.0.40", storageEncrypted: options.sourceKey != .unencrypted,
                kmsKeyId: sourceKey, tags: ["app": "admin-console"]),
            account: Self.legacy)
        targetKeyArn = try simulator.createKMSKey(account: Self.product, description: "admin-db in product", alias: "alias/admin-db").arn
        simulator.seedRDSNetwork(
            account: Self.product, subnetGroups: options.seedTargetSubnetGroup ? ["admin-private": "vpc-0product"] : [:],
            securityGroups: ["sg-0abc": "vpc-0product"], parameterGroups: ["admin-mysql80"])

        try RDSTwoAccounts.connect(fixture, to: simulator, key: key)
    }

    static func runbook(_ with: String = "", steps extra: String = "") -> String {
        """
        apiVersion: cutover/v1
        name: rds-move
        region: us-east-1
        accounts:
          legacy: { id: "111111111111" }
          product: { role: "arn:aws:iam::222222222222:role/CutoverTarget", externalId: popinfo-2026 }
        approvals: { approvers: ["group:cutover-approvers"], required: 1, allowInitiator: false }
        steps:
          - id: move-db
            uses: rds.move-instance
            with:
              instance: admin-db
              from: legacy
              to: product
              kmsKey: alias/admin-db
              subnetGroup: admin-private
              securityGroups: [sg-0abc]
              parameterGroup: admin-mysql80
        \(with)
        \(extra)
        """
    }

    static func plan(_ text: String) throws -> RunbookPlan {
        let runbook = try RunbookLoader(catalog: StepLibrary.catalog).load(text: text, file: "rds-move.yaml")
        return try RunbookPlanner(catalog: StepLibrary.catalog).plan(runbook, parameters: [:])
    }

    /// The approval to leave maintenance after the move, where `rollbacker` rolls back.
    static let closingApproval = """
          - id: maintenance-off
            uses: approval
            message: Point the admin console at the new endpoint, then approve.
        """

    /// The move followed by an approval to leave maintenance, where `rollbacker` rolls back.
    static let rollbackRunbook = runbook("      pollInterval: 5m", steps: closingApproval)

    /// Rolls the run back as soon as it waits for an approval (after the whole move), and approves
    /// the undo gates the rollback then asks for (the restored instance's delete).
    static let rollbacker: @Sendable (RunExecutor) async -> Bool = { run in
        let snapshot = await run.snapshot()
        let waiting = snapshot.steps.filter { $0.status == .awaitingApproval }.map(\.id)
        if snapshot.status == .rollingBack {
            var acted = false
            for step in waiting where (try? await run.approve(step: step, by: TestPeople.bob)) != nil { acted = true }
            return acted
        }
        guard snapshot.status == .running, !waiting.isEmpty else { return false }
        return (try? await run.rollback(by: TestPeople.alice, comment: "abort")) != nil
    }

    /// How many requests of `operation` the simulator saw (any account, any outcome).
    func count(_ operation: String) -> Int { simulator.requests { $0.operation == operation }.count }
}
