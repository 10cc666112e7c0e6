import AWSServices
import Engine
import Runbook

/// What an `elbv2.maintenance-page` primitive puts on a listener, as its plan inputs say: the
/// account, the listener (an ARN, or a load balancer name and port resolved at run time), the
/// fixed response, the conditions and, when the runbook chose one, the priority. The definition
/// encodes these inputs and the executors decode them (`StepValues`), so both sides share one spelling.
struct MaintenancePageSettings: Codable, Sendable, Hashable {
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

    enum CodingKeys: String, CodingKey {
        case account, listener, loadBalancer, port, status, contentType, body, conditions, priority
    }

    /// One condition as the plan spells it.
    private struct Condition: Codable {
        var field: String
        var values: [String]?
    }

    /// The plan inputs of a maintenance-page primitive: the listener is `listener` (an ARN) or
    /// `loadBalancer` and `port`; the fixed response is `status`, `contentType` and `body`.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let listener: Listener
        if let arn = try container.decodeIfPresent(String.self, forKey: .listener) {
            listener = .arn(arn)
        } else {
            listener = .port(
                loadBalancer: try container.decode(String.self, forKey: .loadBalancer), port: try container.decode(Int.self, forKey: .port))
        }
        let conditions = try container.decodeIfPresent([Condition].self, forKey: .conditions) ?? []
        self.init(
            account: try container.decode(String.self, forKey: .account), listener: listener,
            response: ELBv2FixedResponse(
                statusCode: try container.decode(String.self, forKey: .status),
                contentType: try container.decodeIfPresent(String.self, forKey: .contentType),
                messageBody: try container.decodeIfPresent(String.self, forKey: .body)),
            conditions: conditions.map { ELBv2RuleCondition(field: $0.field, values: $0.values ?? []) },
            priority: try container.decodeIfPresent(Int.self, forKey: .priority))
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(account, forKey: .account)
        switch listener {
        case .arn(let arn): try container.encode(arn, forKey: .listener)
        case .port(let name, let port):
            try container.encode(name, forKey: .loadBalancer)
            try container.encode(port, forKey: .port)
        }
        try container.encode(response.statusCode, forKey: .status)
        try container.encodeIfPresent(response.contentType, forKey: .contentType)
        try container.encodeIfPresent(response.messageBody, forKey: .body)
        try container.encode(conditions.map { Condition(field: $0.field, values: $0.values) }, forKey: .conditions)
        try container.encodeIfPresent(priority, forKey: .priority)
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
