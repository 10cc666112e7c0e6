import AWSServices
import Engine
import Foundation
import Runbook

/// Executes `elbv2.remove-maintenance-page`: deletes the rules tagged as the named page of this
/// run (normally the one `ruleArn` its page step journaled) on the page's listener. Deleting is
/// idempotent, so `check` is "no such rule is left". Undo puts the page back from the page step's
/// own planned inputs, at its journaled priority when that is still free.
struct RemoveMaintenancePageStep: TypedStep {
    let sessions: any AccountSessions

    /// What the primitive carries: the page step, its account, and its journaled listener and rule.
    struct Inputs: Codable, Sendable {
        var page: String
        var account: String
        var listenerArn: String
        var ruleArn: String?
    }

    /// The rules deleted (comma-separated) and the listener they were on.
    struct Outputs: Encodable, Sendable {
        var removedRuleArn: String
        var listenerArn: String
    }

    func run(_ inputs: Inputs, _ context: StepContext) async throws -> TypedStepResult<Outputs> {
        let (rules, listenerArn) = try prepare(inputs, context)
        let removed = try await rules.remove(listenerArn: listenerArn)
        return .done(Outputs(removedRuleArn: removed.joined(separator: ","), listenerArn: listenerArn))
    }

    func check(_ context: StepContext) async throws -> CheckResult {
        let inputs = try decodeInputs(context)
        let (rules, listenerArn) = try prepare(inputs, context)
        guard try await rules.pageRules(on: listenerArn).isEmpty else { return .notDone }
        return try .done(Outputs(removedRuleArn: inputs.ruleArn ?? "", listenerArn: listenerArn))
    }

    func undo(_ context: StepContext) async throws {
        let (rules, listenerArn) = try prepare(try decodeInputs(context), context)
        guard let pageStep = context.plan.step(rules.page) else {
            throw StepError(code: StepErrorCode.invalidInputs, message: "the plan has no step \(rules.page) to put back", retryable: false)
        }
        var settings: MaintenancePageSettings
        do {
            settings = try StepValues.decode(MaintenancePageSettings.self, from: pageStep.resolvingOutputs(context.outputs).step.inputs)
        } catch {
            throw StepError(code: StepErrorCode.invalidInputs, message: "\(rules.page): \(StepValues.describe(error))", retryable: false)
        }
        settings.listener = .arn(listenerArn)
        let journaled = context.output(of: rules.page, "priority").flatMap(Int.init)
        _ = try await rules.ensure(settings, preferredPriority: journaled)
    }

    private func prepare(_ inputs: Inputs, _ context: StepContext) throws -> (MaintenancePageRules, String) {
        guard !inputs.listenerArn.isEmpty, !inputs.listenerArn.contains("${") else {
            throw StepError(
                code: StepErrorCode.invalidInputs, message: "step \(context.step.id) lacks its page's listener; re-plan the runbook",
                retryable: false)
        }
        return (MaintenancePageRules(context: context, sessions: sessions, account: inputs.account, page: inputs.page), inputs.listenerArn)
    }
}
