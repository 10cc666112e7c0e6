import AWSServices
import Engine
import Foundation
import Runbook

/// Executes `elbv2.remove-maintenance-page`: deletes the rules tagged as the named page of this
/// run (normally the one `ruleArn` its page step journaled) on the page's listener. Deleting is
/// idempotent, so `check` is "no such rule is left". Undo puts the page back from the page step's
/// own planned inputs, at its journaled priority when that is still free.
struct RemoveMaintenancePageStep: Step {
    let sessions: any AccountSessions

    func run(_ context: StepContext) async throws -> StepResult {
        let (rules, listenerArn) = try prepare(context)
        let removed = try await rules.remove(listenerArn: listenerArn)
        return .done(outputs: ["removedRuleArn": removed.joined(separator: ","), "listenerArn": listenerArn])
    }

    func check(_ context: StepContext) async throws -> CheckResult {
        let (rules, listenerArn) = try prepare(context)
        guard try await rules.pageRules(on: listenerArn).isEmpty else { return .notDone }
        return .done(outputs: ["removedRuleArn": context.step.inputs["ruleArn"]?.stringValue ?? "", "listenerArn": listenerArn])
    }

    func undo(_ context: StepContext) async throws {
        let (rules, listenerArn) = try prepare(context)
        guard let pageStep = context.plan.step(rules.page) else {
            throw StepError(code: StepErrorCode.invalidInputs, message: "the plan has no step \(rules.page) to put back", retryable: false)
        }
        var settings = try MaintenancePageSettings(pageStep.resolvingOutputs(context.outputs).step.inputs, stepId: rules.page)
        settings.listener = .arn(listenerArn)
        let journaled = context.output(of: rules.page, "priority").flatMap(Int.init)
        _ = try await rules.ensure(settings, preferredPriority: journaled)
    }

    private func prepare(_ context: StepContext) throws -> (MaintenancePageRules, String) {
        let inputs = context.step.inputs
        guard let page = inputs["page"]?.stringValue, let account = inputs["account"]?.stringValue,
            let listenerArn = inputs["listenerArn"]?.stringValue, !listenerArn.isEmpty, !listenerArn.contains("${")
        else {
            throw StepError(
                code: StepErrorCode.invalidInputs, message: "step \(context.step.id) lacks its page, account or listener; re-plan the runbook",
                retryable: false)
        }
        return (MaintenancePageRules(context: context, sessions: sessions, account: account, page: page), listenerArn)
    }
}
