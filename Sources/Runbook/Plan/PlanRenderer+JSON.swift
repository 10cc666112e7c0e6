import Foundation

extension PlanRenderer {
    /// The plan for tools: pretty-printed, sorted keys, every duration in seconds (a number), every
    /// time ISO-8601 in UTC. External IDs are left out; the plan says only whether one is set.
    public func json(_ plan: RunbookPlan) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(Self.document(plan)) else { return "{}" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func document(_ plan: RunbookPlan) -> JSONValue {
        let projection = PlanProjection(plan)
        var members: [(String, JSONValue)] = [
            (
                "runbook",
                .object([
                    ("name", .string(plan.runbookName)), ("file", .string(plan.runbookFile)),
                    ("sha256", .string(plan.runbookHash)),
                ])
            ),
            ("hash", .string(plan.hash)),
            ("region", .string(plan.region)),
            ("accounts", .array(plan.accounts.map(account))),
            ("parameters", .object(plan.parameters.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            ("steps", .array(plan.steps.map(step))),
            ("warnings", .array(plan.warnings.map(JSONValue.string))),
        ]
        var projected: [(String, JSONValue)] = [
            ("inWindowCriticalPath", seconds(projection.inWindowCriticalPath)),
            ("inWindowTotal", seconds(projection.inWindowTotal)),
            ("totalCriticalPath", seconds(projection.totalCriticalPath)),
        ]
        if let runGuard = plan.runGuard {
            members.append(
                (
                    "guard",
                    .object([("alarms", .array(runGuard.alarms.map(JSONValue.string))), ("account", .string(runGuard.account))])
                ))
        }
        if let window = plan.window {
            members.append(
                (
                    "window",
                    .object([
                        ("start", .string(RunbookTimestamp.format(window.start))),
                        ("end", .string(RunbookTimestamp.format(window.end))),
                        ("onOverrun", .string(window.onOverrun.rawValue)),
                        ("length", .number(window.end.timeIntervalSince(window.start))),
                    ])
                ))
            if let length = projection.windowLength {
                projected.append(("windowLength", seconds(length)))
                projected.append(("fits", .bool(projection.inWindowCriticalPath <= length)))
            }
        } else {
            members.append(("window", .null))
        }
        members.append(("projection", .object(projected)))
        return .object(members)
    }

    private static func seconds(_ duration: Duration) -> JSONValue { .number(duration.timeInterval) }

    private static func optional<T>(_ value: T?, _ transform: (T) -> JSONValue) -> JSONValue {
        value.map(transform) ?? .null
    }

    private static func account(_ account: AccountSpec) -> JSONValue {
        .object([
            ("name", .string(account.name)),
            ("accountId", optional(account.accountId, JSONValue.string)),
            ("role", optional(account.role, JSONValue.string)),
            ("externalIdSet", .bool(account.externalId != nil)),
        ])
    }

    private static func step(_ step: PlannedStep) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("id", .string(step.id)),
            ("origin", .string(step.origin)),
            ("type", .string(step.type)),
            ("title", .string(step.title)),
            ("account", optional(step.account, JSONValue.string)),
            ("effect", .string(step.effect.rawValue)),
            ("reversibility", .string(step.reversibility.rawValue)),
            ("dependsOn", .array(step.dependsOn.map(JSONValue.string))),
            ("window", .string(step.window.rawValue)),
            ("estimatedDuration", seconds(step.estimatedDuration)),
            ("approval", optional(step.approval, approval)),
            ("retry", retry(step.retry)),
            ("timeout", optional(step.timeout, seconds)),
            ("onFailure", .string(step.onFailure.rawValue)),
            ("decisionOptions", .array(step.decisionOptions.map { .string($0.rawValue) })),
            ("inputs", step.inputs),
            ("message", optional(step.message, JSONValue.string)),
            ("rollbackBarrier", optional(step.rollbackBarrier, JSONValue.string)),
            ("location", optional(step.location) { .string($0.description) }),
        ]
        // Only where a step has them, so plans without them keep their documented shape.
        if let undoRetry = step.undoRetry { members.append(("undoRetry", retry(undoRetry))) }
        if let references = step.outputReferences {
            members.append(
                (
                    "outputReferences",
                    .array(
                        references.map { reference in
                            .object([
                                ("text", .string(reference.text)), ("step", .string(reference.step)), ("output", .string(reference.output)),
                                ("primitive", .string(reference.primitive)), ("key", optional(reference.key, JSONValue.string)),
                                ("planned", optional(reference.planned, JSONValue.string)),
                            ])
                        })
                ))
        }
        if let gate = step.undoApproval {
            members.append(
                (
                    "undoApproval",
                    .object(
                        [
                            ("approval", approval(gate.policy)), ("message", .string(gate.message)),
                            ("onlyAfter", optional(gate.onlyAfter, JSONValue.string)),
                        ] + (gate.onlyIf.map { [("onlyIf", condition($0))] } ?? []))
                ))
        }
        if let gate = step.approvalCondition { members.append(("approvalCondition", condition(gate))) }
        return .object(members)
    }

    /// `{primitive, output, equals, text}`: the gate is asked only if the primitive journaled that value.
    private static func condition(_ condition: ApprovalCondition) -> JSONValue {
        .object([
            ("primitive", .string(condition.primitive)), ("output", .string(condition.output)),
            ("equals", .string(condition.equals)), ("text", .string(condition.description)),
        ])
    }

    private static func approval(_ policy: ApprovalPolicy) -> JSONValue {
        .object([
            ("approvers", .array(policy.approvers.map { .string($0.description) })),
            ("required", .number(Double(policy.required))),
            ("distinct", .bool(policy.distinct)),
            ("allowInitiator", .bool(policy.allowInitiator)),
            ("timeout", optional(policy.timeout, seconds)),
            ("onTimeout", .string(policy.onTimeout.rawValue)),
        ])
    }

    private static func retry(_ policy: RetryPolicy) -> JSONValue {
        var members: [(String, JSONValue)]
        switch policy.backoff {
        case .fixed(let interval):
            members = [("backoff", .string("fixed")), ("interval", seconds(interval))]
        case .exponential(let initial, let multiplier, let cap, let jitter):
            members = [
                ("backoff", .string("exponential")), ("initial", seconds(initial)),
                ("multiplier", .number(multiplier)), ("max", seconds(cap)), ("jitter", .bool(jitter)),
            ]
        }
        members.append(("maxAttempts", optional(policy.maxAttempts) { .number(Double($0)) }))
        members.append(("maxElapsed", optional(policy.maxElapsed, seconds)))
        members.append(("retryOn", .array(policy.retryOn.map(JSONValue.string))))
        return .object(members)
    }
}
