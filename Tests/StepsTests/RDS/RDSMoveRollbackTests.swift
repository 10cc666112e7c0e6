import AWSSimulator
import Engine
import Foundation
import Runbook
import Steps
import TestSupport
import Testing

/// A rollback after the whole move, for both kinds: every undo runs once, what the run created in
/// the target is gone, both snapshots are deleted and the share removed, and the source is left
/// as it was (the only delete in the source is of the run's own snapshot).
@Suite struct RDSMoveRollbackTests {
    @Test(arguments: RDSMoveKindCase.all)
    func rollbackAfterTheMoveRemovesExactlyWhatTheRunCreated(_ kind: RDSMoveKindCase) async throws {
        let world = try kind.makeWorld(false, true)
        let run = try await world.fixture.start(try kind.rollbackPlan())
        #expect(await world.fixture.driver.drive(run, onIdle: RDSMoveWorld.rollbacker) == .finished(.rolledBack))
        #expect(try #require(await run.state.steps["\(kind.moveId).\(kind.lastMutation)"]).succeeded)

        world.fixture.clock.advance(by: 3600)
        kind.expectRolledBack(world, kind.name)
        for (operation, times) in kind.onceWithRollback.sorted(by: { $0.key < $1.key }) {
            #expect(world.count(operation) == times, "\(operation) issued \(world.count(operation)) times")
        }
        #expect(world.count(kind.deleteSnapshot) == 2)  // the source snapshot and the copy
        #expect(world.count(kind.share) == 2)  // share, unshare
        let legacy = RDSTwoAccounts.legacy
        #expect(
            world.simulator.requests { $0.account == legacy && $0.operation.hasPrefix("Delete") && $0.operation != kind.deleteSnapshot }
                .isEmpty)
    }
}
