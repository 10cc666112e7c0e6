import Engine
import Foundation
import Runbook

/// Builds plans for engine tests without YAML: a chain unless `after:` says otherwise.
public struct TestPlan: Sendable {
    public var steps: [PlannedStep] = []
    public var window: WindowSpec?
    public var approvals = ApprovalPolicy(approvers: [.group("cutover-approvers")], required: 1)

    public init(window: WindowSpec? = nil) { self.window = window }

    /// Adds a primitive depending on the previous one (or on `after`).
    @discardableResult
    public mutating func add(
        _ id: String, type: String = "test.create", after: [String]? = nil, irreversible: Bool = false,
        readOnly: Bool = false, retry: RetryPolicy = .none, timeout: Duration? = nil, onFailure: FailureAction = .pause,
        decisionOptions: [DecisionOption] = ["retry", "rollback"], decisionRetries: [DecisionOption: RetryPolicy] = [:],
        inputs: [(String, JSONValue)] = [], window placement: WindowPlacement? = nil, estimate: Duration = .seconds(1),
        approval: ApprovalPolicy? = nil, message: String? = nil
    ) -> PlannedStep {
        let gated = type == "approval" || irreversible
        let step = PlannedStep(
            id: id, origin: id, type: type, title: "\(type) \(id)", account: type.hasPrefix("test.") ? "legacy" : nil,
            effect: readOnly || type == "approval" || type == "wait" ? .readOnly : .mutating,
            reversibility: irreversible ? .irreversible : (readOnly || type == "approval" || type == "wait" ? .nothingToUndo : .reversible),
            dependsOn: after ?? steps.last.map { [$0.id] } ?? [],
            window: placement ?? (window == nil ? .any : .inside), estimatedDuration: estimate,
            approval: gated ? (approval ?? approvals) : nil, retry: retry, timeout: timeout, onFailure: onFailure,
            decisionOptions: decisionOptions, decisionRetries: decisionRetries, inputs: .object(inputs),
            message: message)
        steps.append(step)
        return step
    }

    public func build(name: String = "engine-test") -> RunbookPlan {
        var plan = RunbookPlan(
            runbookName: name, runbookFile: "\(name).yaml", runbookHash: String(repeating: "0", count: 64),
            region: "test-1", accounts: [AccountSpec(name: "legacy", accountId: "111111111111")], window: window,
            parameters: [:], steps: steps)
        plan.hash = "test-\(steps.count)-\(steps.map(\.id).joined(separator: ","))"
        return plan
    }
}

/// People for approval tests.
public enum TestPeople {
    public static let initiator = OperatorIdentity(user: "ivan", uid: 1001, groups: ["cutover-approvers", "sre"])
    public static let alice = OperatorIdentity(user: "alice", uid: 1002, groups: ["cutover-approvers"])
    public static let bob = OperatorIdentity(user: "bob", uid: 1003, groups: ["cutover-approvers"])
    public static let mallory = OperatorIdentity(user: "mallory", uid: 1004, groups: ["staff"])
}
