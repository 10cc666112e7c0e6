import Foundation

/// The simulated Elastic Load Balancing v2 API (Query protocol, API 2015-12-01, signing name
/// `elasticloadbalancing`), as far as a cutover uses it: find a load balancer by name (the
/// runbook's `aws.call` reads its DNS name and canonical hosted zone), its listeners, their rules
/// and the rules' tags, and put up / take down a fixed-response maintenance rule.
///
/// Operations: DescribeLoadBalancers, DescribeListeners, DescribeRules, DescribeTags, CreateRule,
/// DeleteRule, AddTags. Shapes and error codes from botocore `elbv2/2015-12-01/service-2.json`.
public struct ELBv2Service: SimService {
    public init() {}

    public var signingName: String { "elasticloadbalancing" }

    static let namespace = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"

    static let operations: Set<String> = [
        "DescribeLoadBalancers", "DescribeListeners", "DescribeRules", "DescribeTags", "CreateRule", "DeleteRule", "AddTags",
    ]
    /// ELBv2's content types for a fixed response (FixedResponseActionConfig.ContentType).
    static let contentTypes: Set<String> = ["text/plain", "text/css", "text/html", "application/javascript", "application/json"]

    public func operation(of request: SimRequest) -> String? {
        guard let action = QueryForm(request).action, Self.operations.contains(action) else { return nil }
        return action
    }

    public func handle(
        _ request: SimRequest, operation: String, context: inout SimCallContext, state: inout SimState
    ) throws(SimError) -> SimResponse {
        let p = QueryMembers(request)
        var w = QueryXMLWriter()
        let account = context.principal.account
        switch operation {
        case "DescribeLoadBalancers":
            let names = p.list("Names")
            let arns = p.list("LoadBalancerArns")
            context.resource = names.first ?? arns.first
            var found = state.switchover.loadBalancers.filter { $0.account == account }
            if !names.isEmpty || !arns.isEmpty {
                for name in names where !found.contains(where: { $0.name == name }) {
                    throw SimError("LoadBalancerNotFound", "Load balancers '[\(name)]' not found", status: 400)
                }
                for arn in arns where !found.contains(where: { $0.arn == arn }) {
                    throw SimError("LoadBalancerNotFound", "Load balancers '[\(arn)]' not found", status: 400)
                }
                found = found.filter { names.contains($0.name) || arns.contains($0.arn) }
            }
            w.element("LoadBalancers") { list in
                for lb in found { list.element("member") { Self.write(lb, &$0) } }
            }
        case "DescribeListeners":
            let lbArn = p.string("LoadBalancerArn")
            let arns = p.list("ListenerArns")
            context.resource = lbArn ?? arns.first
            var listeners: [(SimLoadBalancer, SimListener)] = []
            if let lbArn {
                guard let lb = state.switchover.loadBalancers.first(where: { $0.arn == lbArn && $0.account == account }) else {
                    throw SimError("LoadBalancerNotFound", "Load balancer '\(lbArn)' not found", status: 400)
                }
                listeners = lb.listeners.map { (lb, $0) }
            } else if !arns.isEmpty {
                for arn in arns {
                    guard let (lb, listener) = Self.listener(arn, account: account, state.switchover) else {
                        throw SimError("ListenerNotFound", "One or more listeners not found", status: 400)
                    }
                    listeners.append((lb, listener))
                }
            } else {
                throw SimError("ValidationError", "You must specify either listener ARNs or a load balancer ARN", status: 400)
            }
            w.element("Listeners") { list in
                for (lb, listener) in listeners {
                    list.element("member") { m in
                        m.leaf("ListenerArn", listener.arn)
                        m.leaf("LoadBalancerArn", lb.arn)
                        m.leaf("Port", listener.port)
                        m.leaf("Protocol", listener.protocolName)
                        m.element("DefaultActions") { a in a.element("member") { Self.write(listener.defaultAction, order: 1, &$0) } }
                    }
                }
            }
        case "DescribeRules":
            let listenerArn = p.string("ListenerArn")
            let ruleArns = p.list("RuleArns")
            context.resource = listenerArn ?? ruleArns.first
            var rules: [(SimListener, SimRule)] = []
            if let listenerArn {
                guard let (_, listener) = Self.listener(listenerArn, account: account, state.switchover) else {
                    throw SimError("ListenerNotFound", "One or more listeners not found", status: 400)
                }
                rules = Self.ordered(listener).map { (listener, $0) }
            } else if !ruleArns.isEmpty {
                for arn in ruleArns {
                    guard let found = Self.rule(arn, account: account, state.switchover) else {
                        throw SimError("RuleNotFound", "One or more rules not found", status: 400)
                    }
                    rules.append((found.listener, found.rule))
                }
            } else {
                throw SimError("ValidationError", "You must specify either listener or rule ARNs", status: 400)
            }
            w.element("Rules") { list in
                for (listener, rule) in rules { list.element("member") { Self.write(rule, listener: listener, &$0) } }
            }
        case "DescribeTags":
            let arns = p.list("ResourceArns")
            context.resource = arns.first
            guard !arns.isEmpty, arns.count <= 20 else {
                throw SimError("ValidationError", "ResourceArns must name 1 to 20 resources", status: 400)
            }
            var described: [(String, [String: String])] = []
            for arn in arns {
                guard let tags = Self.tags(of: arn, account: account, state.switchover) else {
                    throw Self.notFound(arn)
                }
                described.append((arn, tags))
            }
            w.element("TagDescriptions") { list in
                for (arn, tags) in described {
                    list.element("member") { m in
                        m.leaf("ResourceArn", arn)
                        Self.writeTags(tags, &m)
                    }
                }
            }
        case "AddTags":
            let arns = p.list("ResourceArns")
            let tags = p.tags("Tags")
            context.resource = arns.first
            for arn in arns {
                guard Self.tags(of: arn, account: account, state.switchover) != nil else { throw Self.notFound(arn) }
            }
            for arn in arns { Self.addTags(tags, to: arn, &state.switchover) }
            context.mutated = true
        case "CreateRule":
            try createRule(p, &context, &state.switchover, &w)
        case "DeleteRule":
            let arn = try Self.required(p, "RuleArn")
            context.resource = arn
            guard let found = Self.rule(arn, account: account, state.switchover) else {
                throw SimError("RuleNotFound", "One or more rules not found", status: 400)
            }
            guard found.rule.priority != nil else {
                throw SimError("OperationNotPermitted", "Default rule '\(arn)' cannot be deleted", status: 400)
            }
            state.switchover.loadBalancers[found.lb].listeners[found.li].rules.removeAll { $0.arn == arn }
            context.mutated = true
        default:
            throw SimError("InvalidAction", "The action \(operation) is not valid for this web service.", status: 400)
        }
        return Self.envelope(operation, result: w.text, requestId: context.requestId)
    }

