import Foundation
import Runbook

/// Projects the work a run still has against its maintenance window: the longest chain of
/// unfinished steps' estimates (parallel branches overlap). Used before a point of no return.
public enum WindowProjection {
    /// Estimated seconds to finish every unfinished step, starting with `from`'s chain.
    public static func remaining(plan: RunbookPlan, state: RunState) -> TimeInterval {
        var finish: [String: TimeInterval] = [:]
        var longest: TimeInterval = 0
        for step in plan.steps {  // plan order is topological
            guard let s = state.steps[step.id], !s.settled else {
                finish[step.id] = 0
                continue
            }
            let start = step.dependsOn.map { finish[$0] ?? 0 }.max() ?? 0
            let end = start + step.estimatedDuration.timeInterval
            finish[step.id] = end
            longest = max(longest, end)
        }
        return longest
    }
}
