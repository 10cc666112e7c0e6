import AWSServices
import Engine
import Runbook

/// What an `elbv2.maintenance-page` primitive puts on a listener, as its plan inputs say: the
/// account, the listener (an ARN, or a load balancer name and port resolved at run time), the
/// fixed response, the conditions and, when the runbook chose one, the priority. The definition
/// writes these inputs and the executors read them back, so both sides share one spelling.
struct MaintenancePageSettings: Sendable, Hashable {
    enum Listener: Sendable, Hashable, CustomStringConvertible {
        case arn(String)
        case port(loadBalancer: String, port: Int)

        var description: String {
            switch self {
            case .arn(let arn): return arn
            case .port(let name, let port): return "\(name):\(port)"
            }
        }
    }

    var account: String
    var listener: Listener
    var response: ELBv2FixedResponse
    var conditions: [ELBv2RuleCondition]
    var priority: Int?

    /// Every path: the rule a maintenance page uses when the runbook names no condition.
    static let allPaths = [ELBv2RuleCondition(.pathPattern, ["/*"])]

    init(account: String, listener: Listener, response: ELBv2FixedResponse, conditions: [ELBv2RuleCondition], priority: Int?) {
        self.account = account
        self.listener = listener
        self.response = response
        self.conditions = conditions.isEmpty ? Self.allPaths : conditions
        self.priority = priority
    }

    /// Reads the plan inputs of a maintenance-page primitive (`stepId` names it in errors).
    init(_ inputs: JSONValue, stepId: String) throws {
        func missing(_ key: String) -> StepError {
            StepError(
                code: StepErrorCode.invalidInputs, message: "step \(stepId) has no input `\(key)`; re-plan the runbook",
                retryable: false)
        }
        guard let account = inputs["account"]?.stringValue else { throw missing("account") }
        let listener: Listener
        if let arn = inputs["listener"]?.stringValue {
            listener = .arn(arn)
        } else if let name = inputs["loadBalancer"]?.stringValue, let port = inputs["port"]?.numberValue {
            listener = .port(loadBalancer: name, port: Int(port))
        } else {
            throw missing("listener (or loadBalancer and port)")
        }
        guard let status = inputs["status"]?.stringValue else { throw missing("status") }
        let conditions = (inputs["conditions"]?.arrayValue ?? []).compactMap { item -> ELBv2RuleCondition? in
            guard let field = item["field"]?.stringValue else { return nil }
            return ELBv2RuleCondition(field: field, values: (item["values"]?.arrayValue ?? []).compactMap(\.stringValue))
        }
        self.init(
            account: account, listener: listener,
            response: ELBv2FixedResponse(
                statusCode: status, contentType: inputs["contentType"]?.stringValue, messageBody: inputs["body"]?.stringValue),
            conditions: conditions, priority: inputs["priority"]?.numberValue.map { Int($0) })
    }

    /// The plan inputs, as `init(_:stepId:)` reads them.
    var json: JSONValue {
        var entries: [(String, JSONValue)] = [("account", .string(account))]
        switch listener {
        case .arn(let arn): entries.append(("listener", .string(arn)))
        case .port(let name, let port): entries += [("loadBalancer", .string(name)), ("port", .number(Double(port)))]
        }
        entries.append(("status", .string(response.statusCode)))
        if let contentType = response.contentType { entries.append(("contentType", .string(contentType))) }
        if let body = response.messageBody { entries.append(("body", .string(body))) }
        entries.append((
            "conditions",
            .array(conditions.map { .object([("field", .string($0.field)), ("values", .array($0.values.map(JSONValue.string)))]) })))
        if let priority { entries.append(("priority", .number(Double(priority)))) }
        return .object(entries)
    }

    /// `/*`, `host admin.example.com and path /admin/*`: what `plan` shows the page answers for.
    var conditionSummary: String {
        conditions.map { condition in
            let values = condition.values.joined(separator: " or ")
            switch ELBv2RuleCondition.Field(rawValue: condition.field) {
            case .pathPattern: return "path \(values)"
            case .hostHeader: return "host \(values)"
            case .sourceIp: return "source \(values)"
            case nil: return "\(condition.field) \(values)"
            }
        }.joined(separator: " and ")
    }
}
