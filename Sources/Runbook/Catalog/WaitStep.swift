import Foundation

/// `uses: wait`: a durable timer. `with: { for: 1h }` counts from when the wait starts;
/// `with: { for: 1h, after: delete-source }` counts from when that step finished (the forced wait
/// after a bucket delete, so a crash and restart do not restart the hour); `with: { until: … }`
/// waits for an absolute time. The engine journals the due time, never a remaining duration.
public struct WaitStep: StepDefinition {
    public init() {}

    public var type: String { "wait" }
    public var summary: String { "Wait for a duration (optionally counted from another step's end) or until a time." }
    public var outputs: [StepOutput] {
        [StepOutput("waitedUntil", from: .primitive(nil, key: "waitedUntil"), summary: "when the wait ended (RFC 3339)")]
    }

    public var inputs: [StepInput] {
        [
            StepInput("for", .duration, summary: "How long to wait, e.g. `1h`."),
            StepInput("after", .string, summary: "Count `for` from the end of this step instead of the wait's start."),
            StepInput("until", .string, summary: "Wait until this ISO-8601 time instead, e.g. `2026-12-01T02:00:00Z`."),
        ]
    }

    public func expand(
        _ step: StepSpec, in context: ExpansionContext
    ) throws(RunbookDiagnostics)
        -> [PrimitiveTemplate]
    {
        var reader = StepInputReader(step, context: context)
        let duration = reader.duration("for")
        let until = reader.timestamp("until")
        let after = reader.string("after")
        let forValue = reader.value("for")
        let untilValue = reader.value("until")
        let afterValue = reader.value("after")

        if forValue == nil && untilValue == nil {
            reader.report(
                "missing-key", "wait `\(step.id)` says neither how long nor until when",
                hint: "add `with: { for: 1h }` (a duration) or `with: { until: \"2026-12-01T02:00:00Z\" }`",
                at: step.with?.location ?? step.location)
        }
        if let forValue, untilValue != nil {
            reader.report(
                "bad-value", "wait `\(step.id)` has both `for:` and `until:`",
                hint: "keep one: `for:` a duration, or `until:` a time", at: forValue.location)
        }
        if let afterValue, let after {
            if untilValue != nil {
                reader.report(
                    "bad-value", "wait `\(step.id)` has `after:` with `until:`",
                    hint: "`after:` says where `for:` starts counting; drop it or use `for:`", at: afterValue.location)
            }
            let ids = context.runbook.allSteps.map(\.id)
            if after == step.id {
                reader.report(
                    "dependency-cycle", "wait `\(step.id)` cannot count from its own end",
                    hint: "name the step the wait follows, e.g. the bucket delete", at: afterValue.location)
            } else if !ids.contains(after) {
                reader.report(
                    "unknown-step", "wait `\(step.id)` counts from `\(after)`, which is not a step of this runbook",
                    hint: Hints.didYouMean(after, among: ids, listing: "steps"), at: afterValue.location)
            }
        }
        try reader.finish()

        var inputs: [(String, JSONValue)] = []
        var title = "Wait"
        if let duration {
            inputs.append(("for", .number(duration.timeInterval)))
            title += " \(RunbookDuration.format(duration))"
        }
        if let after {
            inputs.append(("after", .string(context.lastPrimitive(of: after) ?? after)))
            title += " after `\(after)` finished"
        }
        if let until {
            inputs.append(("until", .string(RunbookTimestamp.format(until))))
            title += " until \(RunbookTimestamp.format(until))"
        }
        var template = PrimitiveTemplate(
            type: "wait", title: title, effect: .readOnly, reversibility: .nothingToUndo,
            estimatedDuration: duration ?? .zero, inputs: .object(inputs))
        if let after { template.needs = [after] }
        return [template]
    }
}
