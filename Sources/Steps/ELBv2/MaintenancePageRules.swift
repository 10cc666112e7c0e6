import AWSClient
import AWSServices
import Engine
import Foundation
import Runbook

/// The maintenance page's rule on one listener, for one run: found by its tags, put up, taken
/// down. Both step types (`elbv2.maintenance-page` and `elbv2.remove-maintenance-page`) act
/// through it, so "this run's page" means the same rule to both: the one tagged
/// `cutover:run=<run>` and `cutover:step=<the maintenance-page step>`.
struct MaintenancePageRules: Sendable {
    let context: StepContext
    let sessions: any AccountSessions
    /// The runbook account (its label).
    let account: String
    /// The id of the `elbv2.maintenance-page` step the page belongs to.
    let page: String

    static let runTag = "cutover:run"
    static let stepTag = "cutover:step"

    /// The account as journaled: its ID, or the runbook's label when the runbook gives none.
    var accountId: String { sessions.accountId(account) ?? account }
    var calls: AWSCallBoundary { AWSCallBoundary(context: context, service: "elbv2", region: sessions.region) }
    var tags: [String: String] { [Self.runTag: context.runId, Self.stepTag: page] }

    func client() async throws -> ELBv2Client {
        try await AWSCallBoundary.read(account: accountId, resource: nil) { try await sessions.elbv2(account) }
    }

    /// The listener's ARN: as given, or found by load balancer name and port.
    func listenerArn(_ listener: MaintenancePageSettings.Listener) async throws -> String {
        switch listener {
        case .arn(let arn):
            return arn
        case .port(let name, let port):
            let client = try await client()
            return try await AWSCallBoundary.read(account: accountId, resource: name) {
                guard let balancer = try await client.describeLoadBalancers(names: [name]).first else {
                    throw StepError(
                        code: AWSErrorCode.loadBalancerNotFound.name, message: "no load balancer named \(name)",
                        retryable: false, account: accountId, resource: name)
                }
                let listeners = try await client.describeListeners(loadBalancerArn: balancer.arn)
                guard let listener = listeners.first(where: { $0.port == port }) else {
                    throw StepError(
                        code: "ListenerNotFound",
                        message:
                            "load balancer \(name) has no listener on port \(port) (ports: \(listeners.compactMap(\.port).map(String.init).joined(separator: ", ")))",
                        retryable: false, account: accountId, resource: balancer.arn)
                }
                return listener.arn
            }
        }
    }

    /// The listener's rules (the default rule included).
    func rules(on listenerArn: String) async throws -> [ELBv2Rule] {
        let client = try await client()
        return try await AWSCallBoundary.read(account: accountId, resource: listenerArn) {
            try await client.describeRules(listenerArn: listenerArn)
        }
    }

    /// The rules on the listener that carry this run's and this page's tags: normally none or one.
    func pageRules(on listenerArn: String, among rules: [ELBv2Rule]? = nil) async throws -> [ELBv2Rule] {
        let all: [ELBv2Rule]
        if let rules { all = rules } else { all = try await self.rules(on: listenerArn) }
        let candidates = all.filter { !$0.isDefault }
        guard !candidates.isEmpty else { return [] }
        let client = try await client()
        let tagged = try await AWSCallBoundary.read(account: accountId, resource: listenerArn) {
            try await client.describeTags(resourceArns: candidates.map(\.arn))
        }
        let wanted = tags
        return candidates.filter { rule in wanted.allSatisfy { tagged[rule.arn]?[$0.key] == $0.value } }
    }

