import AWSServices
import Foundation
import Runbook

/// `uses: elbv2.maintenance-page`: a fixed-response rule in front of everything else on an
/// Application Load Balancer listener, so users see a maintenance page while the cutover runs.
///
/// ```yaml
/// - id: maintenance-on
///   uses: elbv2.maintenance-page
///   with:
///     account: legacy
///     loadBalancer: admin-console-alb     # or listener: arn:aws:elasticloadbalancing:…:listener/app/…
///     port: 443
///     status: 503
///     contentType: text/html
///     body: "<h1>Down for maintenance</h1>"
///     paths: ["/*"]                       # optional: hosts, sourceIps too; default every path
/// ```
///
/// The rule takes the lowest free priority number, read with DescribeRules at run time. When
/// priority 1 is taken, other rules would still answer before the page (users would reach the
/// old stack on their paths), so the step refuses rather than put up a page with holes — unless
/// the runbook chooses a `priority` itself. The rule is tagged `cutover:run`/`cutover:step`: a
/// `check` after a crash finds exactly this rule instead of creating a second one, and undo
/// deletes exactly it (DeleteRule by ARN), never another rule.
public struct MaintenancePageDefinition: StepDefinition {
    public static let type = "elbv2.maintenance-page"
    public init() {}

    public var type: String { Self.type }
    public var summary: String {
        "Put a fixed-response maintenance page (a listener rule at the highest priority) on an Application Load Balancer; undo removes exactly that rule."
    }
    public var inputs: [StepInput] {
        [
            StepInput("account", .account, required: true, summary: "The runbook account that owns the load balancer."),
            StepInput("listener", .string, summary: "The listener's ARN (or give `loadBalancer` and `port`)."),
            StepInput("loadBalancer", .string, summary: "The load balancer's name, with `port`: the listener is found at run time."),
            StepInput("port", .int, summary: "The listener's port, with `loadBalancer`."),
            StepInput("status", .int, summary: "The HTTP status to answer (2XX, 4XX or 5XX; default 503)."),
            StepInput(
                "contentType", .string, summary: "text/plain, text/css, text/html (default), application/javascript or application/json."),
            StepInput("body", .string, summary: "The page (at most 1,024 characters, AWS's limit)."),
            StepInput("paths", .list, summary: "Path patterns the page answers for (default every path, `/*`)."),
            StepInput("hosts", .list, summary: "Host headers the page answers for."),
            StepInput("sourceIps", .list, summary: "Client CIDR blocks the page answers for."),
            StepInput("priority", .int, summary: "The rule's priority (1–50000), when the lowest free number will not do."),
        ]
    }
    public var outputs: [StepOutput] {
        [
            StepOutput("ruleArn", from: .primitive(nil, key: "ruleArn"), summary: "the maintenance rule's ARN"),
            StepOutput("priority", from: .primitive(nil, key: "priority"), summary: "the priority it took"),
            StepOutput("listenerArn", from: .primitive(nil, key: "listenerArn"), summary: "the listener it is on"),
        ]
    }

    /// The default page when the runbook gives no body.
    static let defaultBody = "<html><body><h1>Down for maintenance</h1><p>We will be back shortly.</p></body></html>"
    /// AWS's limit on condition values in one rule.
    static let maxConditionValues = 5

    public func expand(_ step: StepSpec, in context: ExpansionContext) throws(RunbookDiagnostics) -> [PrimitiveTemplate] {
        var reader = StepInputReader(step, context: context)
        let account = reader.account("account", required: true) ?? ""
        let listenerArn = reader.string("listener")
        let loadBalancer = reader.string("loadBalancer")
        let port = reader.int("port")
        let status = reader.int("status") ?? 503
        let contentType = reader.string("contentType") ?? "text/html"
        let body = reader.string("body") ?? Self.defaultBody
        let priority = reader.int("priority")

        let listener = Self.listener(arn: listenerArn, loadBalancer: loadBalancer, port: port, step: step, reader: &reader)
        if let value = reader.value("status"), !ELBv2FixedResponse.isValidStatus(String(status)) {
            reader.report(
                "bad-value", "`with.status` of step `\(step.id)` is \(status); a fixed response must be a 2XX, 4XX or 5XX status",
                hint: "a maintenance page is usually `503`", at: value)
        }
        if let value = reader.value("contentType"), !ELBv2FixedResponse.contentTypes.contains(contentType) {
            reader.report(
                "bad-value", "`with.contentType` of step `\(step.id)` is `\(contentType)`, which a fixed response cannot carry",
                hint: "one of \(ELBv2FixedResponse.contentTypes.map { "`\($0)`" }.joined(separator: ", "))", at: value)
        }
        if let value = reader.value("body"), !body.contains("${"), body.count > ELBv2FixedResponse.maxBodyLength {
            reader.report(
                "bad-value",
                "`with.body` of step `\(step.id)` is \(body.count) characters; AWS accepts at most \(ELBv2FixedResponse.maxBodyLength) in a fixed response",
                hint: "shorten the page (inline CSS, no images), or link to a page hosted elsewhere", at: value)
        }
        if let value = reader.value("priority"), !(1...50_000).contains(priority ?? 0) {
            reader.report(
                "bad-value",
                "`with.priority` of step `\(step.id)` is \(priority.map(String.init) ?? "?"); listener rule priorities are 1–50000",
                hint: "leave it out to take the lowest free number", at: value)
        }
        let conditions = Self.conditions(step, reader: &reader)
        try reader.finish()

        let settings = MaintenancePageSettings(
            account: account, listener: listener ?? .arn(""),
            response: ELBv2FixedResponse(statusCode: String(status), contentType: contentType, messageBody: body),
            conditions: conditions, priority: priority)
        let inputs = try StepValues.encode(settings, of: step)
        return [
            PrimitiveTemplate(
                type: Self.type,
                title: "Maintenance page (\(status) \(contentType)) on \(settings.listener) in \(account) for \(settings.conditionSummary)",
                account: account, effect: .mutating, reversibility: .reversible, estimatedDuration: .seconds(5),
                inputs: inputs)
        ]
    }

