/// The time a plan is expected to take: along its critical path (parallel branches overlap) and
/// as a plain sum, for the in-window primitives and for the whole run.
struct PlanProjection {
    var inWindowCriticalPath: Duration = .zero
    var inWindowTotal: Duration = .zero
    var totalCriticalPath: Duration = .zero
    var windowLength: Duration?

    init(_ plan: RunbookPlan) {
        var finishInWindow: [String: Duration] = [:]
        var finishAll: [String: Duration] = [:]
        for step in plan.steps {
            let inside = step.window == .inside ? step.estimatedDuration : .zero
            let startInWindow = step.dependsOn.compactMap { finishInWindow[$0] }.max() ?? .zero
            let startAll = step.dependsOn.compactMap { finishAll[$0] }.max() ?? .zero
            finishInWindow[step.id] = startInWindow + inside
            finishAll[step.id] = startAll + step.estimatedDuration
            inWindowTotal += inside
        }
        inWindowCriticalPath = finishInWindow.values.max() ?? .zero
        totalCriticalPath = finishAll.values.max() ?? .zero
        if let window = plan.window { windowLength = .seconds(window.end.timeIntervalSince(window.start)) }
    }
}
