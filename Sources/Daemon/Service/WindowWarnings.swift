import ControlProtocol
import Engine
import Foundation

/// Sends one `window-ending` notification per run when its maintenance window has
/// `warning` seconds left and work remains. Sleeps on the daemon's clock until the next warning is
/// due, and otherwise only until a run starts (`DaemonRuns.runsChanged`): an idle daemon, or one
/// whose runs have no window, sets no timer for it at all.
struct WindowWarnings {
    let runs: DaemonRuns
    let clock: any EngineClock
    let observer: RunObserver
    let warning: TimeInterval

    func run() async {
        var warned: Set<String> = []
        while !Task.isCancelled {
            let now = clock.now()
            var next: Date?
            for executor in await runs.active() {
                let snapshot = await executor.snapshot()
                guard !warned.contains(snapshot.runId), let end = snapshot.windowEnd, end > now else { continue }
                let warnAt = end.addingTimeInterval(-warning)
                if now >= warnAt {
                    warned.insert(snapshot.runId)
                    let left = Int(end.timeIntervalSince(now) / 60)
                    await observer.send(
                        .windowEnding, snapshot.runId, step: nil, title: "Window ends in \(left) min: \(snapshot.runId)",
                        text: "\(snapshot.done) of \(snapshot.steps.count) steps done. At the end the runbook's onOverrun applies "
                            + "between steps. `cutoverctl status \(snapshot.runId)` shows what is left.",
                        fields: [
                            "windowEnd": ControlJSON.format(end), "stepsDone": "\(snapshot.done)", "stepsTotal": "\(snapshot.steps.count)",
                        ])
                } else {
                    next = min(next ?? warnAt, warnAt)
                }
            }
            await runs.runsChanged.wait(until: next, on: clock)
        }
    }
}
