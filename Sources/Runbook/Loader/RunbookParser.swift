import Foundation

/// Turns a runbook's YAML values into the model, one section at a time, reporting every problem
/// into its sink and carrying on with what it could read. Cross-references (ids, accounts,
/// dependencies, step types) are `RunbookValidator`'s job.
struct RunbookParser {
    var sink: DiagnosticSink
    /// Where each `needs:` entry was written, by step id, for located cycle and unknown-step reports.
    var needsLocations: [String: [(String, SourceLocation)]] = [:]
    /// Where each step's `uses:` and `message:` values were written, by the step's own node (ids may repeat).
    var usesLocations: [SourceLocation: SourceLocation] = [:]
    var idLocations: [(String, SourceLocation)] = []
    var messageLocations: [SourceLocation: SourceLocation] = [:]

    init(file: String) { sink = DiagnosticSink(file: file) }

    struct Sections {
        var apiVersion = RunbookSyntax.apiVersion
        var name = ""
        var description: String?
        var region = ""
        var accounts: [AccountSpec] = []
        var window: RunbookWindow?
        var approvals = ApprovalPolicy()
        var parameters: [ParameterSpec] = []
        var steps: [StepNode] = []
        var guardSpec: RunGuardSpec?
        var guardAccountLocation: SourceLocation?
    }

    mutating func parse(_ root: RunbookValue) -> Sections {
        var sections = Sections()
        guard
            let entries = sink.mapping(
                root, "the runbook", example: "`apiVersion: cutover/v1` followed by `name:`, `region:` and `steps:`")
        else { return sections }
        sink.checkKeys(
            entries, of: root, "the runbook", allowed: RunbookSyntax.topLevelKeys,
            required: RunbookSyntax.requiredTopLevelKeys)

        for entry in entries {
            let value = entry.value
            switch entry.key {
            case "apiVersion":
                guard let version = sink.string(value, "`apiVersion`") else { break }
                if version != RunbookSyntax.apiVersion {
                    sink.report(
                        "unsupported-version", "`apiVersion: \(version)` is not a version this Cutover reads",
                        hint: "write `apiVersion: \(RunbookSyntax.apiVersion)`", at: value.location)
                }
                sections.apiVersion = version
            case "name":
                sections.name =
                    sink.matching(
                        value, "the runbook `name`", pattern: RunbookSyntax.runbookName,
                        hint: "use lowercase letters, digits and dashes, e.g. `admin-console-cutover`") ?? ""
            case "description":
                sections.description = sink.string(value, "`description`")
            case "region":
                sections.region =
                    sink.matching(
                        value, "`region`", pattern: RunbookSyntax.region,
                        hint: "write an AWS region code such as `ap-northeast-1`") ?? ""
            case "accounts": sections.accounts = accounts(value)
            case "window": sections.window = window(value)
            case "approvals":
                sections.approvals = approvalPolicy(value, "`approvals`") ?? ApprovalPolicy()
            case "parameters": sections.parameters = parameters(value)
            case "steps": sections.steps = stepList(value)
            case "guard": (sections.guardSpec, sections.guardAccountLocation) = runGuard(value)
            default: break
            }
        }
        checkGuardAccount(sections)
        return sections
    }

