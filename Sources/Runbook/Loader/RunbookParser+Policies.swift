/// `approvals:` / a step's `approval:`, and a step's `retry:`.
extension RunbookParser {
    mutating func approvalPolicy(_ value: RunbookValue, _ what: String) -> ApprovalPolicy? {
        guard
            let fields = sink.mapping(
                value, what, example: "`{ approvers: [\"group:cutover-approvers\"], required: 1 }`")
        else { return nil }
        sink.checkKeys(fields, of: value, what, allowed: RunbookSyntax.approvalKeys, required: [])
        var policy = ApprovalPolicy()
        var requiredLocation = value.location
        for field in fields {
            let label = "`\(field.key)` of \(what)"
            switch field.key {
            case "approvers":
                policy.approvers = sink.strings(field.value, label).compactMap { text, location in
                    approver(text, at: location)
                }
            case "required":
                requiredLocation = field.value.location
                policy.required = sink.int(field.value, label) ?? 1
            case "distinct": policy.distinct = sink.bool(field.value, label) ?? true
            case "allowInitiator": policy.allowInitiator = sink.bool(field.value, label) ?? false
            case "timeout": policy.timeout = sink.duration(field.value, label)
            case "onTimeout":
                policy.onTimeout = sink.choice(field.value, label, as: ApprovalTimeoutAction.self) ?? .reject
            default: break
            }
        }
        if policy.required < 1 {
            sink.report(
                "bad-approval-policy",
                "\(what) requires \(policy.required) approvals; a gate nobody must pass is no gate",
                hint: "set `required:` to 1 or more", at: requiredLocation)
        }
        let users = Set(
            policy.approvers.compactMap { approver -> String? in
                if case .user(let name) = approver { return name }
                return nil
            })
        let onlyUsers = !policy.approvers.isEmpty && users.count == policy.approvers.count
        if onlyUsers, policy.distinct, policy.required > users.count {
            sink.report(
                "bad-approval-policy",
                "\(what) requires \(policy.required) distinct approvals but lists only \(users.count) user(s)",
                hint: "lower `required:` to at most \(users.count), list more approvers, or name a group",
                at: requiredLocation)
        }
        return policy
    }

    private mutating func approver(_ text: String, at location: SourceLocation) -> Approver? {
        guard text.wholeMatch(RunbookSyntax.approver), let colon = text.firstIndex(of: ":") else {
            sink.report(
                "bad-value", "`\(text)` is not an approver",
                hint: "write `group:NAME` (a Unix group) or `user:NAME` (a user name)", at: location)
            return nil
        }
        let name = String(text[text.index(after: colon)...])
        return text.hasPrefix("group:") ? .group(name) : .user(name)
    }

    mutating func retryPolicy(_ value: RunbookValue, _ what: String) -> RetryPolicy? {
        let example = "`{ every: 10s, for: 5m }` or `{ backoff: exponential, initial: 1s, max: 30s, attempts: 5 }`"
        guard let fields = sink.mapping(value, what, example: example) else { return nil }
        func field(_ key: String) -> RunbookValue? { fields.first { $0.key == key }?.value }

        let exponential: Bool
        if let backoff = field("backoff") {
            guard let kind = sink.string(backoff, "`backoff` of \(what)") else { return nil }
            if kind != "exponential" && kind != "fixed" {
                sink.report(
                    "bad-value", "`backoff` of \(what) cannot be `\(kind)`",
                    hint: "use `exponential` (or leave it out and write `every:` for a fixed interval)",
                    at: backoff.location)
                return nil
            }
            exponential = kind == "exponential"
        } else if field("every") != nil {
            exponential = false
        } else {
            sink.report(
                "missing-key", "\(what) says neither `every:` nor `backoff:`",
                hint: "write \(example)", at: value.location)
            return nil
        }
        let allowed = exponential ? RunbookSyntax.exponentialRetryKeys : RunbookSyntax.fixedRetryKeys + ["backoff"]
        sink.checkKeys(fields, of: value, what, allowed: allowed, required: exponential ? [] : ["every"])

        var policy = RetryPolicy(backoff: .fixed(interval: .seconds(1)))
        var initial = Duration.seconds(1)
        var multiplier = 2.0
        var cap = Duration.seconds(30)
        var jitter = true
        for entry in fields {
            let label = "`\(entry.key)` of \(what)"
            switch entry.key {
            case "every": policy.backoff = .fixed(interval: sink.duration(entry.value, label) ?? .seconds(1))
            case "for": policy.maxElapsed = sink.duration(entry.value, label)
            case "attempts":
                if let attempts = sink.int(entry.value, label) {
                    if attempts < 1 {
                        sink.report(
                            "bad-value", "\(label) is \(attempts); it counts the first attempt too",
                            hint: "write 1 or more", at: entry.value.location)
                    }
                    policy.maxAttempts = attempts
                }
            case "on": policy.retryOn = sink.strings(entry.value, label).map(\.0)
            case "initial": initial = sink.duration(entry.value, label) ?? initial
            case "multiplier":
                if let number = sink.number(entry.value, label) {
                    if number < 1 {
                        sink.report(
                            "bad-value", "\(label) is \(number); the delay would shrink",
                            hint: "write 1 or more, e.g. 2",
                            at: entry.value.location)
                    }
                    multiplier = number
                }
            case "max": cap = sink.duration(entry.value, label) ?? cap
            case "jitter": jitter = sink.bool(entry.value, label) ?? jitter
            default: break
            }
        }
        if exponential {
            policy.backoff = .exponential(initial: initial, multiplier: multiplier, cap: cap, jitter: jitter)
        }
        return policy
    }
}
