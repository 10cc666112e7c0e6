import ArgumentParser
import ControlProtocol
import Foundation

/// `cutoverctl start FILE`: has the daemon plan the runbook, shows that plan and its hash, and
/// after confirmation starts exactly that plan (`expectPlanHash`): if the runbook, a parameter or
/// the daemon's step catalog changed in between, the daemon refuses instead of running something
/// nobody reviewed.
struct StartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Start a run of a runbook after showing its plan and plan hash.",
        discussion: """
            The runbook is sent as text; cutoverd plans it, and the plan shown is the plan that runs: \
            the start carries its hash, and cutoverd refuses (exit 6, plan-changed) if it would run a \
            different one. Without --yes the start asks for confirmation on the terminal; with no \
            terminal it refuses (exit 2). You are the run's initiator: unless the runbook allows it, \
            you cannot approve its steps yourself.
            """)

    @OptionGroup var runbook: RunbookArguments

    @Flag(name: [.long, .customShort("y")], help: "Start without asking for confirmation.")
    var yes = false

    @Flag(name: [.long, .customShort("q")], help: "Print only the run id (for scripts).")
    var quiet = false

    @OptionGroup var output: OutputOptions
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let parameters = try runbook.parameters()
        let text = try runbook.text()
        let session = connection.session()
        let plan = try session.post(
            PlanResponse.self, ControlRoute.plan.path,
            body: PlanRequest(file: runbook.file, runbook: text, parameters: parameters, preflight: false))
        let style = Style.standardOutput
        if !quiet && !output.json {
            Console.out(plan.text)
            Console.line()
            Console.line("Plan hash \(style.bold(plan.hash))")
        }
        if !yes {
            guard Console.canAsk else {
                throw CLIFailure(
                    .usage,
                    "not starting without confirmation: standard input is not a terminal; review `cutoverctl plan \(runbook.file)` and pass --yes"
                )
            }
            let answer = Console.ask("Start this plan (\(plan.hash.prefix(12))) now? Type yes to start: ")
            guard let answer, ["yes", "y"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased()) else {
                throw CLIFailure(.failed, "not started")
            }
        }
        let view = try session.post(
            RunView.self, ControlRoute.runs.path,
            body: StartRunRequest(file: runbook.file, runbook: text, parameters: parameters, expectPlanHash: plan.hash))
        if output.json {
            try Console.json(view)
        } else if quiet {
            Console.line(view.run.runId)
        } else {
            Console.line(
                "Started run \(style.bold(view.run.runId)) (plan \(view.run.planHash.prefix(12))), initiated by \(view.run.initiator).")
            Console.line("Follow it with: cutoverctl status \(view.run.runId) --watch")
        }
    }
}