    /// Puts the page up unless it is up already: finds this page's rule, or creates it at the
    /// priority `MaintenancePriority` picks. Returns the step's outputs.
    func ensure(_ settings: MaintenancePageSettings, preferredPriority: Int? = nil) async throws -> MaintenancePageOutputs {
        let listenerArn = try await listenerArn(settings.listener)
        let rules = try await rules(on: listenerArn)
        if let existing = try single(try await pageRules(on: listenerArn, among: rules), listenerArn: listenerArn) {
            return outputs(existing, listenerArn: listenerArn)
        }
        let priority = try MaintenancePriority.choose(
            among: rules, requested: settings.priority, preferred: preferredPriority, listenerArn: listenerArn, account: accountId)
        let request = CreateRuleRequest(
            listenerArn: listenerArn, priority: priority, conditions: settings.conditions,
            actions: [.fixedResponse(settings.response)], tags: tags)
        let client = try await client()
        do {
            let rule = try await calls.mutate("CreateRule", account: accountId, resource: listenerArn) {
                let created = try await client.createRule(request)
                return (created.rule, created.requestId)
            }
            return outputs(rule, listenerArn: listenerArn)
        } catch let error as StepError where error.code == AWSErrorCode.priorityInUse {
            // The answer to our own CreateRule may have been lost and the client's resend found
            // the priority taken — by our rule. Look before failing.
            if let existing = try single(try await pageRules(on: listenerArn), listenerArn: listenerArn) {
                return outputs(existing, listenerArn: listenerArn)
            }
            throw error
        }
    }

    /// Takes the page down: deletes every rule carrying this page's tags (by ARN), nothing else.
    /// Returns the ARNs deleted.
    @discardableResult
    func remove(listenerArn: String) async throws -> [String] {
        let found = try await pageRules(on: listenerArn)
        let client = try await client()
        for rule in found {
            do {
                try await calls.mutate("DeleteRule", account: accountId, resource: rule.arn) {
                    ((), try await client.deleteRule(ruleArn: rule.arn))
                }
            } catch let error as StepError where error.code == AWSErrorCode.ruleNotFound {
                continue  // gone already (an earlier attempt whose answer was lost)
            }
        }
        return found.map(\.arn)
    }

    func outputs(_ rule: ELBv2Rule, listenerArn: String) -> MaintenancePageOutputs {
        MaintenancePageOutputs(ruleArn: rule.arn, priority: Int(rule.priority), listenerArn: listenerArn)
    }

    /// One page rule, nil for none; two means someone copied our tags, and neither is trusted.
    func single(_ rules: [ELBv2Rule], listenerArn: String) throws -> ELBv2Rule? {
        guard rules.count > 1 else { return rules.first }
        throw StepError(
            code: "AmbiguousMaintenanceRule",
            message:
                "\(rules.count) rules on the listener carry this run's maintenance-page tags (\(rules.map(\.arn).joined(separator: ", "))); "
                + "delete the one that is not the page, then retry",
            retryable: false, account: accountId, resource: listenerArn)
    }
}

/// Which priority a new maintenance rule takes: the lowest free number. A rule with a lower
/// number would still answer before the page on its paths, so when priority 1 is taken the page
/// is refused rather than put up with holes — the runbook may choose a priority explicitly.
enum MaintenancePriority {
    static func choose(
        among rules: [ELBv2Rule], requested: Int?, preferred: Int? = nil, listenerArn: String, account: String
    ) throws -> Int {
        if let requested { return requested }
        let taken = Set(rules.compactMap(\.priorityNumber))
        if let preferred, !taken.contains(preferred) { return preferred }
        let lowest = (1...50_001).first { !taken.contains($0) }!
        guard lowest == 1 else {
            let ahead = rules.filter { ($0.priorityNumber ?? .max) < lowest }.sorted { $0.priorityNumber! < $1.priorityNumber! }
            let listed = ahead.prefix(5).map {
                "\($0.priority) (\($0.conditions.map { "\($0.field) \($0.values.joined(separator: ","))" }.joined(separator: " and ")))"
            }
            throw StepError(
                code: "MaintenancePriorityTaken",
                message: "priority 1 on the listener is taken, so the page would only answer after rules \(listed.joined(separator: "; "))"
                    + (ahead.count > 5 ? " and \(ahead.count - 5) more" : "")
                    + "; free priority 1 (set-rule-priorities), or set `with.priority` to accept those rules answering first",
                retryable: false, account: account, resource: listenerArn)
        }
        return lowest
    }
}

/// What `elbv2.maintenance-page` hands on: its rule, where it stands, and the listener it is on
/// (what `elbv2.remove-maintenance-page` takes down, and where its undo puts the page back).
struct MaintenancePageOutputs: Encodable, Sendable {
    var ruleArn: String
    var priority: Int?
    var listenerArn: String
}
