import AWSClient
import ArgumentParser
import Foundation
import Rehearsal
import Runbook
import Steps

/// `cutoverctl rehearse RUNBOOK --discover-only`: read-only discovery of everything the runbook
/// touches, through the runbook's own roles, written as a simulator twin (`--world-out`) and
/// summarised. Running the unchanged runbook on that twin through a private cutoverd, with scaled
/// time and a window projection, is the rest of issue 20 and not built yet: without
/// `--discover-only` the command says so instead of pretending.
struct RehearseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rehearse",
        abstract: "Discover what a runbook touches (read-only) and write a simulated twin of it.",
        discussion: """
            Uses this machine's AWS credentials (the default chain) to assume each account's role from \
            the runbook, then only reads: buckets (listing, versioning, every configuration), RDS \
            instances and clusters, KMS keys with their policies and aliases. No object is read and no \
            secret is copied. --world-out writes a world for `cutover-aws-sim --seed-file`: the same \
            accounts, roles, keys, databases and buckets, with generated objects in the same prefixes, \
            counts and sizes. Exits 1 when something could not be read (each problem is listed).
            """)

    @OptionGroup var runbook: RunbookArguments

    @Flag(help: "Discover and write the twin only (the rehearsal run itself is not built yet).")
    var discoverOnly = false

    @Option(help: ArgumentHelp("Write the twin world (simulator seed JSON) to this file.", valueName: "file"), completion: .file())
    var worldOut: String?

    @OptionGroup var output: OutputOptions

    func run() throws {
        guard discoverOnly else {
            throw CLIFailure(
                .failed,
                "the rehearsal run on the twin (a private cutoverd with scaled time and a window projection) is not built yet; "
                    + "`cutoverctl rehearse \(runbook.file) --discover-only --world-out twin.json` writes the twin, which "
                    + "`cutover-aws-sim --seed-file twin.json` serves")
        }
        let plan: RunbookPlan
        do {
            let loaded = try RunbookLoader(catalog: StepLibrary.catalog).load(file: runbook.file)
            plan = try RunbookPlanner(catalog: StepLibrary.catalog).plan(loaded, parameters: try runbook.parameters())
        } catch let error as RunbookDiagnostics {
            DiagnosticPrinter.print(error.diagnostics)
            throw CLIFailure(.failed, "\(runbook.file) does not plan (\(error.errors.count) error(s))")
        }
        let endpoints: EndpointResolver
        do {
            endpoints = try EndpointResolver.standard()
        } catch {
            throw CLIFailure(.failed, "AWS endpoint settings: \(error)")
        }
        let sessions = RunbookAccountSessions(
            accounts: plan.accounts, region: plan.region, base: DefaultCredentialChain(context: CredentialSourceContext()),
            endpoints: endpoints, sessionName: "cutover-rehearsal", now: { Date() })
        let inventory = Self.wait { await TwinDiscovery(plan: plan, sessions: sessions).discover() }
        if let worldOut {
            do {
                try TwinWorld(inventory).json().write(to: URL(fileURLWithPath: worldOut), options: .atomic)
            } catch {
                throw CLIFailure(.notAuthorized, "cannot write \(worldOut): \(error.localizedDescription)")
            }
            Console.error("wrote the twin world to \(worldOut)\n")
        }
        if output.json {
            try Console.json(inventory)
        } else {
            Console.out(RehearsalSummary(inventory: inventory).text)
        }
        if !inventory.problems.isEmpty {
            throw CLIFailure(.failed, "\(inventory.problems.count) thing(s) could not be read; the twin lacks them")
        }
    }

    /// Runs async discovery from this synchronous command.
    static func wait<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            box.value = await body()
            done.signal()
        }
        done.wait()
        return box.value!
    }
}

private final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}