    private static func listener(
        arn: String?, loadBalancer: String?, port: Int?, step: StepSpec, reader: inout StepInputReader
    ) -> MaintenancePageSettings.Listener? {
        switch (arn, loadBalancer, port) {
        case (let arn?, nil, nil):
            if !arn.contains("${"), !(arn.hasPrefix("arn:") && arn.contains(":elasticloadbalancing:") && arn.contains(":listener/")) {
                reader.report(
                    "bad-value", "`with.listener` of step `\(step.id)` is not a load balancer listener ARN: `\(arn)`",
                    hint: "write `arn:aws:elasticloadbalancing:REGION:ACCOUNT:listener/app/NAME/ID/ID`, or give `loadBalancer` and `port`",
                    at: reader.value("listener"))
                return nil
            }
            return .arn(arn)
        case (nil, let name?, let port?):
            if !(1...65_535).contains(port) {
                reader.report(
                    "bad-value", "`with.port` of step `\(step.id)` is not a port: \(port)", hint: "write e.g. `443`",
                    at: reader.value("port"))
                return nil
            }
            return .port(loadBalancer: name, port: port)
        case (nil, nil, nil):
            reader.report(
                "missing-key",
                "step `\(step.id)` (\(MaintenancePageDefinition.type)) needs the listener: `with.listener`, or `with.loadBalancer` and `with.port`",
                hint: "add e.g. `loadBalancer: admin-console-alb` and `port: 443`", at: step.with?.location ?? step.location)
        case (_?, _, _):
            reader.report(
                "conflicting-keys", "step `\(step.id)` gives `with.listener` and `with.loadBalancer`/`with.port`; give one of the two",
                hint: "keep `listener` (an ARN) or `loadBalancer` with `port`", at: reader.value("loadBalancer") ?? reader.value("port"))
        case (nil, _, _):
            reader.report(
                "missing-key", "step `\(step.id)` gives only one of `with.loadBalancer` and `with.port`; the listener needs both",
                hint: "add the missing one", at: reader.value("loadBalancer") ?? reader.value("port"))
        }
        return nil
    }

    /// `paths`, `hosts`, `sourceIps` as rule conditions, each value checked as AWS would.
    private static func conditions(_ step: StepSpec, reader: inout StepInputReader) -> [ELBv2RuleCondition] {
        var conditions: [ELBv2RuleCondition] = []
        var total = 0
        for (key, field) in [("paths", ELBv2RuleCondition.Field.pathPattern), ("hosts", .hostHeader), ("sourceIps", .sourceIp)] {
            guard let value = reader.value(key), case .sequence(let items) = value.kind else { continue }
            var values: [String] = []
            for item in items {
                guard let text = item.scalar, !text.isEmpty else {
                    reader.report(
                        "wrong-type", "`with.\(key)` of step `\(step.id)` holds \(item.scalar == nil ? "a non-scalar" : "an empty value")",
                        hint: "write a list of strings, e.g. `[\"/*\"]`", at: item)
                    continue
                }
                if let issue = problem(with: text, field: field) {
                    reader.report(
                        "bad-value", "`\(text)` in `with.\(key)` of step `\(step.id)` \(issue.message)", hint: issue.hint, at: item)
                }
                values.append(text)
            }
            if items.isEmpty {
                reader.report(
                    "bad-value", "`with.\(key)` of step `\(step.id)` is empty", hint: "leave it out, or name at least one value", at: value)
            }
            total += values.count
            if !values.isEmpty { conditions.append(ELBv2RuleCondition(field, values)) }
        }
        if total > maxConditionValues {
            reader.report(
                "bad-value", "step `\(step.id)` names \(total) condition values; AWS allows at most \(maxConditionValues) in one rule",
                hint: "use wildcards (`/admin/*`, `*.example.com`) or a second maintenance-page step",
                at: reader.value("paths") ?? reader.value("hosts") ?? reader.value("sourceIps"))
        }
        return conditions
    }

    private static func problem(with text: String, field: ELBv2RuleCondition.Field) -> (message: String, hint: String)? {
        if text.contains("${") { return nil }
        switch field {
        case .pathPattern, .hostHeader:
            if text.count > 128 { return ("is longer than 128 characters, AWS's limit", "use a wildcard (`*`, `?`)") }
            if field == .pathPattern, !text.hasPrefix("/"), text != "*" {
                return ("is not a path pattern", "path patterns start with `/`, e.g. `/admin/*`")
            }
            return nil
        case .sourceIp:
            return isCIDR(text) ? nil : ("is not a CIDR block", "write e.g. `203.0.113.0/24` or `2001:db8::/32`")
        }
    }

    public static func isCIDR(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let bits = Int(parts[1]) else { return false }
        let address = String(parts[0])
        if address.contains(":") {
            let shaped = address.contains("::") || address.split(separator: ":", omittingEmptySubsequences: false).count == 8
            return (0...128).contains(bits) && address.allSatisfy { $0.isHexDigit || $0 == ":" } && shaped
        }
        let octets = address.split(separator: ".", omittingEmptySubsequences: false)
        return (0...32).contains(bits) && octets.count == 4 && octets.allSatisfy { Int($0).map { (0...255).contains($0) } ?? false }
    }
}