    private func createRule(
        _ p: QueryMembers, _ context: inout SimCallContext, _ state: inout SwitchoverState, _ w: inout QueryXMLWriter
    ) throws(SimError) {
        let listenerArn = try Self.required(p, "ListenerArn")
        context.resource = listenerArn
        let priorityText = try Self.required(p, "Priority")
        guard let priority = Int(priorityText), (1...50_000).contains(priority) else {
            throw SimError("ValidationError", "Priority must be between 1 and 50000, not \(priorityText)", status: 400)
        }
        var conditions: [SimRuleCondition] = []
        for prefix in p.structures("Conditions") {
            guard let field = p.string("\(prefix).Field") else {
                throw SimError("ValidationError", "A condition must have a Field", status: 400)
            }
            let configs = ["path-pattern": "PathPatternConfig", "host-header": "HostHeaderConfig", "source-ip": "SourceIpConfig"]
            var values = configs[field].map { p.list("\(prefix).\($0).Values") } ?? []
            if values.isEmpty { values = p.list("\(prefix).Values") }
            guard !values.isEmpty else {
                throw SimError("ValidationError", "A '\(field)' condition must have at least one value", status: 400)
            }
            conditions.append(SimRuleCondition(field: field, values: values))
        }
        guard !conditions.isEmpty else { throw SimError("ValidationError", "A rule must have at least one condition", status: 400) }
        var actions: [SimRuleAction] = []
        for prefix in p.structures("Actions") {
            let type = p.string("\(prefix).Type") ?? ""
            switch type {
            case "fixed-response":
                let status = p.string("\(prefix).FixedResponseConfig.StatusCode") ?? ""
                guard status.count == 3, status.allSatisfy(\.isNumber), ["2", "4", "5"].contains(status.first) else {
                    throw SimError("ValidationError", "Fixed response status code must be 2XX, 4XX or 5XX, not '\(status)'", status: 400)
                }
                let contentType = p.string("\(prefix).FixedResponseConfig.ContentType")
                if let contentType, !Self.contentTypes.contains(contentType) {
                    throw SimError("ValidationError", "Fixed response content type '\(contentType)' is not valid", status: 400)
                }
                let body = p.string("\(prefix).FixedResponseConfig.MessageBody")
                if let body, body.utf8.count > 1_024 {
                    throw SimError("ValidationError", "Fixed response message body must be at most 1024 characters", status: 400)
                }
                actions.append(SimRuleAction(type: type, statusCode: status, contentType: contentType, messageBody: body))
            case "forward":
                guard let target = p.string("\(prefix).TargetGroupArn") else {
                    throw SimError("ValidationError", "A forward action must name a target group", status: 400)
                }
                actions.append(SimRuleAction(type: type, targetGroupArn: target))
            default:
                throw SimError(
                    "ValidationError", "Action type '\(type)' is not supported by this simulator (fixed-response, forward)", status: 400)
            }
        }
        guard !actions.isEmpty else { throw SimError("ValidationError", "A rule must have at least one action", status: 400) }
        guard let (lbArn, listener) = Self.listener(listenerArn, account: context.principal.account, state).map({ ($0.0.arn, $0.1) }),
            let lbIndex = state.loadBalancers.firstIndex(where: { $0.arn == lbArn }),
            let listenerIndex = state.loadBalancers[lbIndex].listeners.firstIndex(where: { $0.arn == listener.arn })
        else {
            throw SimError("ListenerNotFound", "One or more listeners not found", status: 400)
        }
        guard !listener.rules.contains(where: { $0.priority == priority }) else {
            throw SimError("PriorityInUse", "Priority '\(priority)' is currently in use", status: 400)
        }
        let suffix = listener.arn.components(separatedBy: ":listener/").last ?? ""
        let lb = state.loadBalancers[lbIndex]
        let rule = SimRule(
            arn: "arn:aws:elasticloadbalancing:\(Self.region(lb.arn)):\(lb.account):listener-rule/\(suffix)/\(state.hexID(16))",
            priority: priority, conditions: conditions, actions: actions, tags: p.tags("Tags"))
        state.loadBalancers[lbIndex].listeners[listenerIndex].rules.append(rule)
        context.mutated = true
        w.element("Rules") { list in list.element("member") { Self.write(rule, listener: listener, &$0) } }
    }

