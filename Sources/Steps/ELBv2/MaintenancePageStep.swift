import AWSServices
import Engine
import Foundation
import Runbook

/// Executes `elbv2.maintenance-page`: puts the page's rule up (idempotent: an existing rule with
/// this run's and step's tags is the result). `check` looks for that rule; undo deletes it — and
/// a re-creation of it by the undo of an `elbv2.remove-maintenance-page` — by ARN, nothing else.
struct MaintenancePageStep: TypedStep {
    let sessions: any AccountSessions

    func run(_ settings: MaintenancePageSettings, _ context: StepContext) async throws -> TypedStepResult<MaintenancePageOutputs> {
        .done(try await rules(settings, context).ensure(settings))
    }

    func check(_ context: StepContext) async throws -> CheckResult {
        let settings = try decodeInputs(context)
        let rules = rules(settings, context)
        let listenerArn = try await rules.listenerArn(settings.listener)
        do {
            guard let rule = try rules.single(try await rules.pageRules(on: listenerArn), listenerArn: listenerArn) else { return .notDone }
            return try .done(rules.outputs(rule, listenerArn: listenerArn))
        } catch let error as StepError where error.code == "AmbiguousMaintenanceRule" {
            return .unknown(reason: error.message)
        }
    }

    func undo(_ context: StepContext) async throws {
        let settings = try decodeInputs(context)
        let rules = rules(settings, context)
        // The listener the page went up on, as journaled; resolved again only if it never finished.
        let journaled = context.output(of: context.step.id, "listenerArn").flatMap { $0.isEmpty ? nil : $0 }
        let listenerArn: String
        if let journaled { listenerArn = journaled } else { listenerArn = try await rules.listenerArn(settings.listener) }
        try await rules.remove(listenerArn: listenerArn)
    }

    private func rules(_ settings: MaintenancePageSettings, _ context: StepContext) -> MaintenancePageRules {
        MaintenancePageRules(context: context, sessions: sessions, account: settings.account, page: context.step.origin)
    }
}
