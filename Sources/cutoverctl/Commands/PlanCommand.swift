import ArgumentParser
import ControlProtocol
import Foundation
import Runbook
import Steps

/// `cutoverctl plan FILE`: the expansion the engine would run — every primitive step, its
/// account, whether it mutates or is irreversible, its gate, and the time against the window.
/// Offline by default; `--preflight` asks the daemon, which also runs the read-only checks.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what a runbook would do, step by step, against the window.",
        discussion: """
            Offline, the plan is made here with the same step catalog cutoverd uses. With --preflight \
            the daemon plans it and runs read-only checks against both accounts (identities, source \
            resources, names free, KMS keys shareable); nothing is journaled and nothing changes in AWS. \
            Exits 1 if the runbook does not plan or a preflight check failed.
            """)

    @OptionGroup var runbook: RunbookArguments

    @Flag(help: "Ask cutoverd to plan and run the read-only preflight checks against AWS.")
    var preflight = false

    @OptionGroup var output: OutputOptions
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let parameters = try runbook.parameters()
        if preflight {
            try planWithDaemon(parameters: parameters)
        } else {
            try planOffline(parameters: parameters)
        }
    }

    private func planOffline(parameters: [String: String]) throws(CLIFailure) {
        let plan: RunbookPlan
        do {
            let loaded = try RunbookLoader(catalog: StepLibrary.catalog).load(file: runbook.file)
            plan = try RunbookPlanner(catalog: StepLibrary.catalog).plan(loaded, parameters: parameters)
        } catch {
            DiagnosticPrinter.print(error.diagnostics)
            throw CLIFailure(.failed, "\(runbook.file) does not plan (\(error.errors.count) error(s))")
        }
        Console.out(output.json ? PlanRenderer().json(plan) : PlanRenderer().text(plan))
    }

    /// The plan and the preflight findings together, for `--output json --preflight`.
    struct PreflightDocument: Encodable {
        var hash: String
        var plan: JSONValue
        var preflight: [PreflightCheck]
    }

    private func planWithDaemon(parameters: [String: String]) throws(CLIFailure) {
        let request = PlanRequest(file: runbook.file, runbook: try runbook.text(), parameters: parameters, preflight: true)
        // Preflight calls AWS in both accounts: allow it more than a status call.
        let response = try connection.session(minimumTimeout: 120).post(PlanResponse.self, ControlRoute.plan.path, body: request)
        let checks = response.preflight ?? []
        if output.json {
            let plan: JSONValue
            do {
                plan = try JSONDecoder().decode(JSONValue.self, from: Data(response.json.utf8))
            } catch {
                throw CLIFailure(.daemonError, "cutoverd's plan is not JSON: \(error)")
            }
            try Console.json(PreflightDocument(hash: response.hash, plan: plan, preflight: checks))
        } else {
            Console.out(response.text)
            Console.line()
            Console.out(PreflightRenderer(style: .standardOutput).text(checks))
        }
        let failed = checks.filter { $0.outcome == .failed }.count
        if failed > 0 {
            throw CLIFailure(.failed, "\(failed) preflight check\(failed == 1 ? "" : "s") failed; fix them before starting the run")
        }
    }
}