    public func render(_ error: SimError, requestId: String) -> SimResponse {
        QueryDocument.error(error, namespace: Self.namespace, requestId: requestId)
    }

    // MARK: Lookup

    static func listener(_ arn: String, account: String, _ state: SwitchoverState) -> (SimLoadBalancer, SimListener)? {
        for lb in state.loadBalancers where lb.account == account {
            if let listener = lb.listeners.first(where: { $0.arn == arn }) { return (lb, listener) }
        }
        return nil
    }

    static func rule(_ arn: String, account: String, _ state: SwitchoverState) -> (lb: Int, li: Int, listener: SimListener, rule: SimRule)?
    {
        for (l, lb) in state.loadBalancers.enumerated() where lb.account == account {
            for (i, listener) in lb.listeners.enumerated() {
                if let rule = listener.rules.first(where: { $0.arn == arn }) { return (l, i, listener, rule) }
                if defaultRuleArn(listener) == arn { return (l, i, listener, defaultRule(listener)) }
            }
        }
        return nil
    }

    static func tags(of arn: String, account: String, _ state: SwitchoverState) -> [String: String]? {
        if let lb = state.loadBalancers.first(where: { $0.arn == arn && $0.account == account }) { return lb.tags }
        if listener(arn, account: account, state) != nil { return [:] }
        return rule(arn, account: account, state)?.rule.tags
    }

    static func addTags(_ tags: [String: String], to arn: String, _ state: inout SwitchoverState) {
        for l in state.loadBalancers.indices {
            if state.loadBalancers[l].arn == arn { state.loadBalancers[l].tags.merge(tags) { $1 } }
            for i in state.loadBalancers[l].listeners.indices {
                for r in state.loadBalancers[l].listeners[i].rules.indices where state.loadBalancers[l].listeners[i].rules[r].arn == arn {
                    state.loadBalancers[l].listeners[i].rules[r].tags.merge(tags) { $1 }
                }
            }
        }
    }

