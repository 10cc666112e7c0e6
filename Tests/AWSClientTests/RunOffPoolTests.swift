import Foundation
import Synchronization
import TestSupport
import Testing

/// `runOffPool` (TestSupport, whose helpers have no test target of their own): while more blocking
/// calls run through it than the cooperative pool has threads, a task on the pool still runs.
/// Judged on progress, not time: the blocked calls are released by a plain thread, either as soon
/// as the pool task has run or after a long deadline; the test passes only in the first case.
/// Running the closures inline on the pool instead blocks every pool thread until the deadline.
@Suite struct RunOffPoolTests {
    final class Probe: Sendable {
        let blockers = ProcessInfo.processInfo.activeProcessorCount + 2
        let blocked = Mutex(0)
        let release = DispatchSemaphore(value: 0)
        let progressed = DispatchSemaphore(value: 0)
        let progressedFirst = Mutex<Bool?>(nil)
    }

    @Test func aTaskOnThePoolRunsWhileBlockingCallsWaitOffIt() async throws {
        let probe = Probe()
        // Not a task: the releaser must run when every pool thread is blocked.
        Thread.detachNewThread {
            let first = probe.progressed.wait(timeout: .now() + 60) == .success
            probe.progressedFirst.withLock { $0 = first }
            for _ in 0..<probe.blockers { probe.release.signal() }
        }
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<probe.blockers {
                group.addTask {
                    await runOffPool {
                        probe.blocked.withLock { $0 += 1 }
                        probe.release.wait()
                    }
                }
            }
            group.addTask {
                while probe.blocked.withLock({ $0 }) < probe.blockers { try? await Task.sleep(for: .milliseconds(1)) }
                probe.progressed.signal()
            }
        }
        #expect(probe.progressedFirst.withLock { $0 } == true, "no task ran on the pool while \(probe.blockers) calls blocked")
    }
}
