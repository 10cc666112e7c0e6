import AWSSimulator
import Engine
import Foundation
import Journal
import Runbook
import Steps
import TestSupport
import Testing

/// Issue 9: the admin-console cutover while the machine's wall clock jumps — back 30 min in the
/// middle of the forced wait, forward 2 h while the closing approval waits — with the bucket's
/// re-create refused twice (`OperationAborted`, S3 still holding the name) so the re-create loop
/// runs. Engine and simulator share the clock, as they share a machine. The forced wait must end
/// no earlier than the delete plus the forced wait as journaled, each re-create attempt no earlier
/// than the time the previous failure journaled for it, and the run must reach the clean end.
@Suite struct AdminConsoleClockJumpTests {
    @Test func theForcedWaitAndTheRecreateLoopKeepToTheClockThroughJumps() async throws {
        let plan = try AdminConsoleWorld.plan()
        let world = try AdminConsoleWorld()
        // The first CreateBucket with this prefix is the staging bucket; the 2nd and 3rd are the
        // re-creates of admin-images.
        _ = try world.simulator.faults.addRule(
            FaultRule(
                service: "s3", operation: "CreateBucket", resourcePrefix: AdminConsoleWorld.bucket,
                effect: .error(
                    SimError(
                        "OperationAborted",
                        "A conflicting conditional operation is currently in progress against this resource. Please try again.",
                        status: 409, resource: AdminConsoleWorld.bucket)),
                trigger: .requests(2...3)))
        let run = try await world.start(plan)
        let clock = world.fixture.clock

        var jumpedForwardAt: Date?
        var jumpedBack: (from: Date, to: Date, due: Date)?
        var end = EngineDriver.Stop.gaveUp
        drive: for _ in 0..<10_000 {
            switch await run.settle() {
            case let .idle(nextWake, status):
                if status.isTerminal {
                    end = .finished(status)
                    break drive
                }
                let steps = await run.snapshot().steps
                func stepStatus(_ id: String) -> StepState.Status? { steps.first { $0.id == id }?.status }
                if jumpedForwardAt == nil, stepStatus("maintenance-off") == .awaitingApproval {
                    // Forward 2 h while the closing approval waits (still inside the window); a
                    // jump before the point of no return would rightly stop the run, as the
                    // remaining work would no longer fit in the window.
                    jumpedForwardAt = clock.now()
                    clock.jump(to: clock.now().addingTimeInterval(2 * 3600))
                    continue
                }
                if jumpedBack == nil, stepStatus("move-images.forced-wait") == .waiting, let due = try forcedWaitDue(world, run.runId),
                    clock.now() >= due.addingTimeInterval(-1800)
                {
                    // Half an hour before the wait ends, the clock goes back half an hour.
                    let from = clock.now()
                    clock.jump(to: from.addingTimeInterval(-1800))
                    jumpedBack = (from, clock.now(), due)
                    let after = await run.settle()
                    #expect(
                        await run.snapshot().steps.first { $0.id == "move-images.forced-wait" }?.status == .waiting,
                        "the forced wait ended after the clock went back (\(after))")
                    continue
                }
                if await AdminConsoleWorld.approver(run) { continue }
                guard let nextWake else {
                    end = .waitingForOperator
                    break drive
                }
                // Time passes in small steps through the forced wait, so the jump back lands inside it.
                let step =
                    stepStatus("move-images.forced-wait") == .waiting && jumpedBack == nil
                    ? min(nextWake, clock.now().addingTimeInterval(600)) : nextWake
                clock.advance(to: step)
            case .halted:
                end = .halted
                break drive
            case .stopped, .busy:
                break drive
            }
        }

        let forward = try #require(jumpedForwardAt, "the clock never jumped forward")
        let back = try #require(jumpedBack, "the clock never jumped back during the forced wait")
        try await AdminConsoleCrashTests().expectEndState(world, run: run, end: end, context: "clock jumps")
        #expect(world.requests("DeleteBucket", on: AdminConsoleWorld.bucket).count == 1)

        let events = try world.fixture.events(run.runId)
        let delete = try #require(world.requests("DeleteBucket", on: AdminConsoleWorld.bucket).first)
        let waitEnd = try #require(
            events.first { event, _ in
                if case let .attemptSucceeded(e) = event { return e.step == "move-images.forced-wait" }
                return false
            }?.1)
        #expect(back.due >= delete.time.addingTimeInterval(3600))
        #expect(waitEnd >= back.due, "the forced wait ended at \(waitEnd), before its journaled due time \(back.due)")

        // The re-create loop: every attempt at or after the time its predecessor's failure set.
        var attempts: [(attempt: Int, at: Date)] = []
        var failures: [(attempt: Int, error: String, next: Date?)] = []
        for (event, time) in events {
            switch event {
            case let .attemptStarted(e) where e.step == "move-images.recreate": attempts.append((e.attempt, time))
            case let .attemptFailed(e) where e.step == "move-images.recreate": failures.append((e.attempt, e.error.code, e.nextAttemptAt))
            default: break
            }
        }
        #expect(attempts.count == 3, "two refusals, then the re-create: \(attempts)")
        #expect(failures.count == 2)
        for (index, failure) in failures.enumerated() where index + 1 < attempts.count {
            let next = try #require(failure.next, "attempt \(failure.attempt) failed with no next attempt: \(failure.error)")
            #expect(attempts[index + 1].at >= next, "attempt \(attempts[index + 1].attempt) at \(attempts[index + 1].at), before \(next)")
        }
        #expect(attempts.first.map { $0.at >= back.due } == true, "the first re-create came before the forced wait's end")

        let t0 = AdminConsoleWorld.start
        func offset(_ date: Date) -> String { String(format: "%+.0f s", date.timeIntervalSince(t0)) }
        print(
            "admin-console clock jumps (offsets from \(t0)): forward 2 h at \(offset(forward)); delete at \(offset(delete.time)); "
                + "forced wait due \(offset(back.due)), clock back 30 min at \(offset(back.from)) → \(offset(back.to)), wait ended \(offset(waitEnd)); "
                + "re-create attempts " + attempts.map { "#\($0.attempt) \(offset($0.at))" }.joined(separator: ", ")
                + "; failures " + failures.map { "#\($0.attempt) \($0.error) next \($0.next.map(offset) ?? "-")" }.joined(separator: ", "))
    }

    /// The forced wait's journaled due time, once it is journaled.
    func forcedWaitDue(_ world: AdminConsoleWorld, _ runId: String) throws -> Date? {
        try world.fixture.events(runId).compactMap { event, _ -> Date? in
            if case let .timerSet(timer) = event, timer.step == "move-images.forced-wait" { return timer.due }
            return nil
        }.first
    }
}