    /// `guard: { alarms: [name, …], account: NAME }`; the account is checked against `accounts:`
    /// once all sections are read (`checkGuardAccount`).
    mutating func runGuard(_ value: RunbookValue) -> (RunGuardSpec?, SourceLocation?) {
        guard let fields = sink.mapping(value, "`guard`", example: "`{ alarms: [admin-5xx, admin-latency], account: product }`")
        else { return (nil, nil) }
        sink.checkKeys(fields, of: value, "`guard`", allowed: RunbookSyntax.guardKeys, required: RunbookSyntax.guardKeys)
        var alarms: [String] = []
        var account: String?
        var accountLocation: SourceLocation?
        for field in fields {
            switch field.key {
            case "alarms":
                guard case .sequence(let items) = field.value.kind, !items.isEmpty else {
                    sink.report(
                        "wrong-type", "`guard.alarms` must be a non-empty list of CloudWatch alarm names",
                        hint: "write `alarms: [admin-5xx, admin-latency]`", at: field.value.location)
                    continue
                }
                for item in items {
                    guard let name = sink.string(item, "an alarm name in `guard.alarms`") else { continue }
                    if name.isEmpty || name.count > 255 {
                        sink.report(
                            "bad-value", "`\(name)` cannot name a CloudWatch alarm", hint: "alarm names are 1–255 characters",
                            at: item.location)
                    } else if alarms.contains(name) {
                        sink.report(
                            "duplicate", "alarm `\(name)` is listed twice in `guard.alarms`", hint: "remove one",
                            at: item.location)
                    } else {
                        alarms.append(name)
                    }
                }
                if alarms.count > 100 {
                    sink.report(
                        "bad-value", "`guard.alarms` lists \(alarms.count) alarms; CloudWatch reads at most 100 at once",
                        hint: "use a composite alarm for the rest", at: field.value.location)
                }
            case "account":
                account = sink.string(field.value, "`guard.account`")
                accountLocation = field.value.location
            default: break
            }
        }
        guard let account, !alarms.isEmpty else { return (nil, accountLocation) }
        return (RunGuardSpec(alarms: alarms, account: account), accountLocation)
    }

    /// The guard's account must be one the runbook declares.
    mutating func checkGuardAccount(_ sections: Sections) {
        guard let spec = sections.guardSpec, let location = sections.guardAccountLocation else { return }
        let declared = sections.accounts.map(\.name)
        guard !declared.contains(spec.account) else { return }
        sink.report(
            "undeclared-account", "`guard.account` names account `\(spec.account)`, which the runbook does not declare",
            hint: AccountHints.declared(declared, near: spec.account), at: location)
    }

    mutating func accounts(_ value: RunbookValue) -> [AccountSpec] {
        guard
            let entries = sink.mapping(
                value, "`accounts`", example: "`legacy: { role: arn:aws:iam::111111111111:role/CutoverSource }`")
        else { return [] }
        var accounts: [AccountSpec] = []
        for entry in entries {
            let name = entry.key
            if !name.wholeMatch(RunbookSyntax.accountName) {
                sink.report(
                    "bad-value", "`\(name)` cannot name an account",
                    hint: "use letters, digits, `-` and `_`, e.g. `legacy`", at: entry.keyLocation)
            }
            var account = AccountSpec(name: name, location: entry.keyLocation)
            if entry.value.kind == .null {
                accounts.append(account)
                continue
            }
            let what = "account `\(name)`"
            guard
                let fields = sink.mapping(
                    entry.value, what, example: "`{ role: arn:aws:iam::111111111111:role/CutoverSource }`")
            else { continue }
            sink.checkKeys(fields, of: entry.value, what, allowed: RunbookSyntax.accountKeys, required: [])
            var idFromRole: String?
            var roleLocation: SourceLocation?
            for field in fields {
                switch field.key {
                case "role":
                    account.role = sink.matching(
                        field.value, "the role of \(what)", pattern: RunbookSyntax.roleARN,
                        hint: "write an IAM role ARN such as `arn:aws:iam::111111111111:role/CutoverSource`")
                    idFromRole = account.role.flatMap(RunbookSyntax.accountID(inRole:))
                    roleLocation = field.value.location
                case "externalId":
                    account.externalId = sink.string(field.value, "the externalId of \(what)")
                case "id":
                    account.accountId = sink.matching(
                        field.value, "the id of \(what)", pattern: RunbookSyntax.accountID,
                        hint: "write the 12-digit account ID in quotes, e.g. `\"111111111111\"`")
                default: break
                }
            }
            if let explicit = account.accountId, let idFromRole, explicit != idFromRole {
                sink.report(
                    "account-id-mismatch",
                    "\(what) says `id: \(explicit)` but its role is in account \(idFromRole)",
                    hint: "fix whichever is wrong; both must name the same account",
                    at: fields.first { $0.key == "id" }?.value.location ?? roleLocation ?? entry.keyLocation)
            }
            account.accountId = account.accountId ?? idFromRole
            accounts.append(account)
        }
        return accounts
    }

