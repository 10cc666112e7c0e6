import AWSSimulator
import Engine
import Foundation
import Runbook
import Steps
import TestSupport
import Testing

/// The preflight of both moves refuses, before anything changes, what would fail later: a source
/// under the AWS managed key (which cannot be shared) when the runbook says `sourceShareKey: none`,
/// and a target without the subnet group.
@Suite struct RDSMovePreflightTests {
    @Test(arguments: RDSMoveKindCase.all)
    func theDefaultAWSRDSKeyFailsPreflightWithTheWayOutUnderNone(_ kind: RDSMoveKindCase) async throws {
        let world = try kind.makeWorld(true, true)
        let run = try await world.fixture.start(try kind.planWith(["sourceShareKey: none"], false))
        #expect(await world.fixture.driver.drive(run, onIdle: RDSMoveKindCase.approver) == .waitingForOperator)
        let error = try #require(await run.snapshot().steps.first { $0.id == "\(kind.moveId).preflight" }?.lastError)
        #expect(error.code == "PreflightFailed")
        #expect(error.message.contains("aws/rds"))
        #expect(error.message.contains("\(kind.copyCall) with KmsKeyId"))
        #expect(error.message.contains("customer managed KMS key"))
        #expect(error.message.contains("`sourceShareKey: create`"))
        #expect(world.count(kind.createSnapshot) == 0)
        #expect(world.simulator.requests { $0.mutated }.isEmpty, "preflight changed something")
    }

    @Test(arguments: RDSMoveKindCase.all)
    func aMissingSubnetGroupInTheTargetIsNamed(_ kind: RDSMoveKindCase) async throws {
        let world = try kind.makeWorld(false, false)
        let run = try await world.fixture.start(try kind.movePlan())
        #expect(await world.fixture.driver.drive(run, onIdle: RDSMoveKindCase.approver) == .waitingForOperator)
        let error = try #require(await run.snapshot().steps.first { $0.id == "\(kind.moveId).preflight" }?.lastError)
        #expect(error.message.contains("no DB subnet group `admin-private`"))
        #expect(!error.message.contains("aws/rds"))
        #expect(
            world.simulator.requests { $0.operation == "DescribeDBSubnetGroups" }.map(\.errorCode).contains("DBSubnetGroupNotFoundFault"))
        #expect(world.count(kind.createSnapshot) == 0)
    }
}
