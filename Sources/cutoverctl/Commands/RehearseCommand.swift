import AWSClient
import ArgumentParser
import ControlProtocol
import Foundation
import Rehearsal
import Runbook
import Steps

#if canImport(Glibc)
    import Glibc
#endif

/// `cutoverctl rehearse RUNBOOK`: read-only discovery of everything the runbook touches, through
/// the runbook's own roles, written as a simulated twin; then the unchanged runbook run on that
/// twin through a private cutoverd with scaled time (`RehearsalRun`), every approval answered by
/// the rehearsal, and the rehearsal report (`RehearsalReport`): each step's outcome, simulated
/// duration and real-time projection, the points of no return, every problem, the window.
/// `--discover-only` stops after the discovery.
struct RehearseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rehearse",
        abstract: "Rehearse a runbook on a simulated twin of its accounts and project the window.",
        discussion: """
            Uses this machine's AWS credentials (the default chain) to assume each account's role from \
            the runbook, then only reads: buckets (listing, versioning, every configuration), RDS \
            instances and clusters, KMS keys with their policies and aliases. No object is read and no \
            secret is copied. From that it builds a twin: a private cutover-aws-sim with the same \
            accounts, roles, keys, databases and buckets (generated objects in the same prefixes, counts \
            and sizes), and a private cutoverd (temporary state, socket and config, next to this \
            cutoverctl), both on a clock --speed times faster. It starts the unchanged runbook there with \
            the --param values, answers every approval itself (each is shown and listed), follows the run \
            to its end, stops both processes and removes the temporary directory (also on failure or \
            Ctrl-C). The report lists every step with its outcome, its simulated duration and a real-time \
            projection (RDS from the allocated storage at stated, assumed rates; object copies at our \
            measured copy rate; waits as configured), the points of no return, every preflight problem, \
            every step that failed or would fail, and the window projection with its critical path. \
            See docs/REHEARSAL.md. Exits 1 when something could not be read or the run on the twin did \
            not complete.
            """)

    @OptionGroup var runbook: RunbookArguments

    @Flag(help: "Discover and write the twin only; do not run the runbook on it.")
    var discoverOnly = false

    @Option(help: ArgumentHelp("Write the twin world (simulator seed JSON) to this file.", valueName: "file"), completion: .file())
    var worldOut: String?

    @Option(help: ArgumentHelp("Simulated seconds per real second on the twin.", valueName: "n"))
    var speed: Double = 60

    @Option(help: ArgumentHelp("Give up following the run on the twin after this many real seconds.", valueName: "seconds"))
    var timeout: Double = 3600

    @Option(help: ArgumentHelp("Also write the report as a self-contained HTML file.", valueName: "file"), completion: .file())
    var html: String?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard speed.isFinite, speed >= 1 else { throw ValidationError("--speed must be at least 1 (real time), not \(speed)") }
        guard timeout.isFinite, timeout > 0 else { throw ValidationError("--timeout must be seconds above 0, not \(timeout)") }
    }

    func run() throws {
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
        if discoverOnly {
            if output.json {
                try Console.json(inventory)
            } else {
                Console.out(RehearsalSummary(inventory: inventory).text)
            }
            if !inventory.problems.isEmpty {
                throw CLIFailure(.failed, "\(inventory.problems.count) thing(s) could not be read; the twin lacks them")
            }
            return
        }
        if !output.json { Console.out(RehearsalSummary(inventory: inventory).text) }
        try rehearse(plan: plan, inventory: inventory)
    }

    /// The run on the twin, its report, and the exit status.
    private func rehearse(plan: RunbookPlan, inventory: TwinInventory) throws {
        var options = RehearsalRun.Options(binDirectory: Self.ownDirectory)
        options.speed = speed
        options.timeout = timeout
        let quietProgress = output.json
        let run = RehearsalRun(
            plan: plan, runbookText: try runbook.text(), parameters: try runbook.parameters(), world: TwinWorld(inventory), options: options
        ) { line in
            // Progress goes to stderr, so --output json keeps stdout a single document.
            if !quietProgress || line.hasPrefix("rehearsal approves") { Console.error("\(line)\n") }
        }
        let interrupts = Self.stopOnInterrupt(run)
        defer { interrupts.forEach { $0.cancel() } }
        let record: RehearsalRecord
        do {
            record = try run.run()
        } catch _ where run.interrupted {
            Glibc.exit(130)
        } catch let error as ControlClientError {
            throw CLIFailure(.failed, "the twin's cutoverd: \(error.message)")
        } catch {
            throw CLIFailure(.failed, "the rehearsal could not run: \(error)")
        }
        let report = RehearsalReport.build(plan: plan, inventory: inventory, record: record)
        if output.json {
            Console.out(String(decoding: try report.json(), as: UTF8.self) + "\n")
        } else {
            Console.out("\n" + report.text)
        }
        if let html {
            do {
                try Data(report.html(generatedAt: Date()).utf8).write(to: URL(fileURLWithPath: html), options: .atomic)
            } catch {
                throw CLIFailure(.notAuthorized, "cannot write \(html): \(error.localizedDescription)")
            }
            Console.error("wrote the HTML report to \(html)\n")
        }
        if !report.run.succeeded || !inventory.problems.isEmpty {
            throw CLIFailure(
                .failed,
                report.run.succeeded
                    ? "\(inventory.problems.count) thing(s) could not be read; the twin lacks them"
                    : "the run on the twin did not complete: \(report.failures.map { ($0.step.map { "\($0): " } ?? "") + $0.error }.first ?? report.run.reason)"
            )
        }
    }

    /// The folder of this executable, where cutoverd and cutover-aws-sim are installed beside it.
    static var ownDirectory: URL {
        let candidates = [URL(fileURLWithPath: "/proc/self/exe"), URL(fileURLWithPath: CommandLine.arguments[0])]
        for candidate in candidates {
            let resolved = candidate.resolvingSymlinksInPath()
            if resolved.path != candidate.path || FileManager.default.isExecutableFile(atPath: resolved.path) {
                return resolved.deletingLastPathComponent()
            }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }

    /// On Ctrl-C or SIGTERM: stop the twin's processes, remove its directory, exit 130.
    static func stopOnInterrupt(_ run: RehearsalRun) -> [any DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                Console.error("interrupted: stopping the twin and removing its files\n")
                run.interrupt()
                Glibc.exit(130)
            }
            source.resume()
            return source
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