    mutating func window(_ value: RunbookValue) -> RunbookWindow? {
        let example =
            "`{ start: \"2026-12-01T01:00:00+09:00\", end: \"2026-12-01T05:00:00+09:00\", onOverrun: pause }` "
            + "or `{ start: \"${params.windowStart}\", end: \"${params.windowEnd}\" }`"
        guard let fields = sink.mapping(value, "`window`", example: example) else { return nil }
        sink.checkKeys(fields, of: value, "`window`", allowed: RunbookSyntax.windowKeys, required: ["start", "end"])
        var start: RunbookWindow.Bound?
        var end: RunbookWindow.Bound?
        var startLocation: SourceLocation = value.location
        var endLocation: SourceLocation = value.location
        var onOverrun = OverrunAction.pause
        for field in fields {
            switch field.key {
            case "start":
                start = windowBound(field.value, "`window.start`")
                startLocation = field.value.location
            case "end":
                end = windowBound(field.value, "`window.end`")
                endLocation = field.value.location
            case "onOverrun":
                onOverrun = sink.choice(field.value, "`window.onOverrun`", as: OverrunAction.self) ?? .pause
            default: break
            }
        }
        guard let start, let end else { return nil }
        let window = RunbookWindow(start: start, end: end, onOverrun: onOverrun, startLocation: startLocation, endLocation: endLocation)
        if let fixed = window.fixed, !WindowSpec.isOrdered(fixed.start, fixed.end, sink: &sink, at: endLocation) { return nil }
        return window
    }

    /// A timestamp, or exactly `${params.NAME}` (checked against the parameters by the planner).
    private mutating func windowBound(_ value: RunbookValue, _ what: String) -> RunbookWindow.Bound? {
        if case .scalar(let text) = value.kind, let name = ParameterSubstitution.wholeReference(text) {
            return .parameter(name)
        }
        return sink.timestamp(value, what).map { .at($0) }
    }

    mutating func parameters(_ value: RunbookValue) -> [ParameterSpec] {
        guard
            let entries = sink.mapping(value, "`parameters`", example: "`forcedWait: { type: duration, default: 1h }`")
        else { return [] }
        var parameters: [ParameterSpec] = []
        for entry in entries {
            let what = "parameter `\(entry.key)`"
            if !entry.key.wholeMatch(RunbookSyntax.parameterName) {
                sink.report(
                    "bad-value", "`\(entry.key)` cannot name a parameter",
                    hint: "use letters, digits and `_`, starting with a letter, e.g. `forcedWait`",
                    at: entry.keyLocation)
            }
            var parameter = ParameterSpec(name: entry.key, kind: .string, location: entry.keyLocation)
            guard entry.value.kind != .null else {
                parameters.append(parameter)
                continue
            }
            guard let fields = sink.mapping(entry.value, what, example: "`{ type: duration, default: 1h }`") else {
                continue
            }
            sink.checkKeys(fields, of: entry.value, what, allowed: RunbookSyntax.parameterKeys, required: [])
            if let type = fields.first(where: { $0.key == "type" }) {
                parameter.kind = sink.choice(type.value, "the type of \(what)", as: ParameterSpec.Kind.self) ?? .string
            }
            for field in fields {
                switch field.key {
                case "default":
                    guard let text = sink.string(field.value, "the default of \(what)") else { break }
                    if let problem = ParameterValue.problem(text, kind: parameter.kind) {
                        sink.report(
                            problem.code, "the default of \(what) is `\(text)`, \(problem.message)", hint: problem.hint,
                            at: field.value.location)
                    }
                    parameter.defaultValue = text
                case "description": parameter.description = sink.string(field.value, "the description of \(what)")
                default: break
                }
            }
            parameters.append(parameter)
        }
        return parameters
    }
}