    static func notFound(_ arn: String) -> SimError {
        if arn.contains(":listener-rule/") { return SimError("RuleNotFound", "One or more rules not found", status: 400) }
        if arn.contains(":listener/") { return SimError("ListenerNotFound", "One or more listeners not found", status: 400) }
        return SimError("LoadBalancerNotFound", "One or more load balancers not found", status: 400)
    }

    /// The default rule ELBv2 lists last, with priority `default`.
    static func defaultRuleArn(_ listener: SimListener) -> String {
        listener.arn.replacingOccurrences(of: ":listener/", with: ":listener-rule/") + "/default"
    }

    static func defaultRule(_ listener: SimListener) -> SimRule {
        SimRule(arn: defaultRuleArn(listener), priority: nil, conditions: [], actions: [listener.defaultAction], tags: [:])
    }

    /// Rules by priority, the default rule last (as DescribeRules lists them).
    static func ordered(_ listener: SimListener) -> [SimRule] {
        listener.rules.sorted { ($0.priority ?? .max) < ($1.priority ?? .max) } + [defaultRule(listener)]
    }

    static func region(_ arn: String) -> String {
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count > 3 ? String(parts[3]) : "us-east-1"
    }

    static func required(_ p: QueryMembers, _ name: String) throws(SimError) -> String {
        guard let value = p.string(name) else {
            throw SimError(
                "ValidationError",
                "1 validation error detected: Value null at '\(name)' failed to satisfy constraint: Member must not be null", status: 400)
        }
        return value
    }

    // MARK: Rendering

    static func write(_ lb: SimLoadBalancer, _ m: inout QueryXMLWriter) {
        m.leaf("LoadBalancerArn", lb.arn)
        m.leaf("DNSName", lb.dnsName)
        m.leaf("CanonicalHostedZoneId", lb.canonicalHostedZoneId)
        m.leaf("CreatedTime", lb.createdTime)
        m.leaf("LoadBalancerName", lb.name)
        m.leaf("Scheme", lb.scheme)
        m.element("State") { $0.leaf("Code", "active") }
        m.leaf("Type", lb.type)
        m.leaf("IpAddressType", "ipv4")
    }

    static func write(_ rule: SimRule, listener: SimListener, _ m: inout QueryXMLWriter) {
        m.leaf("RuleArn", rule.arn)
        m.leaf("Priority", rule.priority.map(String.init) ?? "default")
        m.element("Conditions") { list in
            for condition in rule.conditions {
                list.element("member") { c in
                    c.leaf("Field", condition.field)
                    c.list("Values", member: "member", condition.values)
                    let config = ["path-pattern": "PathPatternConfig", "host-header": "HostHeaderConfig", "source-ip": "SourceIpConfig"][
                        condition.field]
                    if let config { c.element(config) { $0.list("Values", member: "member", condition.values) } }
                }
            }
        }
        m.element("Actions") { list in
            for (i, action) in rule.actions.enumerated() { list.element("member") { Self.write(action, order: i + 1, &$0) } }
        }
        m.leaf("IsDefault", rule.priority == nil)
    }

    static func write(_ action: SimRuleAction, order: Int, _ m: inout QueryXMLWriter) {
        m.leaf("Type", action.type)
        m.leaf("Order", order)
        m.leaf("TargetGroupArn", action.targetGroupArn)
        if action.type == "forward", let target = action.targetGroupArn {
            m.element("ForwardConfig") { f in
                f.element("TargetGroups") { t in
                    t.element("member") {
                        $0.leaf("TargetGroupArn", target)
                        $0.leaf("Weight", 1)
                    }
                }
            }
        }
        if action.type == "fixed-response" {
            m.element("FixedResponseConfig") { f in
                f.leaf("MessageBody", action.messageBody)
                f.leaf("StatusCode", action.statusCode)
                f.leaf("ContentType", action.contentType)
            }
        }
    }

    static func writeTags(_ tags: [String: String], _ m: inout QueryXMLWriter) {
        m.element("Tags") { list in
            for (key, value) in tags.sorted(by: { $0.key < $1.key }) {
                list.element("member") { t in
                    t.leaf("Key", key)
                    t.leaf("Value", value)
                }
            }
        }
    }

    static func envelope(_ action: String, result: String, requestId: String) -> SimResponse {
        QueryDocument.response(action, result: result, namespace: namespace, requestId: requestId)
    }
}
